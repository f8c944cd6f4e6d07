import { isAccountId } from "./arn";
import { Check } from "./checks";

/**
 * Format checks for the IDs and names the components take. Each check returns a reason naming
 * the expected format, or undefined when the value is fine, so it plugs into `checkInput`.
 */

function prefixedId(prefix: string, label: string): Check {
  const pattern = new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);
  return (v) => (pattern.test(v) ? undefined : `"${v}" is not ${label} ID (${prefix}-0123456789abcdef0)`);
}

export const checkVpcId = prefixedId("vpc", "a VPC");
export const checkSubnetId = prefixedId("subnet", "a subnet");
export const checkSecurityGroupId = prefixedId("sg", "a security group");
export const checkRouteTableId = prefixedId("rtb", "a route table");
/** Looser than the IDs above (8 to 17 hex digits): what HardenedTable and TableAccessRole have always accepted. */
export const checkVpcEndpointId: Check = (v) =>
  /^vpce-[0-9a-f]{8,17}$/.test(v) ? undefined : `"${v}" is not a VPC endpoint ID (vpce-0123456789abcdef0)`;

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

export function isOrganizationId(v: string): boolean {
  return ORGANIZATION_ID.test(v);
}

export const checkOrganizationId: Check = (v) =>
  isOrganizationId(v) ? undefined : `"${v}" is not an organization ID (o-xxxxxxxxxx)`;

/** A policy attachment target: the organization root, an organizational unit or a member account. */
export const checkOrganizationTargetId: Check = (v) =>
  ROOT_ID.test(v) || OU_ID.test(v) || isAccountId(v)
    ? undefined
    : `"${v}" is not an organization root (r-xxxx), organizational unit (ou-xxxx-xxxxxxxx) or 12-digit account ID`;

/** An Availability Zone name in `region`, e.g. `us-east-1a`. */
export function checkAvailabilityZone(region: string | undefined): Check {
  return (v) => {
    if (!/^[a-z]{2}(-gov|-iso|-isob)?-[a-z]+-\d[a-z]$/.test(v)) {
      return `"${v}" is not an Availability Zone name (e.g. us-east-1a)`;
    }
    return region && v.slice(0, -1) !== region ? `"${v}" is not in the region ${region}` : undefined;
  };
}

const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** The S3 general purpose bucket naming rules, so a bad name fails before anything is created. */
export const checkBucketName: Check = (v) => {
  const rules =
    "3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v)) return `"${v}" is not a valid S3 bucket name (${rules})`;
  if (v.includes("..")) return `"${v}" has two adjacent dots, which S3 rejects`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v)) return `"${v}" looks like an IP address, which S3 rejects`;
  const prefix = BUCKET_RESERVED_PREFIXES.find((p) => v.startsWith(p));
  if (prefix) return `"${v}" starts with "${prefix}", which S3 reserves`;
  const suffix = BUCKET_RESERVED_SUFFIXES.find((s) => v.endsWith(s));
  if (suffix) return `"${v}" ends with "${suffix}", which S3 reserves`;
  return undefined;
};

/** The indexes of known strings that repeat an earlier entry. */
export function duplicates(values: unknown[]): number[] {
  const seen = new Set<unknown>();
  const repeats: number[] = [];
  values.forEach((v, i) => {
    if (typeof v !== "string") return;
    if (seen.has(v)) repeats.push(i);
    seen.add(v);
  });
  return repeats;
}
