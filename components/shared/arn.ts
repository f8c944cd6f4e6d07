import { isWellFormedPrincipalArn, isWellFormedRoleArn } from "./awsLimits";
import { isKnownRegion } from "./partitions";

export { ParsedArn, parseArn } from "./partitions";
import { parseArn } from "./partitions";

const ACCOUNT_ID = /^\d{12}$/;

/** A region the AWS SDK's partition data names (or DYNAMODB_HARDENED_EXTRA_REGIONS lists). */
export function isRegion(value: string): boolean {
  return isKnownRegion(value);
}

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/**
 * An IAM role ARN, including paths: `arn:aws:iam::123456789012:role/path/name`, with IAM's own name and
 * path limits (see `awsLimits.ts`).
 */
export function isRoleArn(value: string): boolean {
  return isWellFormedRoleArn(value);
}

/** A principal ARN usable in a policy: an IAM role or user, or an STS assumed role, as IAM writes them. */
export function isPrincipalArn(value: string): boolean {
  return isWellFormedPrincipalArn(value);
}

export function isKmsKeyArn(value: string): boolean {
  const arn = parseArn(value);
  return !!arn && arn.service === "kms" && /^(key\/[\w-]+|alias\/[\w/-]+)$/.test(arn.resource);
}

/** An AWS-managed DynamoDB key, by alias or alias ARN: its use gives the account no control. */
export function isAwsManagedDynamoDbKey(value: string): boolean {
  return /(^|:)alias\/aws\/dynamodb$/.test(value);
}

export function isDynamoDbStreamArn(value: string): boolean {
  const arn = parseArn(value);
  return !!arn && arn.service === "dynamodb" && /^table\/[\w.-]+\/stream\/.+$/.test(arn.resource);
}

export function isDynamoDbTableArn(value: string): boolean {
  const arn = parseArn(value);
  return !!arn && arn.service === "dynamodb" && /^table\/[\w.-]+$/.test(arn.resource);
}

/** Why `value` is not a DynamoDB table ARN, or undefined when it is one (a check for `checkInput`). */
export function checkTableArn(value: string): string | undefined {
  return isDynamoDbTableArn(value)
    ? undefined
    : `"${value}" is not a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)`;
}

/**
 * A check that a value is a DynamoDB table ARN in `region` (any region while `region` is not given). A table
 * elsewhere is refused with "the table is in <its region>, but <elsewhere>".
 */
export function checkTableArnIn(
  region: string | undefined,
  elsewhere: string,
): (value: string) => string | undefined {
  return (value) => {
    const reason = checkTableArn(value);
    if (reason) return reason;
    const tableRegion = parseArn(value)!.region;
    return region && tableRegion !== region ? `the table is in ${tableRegion}, but ${elsewhere}` : undefined;
  };
}
