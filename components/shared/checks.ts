/**
 * The checks every component shares, one function per kind of value, each with its one message. A check
 * takes a known value and returns why it is refused, or undefined: it plugs into `ArgumentProblems.check`
 * for plain values and `checkInput` for values that may be Outputs. Checks for a new kind of value (names
 * and their lengths, tags, other ARNs, with AWS's own limits) belong here, beside these.
 */
import { isAccountId, isKmsKeyArn, parseArn } from "./arn";
import { regionProblem } from "./partitions";
import { ArgumentProblems } from "./validation";

/** Why a known value is refused, or undefined when it is fine. */
export type Check<T = string> = (value: T) => string | undefined;

/** An AWS region the AWS SDK's partition data names (or DYNAMODB_HARDENED_EXTRA_REGIONS lists). */
export const checkRegion: Check = regionProblem;

/** A 12-digit AWS account ID. */
export const checkAccountId: Check = (v) =>
  isAccountId(v)
    ? undefined
    : `"${v}" is not a 12-digit AWS account ID: write its 12 digits as a string, e.g. "123456789012"`;

/** A KMS key or alias ARN. */
export const checkKmsKeyArn: Check = (v) =>
  isKmsKeyArn(v) ? undefined : `"${v}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`;

/**
 * A KMS key ARN that names the key itself (`key/<id>`), not an alias: IAM policies, grants and key policies
 * match requests by key ARN. `why` says why an alias will not do here.
 */
export function checkKeyIdArn(why: string): Check {
  return (v) =>
    isKmsKeyArn(v) && parseArn(v)?.resource.startsWith("key/")
      ? undefined
      : `"${v}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); ${why}`;
}

/**
 * A KMS key ARN in `region`, where `what` ("the table", "the trail") is: KMS keys are regional, so a
 * resource can only use a key of its own region. Any region passes while `region` is not known.
 * https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
 */
export function checkKeyInRegion(region: string | undefined, what: string): Check {
  return (v) => checkKmsKeyArn(v) ?? keyRegionProblem(v, region, what);
}

/** Only the region rule of `checkKeyInRegion`, for keys whose format another check owns. */
export function keyRegionProblem(
  keyArn: string,
  region: string | undefined,
  what: string,
): string | undefined {
  const keyRegion = parseArn(keyArn)?.region;
  return region && keyRegion !== undefined && keyRegion !== region
    ? `the key is in ${keyRegion || "no region"}, but ${what} is in ${region}: KMS keys are regional`
    : undefined;
}

/**
 * A hardened default turned off (`value === false`) needs its opt-out argument set to true as well, so no
 * protection is lost by a typo or a copied snippet. `what` names the protection ("PITR"); `consequence`
 * says what is lost without it, when that is not obvious.
 */
export function requireOptOut(
  problems: ArgumentProblems,
  propertyPath: string,
  value: boolean | undefined,
  optOut: { name: string; given: boolean | undefined },
  what: string,
  consequence?: string,
): void {
  if (value !== false || optOut.given) return;
  const reason = `turning ${what} off also needs ${optOut.name}: true`;
  problems.add(propertyPath, consequence ? `${reason}; ${consequence}` : reason);
}
