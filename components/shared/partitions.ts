/**
 * Partitions, regions and ARNs from the data the AWS SDK for JavaScript ships (`@aws-sdk/util-endpoints`'
 * `partition`, `@aws-sdk/util-arn-parser`), not from hand-written patterns: a new region or partition
 * (`aws-eusc`, `aws-iso-f`) is accepted as soon as the SDK knows it.
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
import { parse, validate } from "@aws-sdk/util-arn-parser";
import { partition } from "@aws-sdk/util-endpoints";

/**
 * Regions newer than the SDK's data, comma-separated, accepted as they are (their partition is the one
 * whose region pattern they match, else `aws`).
 */
export const EXTRA_REGIONS_ENV = "DYNAMODB_HARDENED_EXTRA_REGIONS";

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

function extraRegions(): string[] {
  return (process.env[EXTRA_REGIONS_ENV] ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/**
 * A region the SDK's data names explicitly. The SDK answers every string (a pattern match or the `aws`
 * default), and only explicit regions carry a description. Its `aws-global`-style pseudo-regions are
 * endpoint aliases, not places to put a table.
 */
function isSdkRegion(region: string): boolean {
  const found = partition(region) as { description?: string };
  return !region.startsWith("aws-") && found.description !== undefined;
}

/** A region the SDK knows, or one listed in DYNAMODB_HARDENED_EXTRA_REGIONS. */
export function isKnownRegion(region: string): boolean {
  return isSdkRegion(region) || extraRegions().includes(region);
}

/** The partition of a region (`aws`, `aws-cn`, `aws-eusc`...), for `arn:<partition>:...`. */
export function partitionOf(region: string): string {
  return partition(region).name;
}

/** The DNS suffix of a region's partition (`amazonaws.com`, `amazonaws.com.cn`, `amazonaws.eu`...). */
export function dnsSuffixOf(region: string): string {
  return partition(region).dnsSuffix;
}

const DIRECTIONS = [
  "central",
  "north",
  "south",
  "east",
  "west",
  "northeast",
  "northwest",
  "southeast",
  "southwest",
];

let known: string[] | undefined;

/**
 * The SDK's regions, found by asking it about every `<area>-<direction>-<n>` name: it exports its lookup,
 * not its list. The areas are those of today's regions plus the one asked about; they only feed the hint
 * of a refused region, never the decision, which is the SDK's.
 */
function sdkRegions(extraArea?: string): string[] {
  const areas = ["af", "ap", "ca", "cn", "eu", "il", "me", "mx", "sa", "us", "us-gov", "us-iso", "us-isob"];
  areas.push("us-isof", "eu-isoe", "eusc-de");
  const probe = (list: string[]) =>
    list.flatMap((area) =>
      DIRECTIONS.flatMap((d) => Array.from({ length: 9 }, (_, i) => `${area}-${d}-${i + 1}`)),
    );
  known ??= probe(areas).filter(isSdkRegion);
  if (!extraArea || areas.includes(extraArea)) return known;
  return [...known, ...probe([extraArea]).filter(isSdkRegion)];
}

/** The regions the SDK's data names in a partition, sorted. */
export function regionsOf(partitionName: string): string[] {
  return sdkRegions()
    .filter((r) => partitionOf(r) === partitionName)
    .sort();
}

let partitions: string[] | undefined;

/** The partitions the SDK knows: those of its regions. */
export function knownPartitions(): string[] {
  partitions ??= [...new Set(sdkRegions().map(partitionOf))].sort();
  return partitions;
}

export function isKnownPartition(name: string): boolean {
  return knownPartitions().includes(name);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Why `region` is refused, with the nearest regions the SDK knows; undefined when it is a known region. */
export function regionProblem(region: string): string | undefined {
  if (isKnownRegion(region)) return undefined;
  const area = /^(.+)-[a-z]+-\d+$/.exec(region)?.[1];
  const all = sdkRegions(area);
  const best = Math.min(...all.map((r) => distance(region, r)));
  const nearest = all.filter((r) => distance(region, r) === best).sort();
  const sameArea = all.filter((r) => /^(.+)-[a-z]+-\d+$/.exec(r)?.[1] === area).sort();
  const suggestion = nearest.length <= 3 ? ` Did you mean ${nearest.join(" or ")}?` : "";
  const listed = sameArea.length
    ? `Regions of ${area}: ${sameArea.join(", ")}.`
    : `Partitions: ${knownPartitions().join(", ")}.`;
  return (
    `"${region}" is not an AWS region the AWS SDK's partition data names.${suggestion} ${listed} ` +
    `A region newer than the SDK can be listed in ${EXTRA_REGIONS_ENV} (comma-separated).`
  );
}

/**
 * An ARN's parts, when it is an ARN of a known partition; `arn:aws:s3:::bucket` has empty region and
 * account. The region is not checked: IAM patterns and global resources put other things there.
 */
export function parseArn(value: string): ParsedArn | undefined {
  if (typeof value !== "string" || !validate(value)) return undefined;
  const arn = parse(value);
  const wellFormed =
    isKnownPartition(arn.partition) &&
    /^[a-z0-9-]+$/.test(arn.service) &&
    /^[a-z0-9-]*$/.test(arn.region) &&
    /^(\d{12}|aws|)$/.test(arn.accountId) &&
    arn.resource !== "";
  return wellFormed ? arn : undefined;
}

/**
 * The `kms:ViaService` values of a service in a region (`regionInValue` "*" with StringLike: any region of
 * that region's partition). The aws and aws-us-gov partitions use `<service>.<region>.amazonaws.com`; for
 * partitions with another DNS suffix (China's amazonaws.com.cn, EUSC's amazonaws.eu) AWS documents no single
 * form, so both are listed: a condition with a list of values matches any of them.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function viaServiceValues(service: string, region: string, regionInValue = region): string | string[] {
  const standard = `${service}.${regionInValue}.amazonaws.com`;
  const suffix = dnsSuffixOf(region);
  return suffix === "amazonaws.com" ? standard : [standard, `${service}.${regionInValue}.${suffix}`];
}
