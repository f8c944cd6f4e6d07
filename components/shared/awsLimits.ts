/**
 * AWS's own rules for names, lengths, principal ARNs and tags, written once so every component refuses at
 * construction what AWS would refuse at deploy. Each check returns why a value is refused, or undefined.
 */
import { Check } from "./checks";
import { isKnownPartition } from "./partitions";

/**
 * DynamoDB table and index names: 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
const DYNAMODB_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

function dynamoDbName(what: string): Check {
  return (v) =>
    DYNAMODB_NAME.test(v)
      ? undefined
      : `"${truncate(v)}" is not a valid DynamoDB ${what} name: 3 to 255 characters of a-z, A-Z, 0-9, _, - and . (${v.length} given)`;
}

export const checkTableName = dynamoDbName("table");
export const checkIndexName = dynamoDbName("index");

/**
 * Key attribute names (table and index keys, LSI projected attributes): 1 to 255 characters.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
export const checkKeyAttributeName: Check = (v) =>
  v.length >= 1 && v.length <= 255
    ? undefined
    : `an attribute name used as a key has 1 to 255 characters (${v.length} given)`;

/**
 * Per-table quotas: 20 global and 5 local secondary indexes; 100 projected non-key attributes summed over
 * every index. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */
export const DYNAMODB_LIMITS = {
  globalSecondaryIndexes: 20,
  localSecondaryIndexes: 5,
  projectedNonKeyAttributes: 100,
} as const;

/**
 * IAM role and user names: 1 to 64 characters of letters, digits and `+=,.@_-`; paths start and end with
 * `/`, up to 512 characters. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * ARN layout: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
const IAM_NAME = "[\\w+=,.@-]{1,64}";
const IAM_PATH = "(?:/[\\w+=,.@-]+)*/";
/** Any partition name here; `partitionKnown` then asks the AWS SDK's partition data. */
const PARTITION = "[a-z-]+";
const ROLE_ARN = new RegExp(`^arn:(${PARTITION}):iam::\\d{12}:role(${IAM_PATH})${IAM_NAME}$`);
const USER_ARN = new RegExp(`^arn:(${PARTITION}):iam::\\d{12}:user(${IAM_PATH})${IAM_NAME}$`);
/** An assumed-role session: `assumed-role/<role name>/<session name>` (session names 2 to 64 characters). */
const ASSUMED_ROLE_ARN = new RegExp(
  `^arn:(${PARTITION}):sts::\\d{12}:assumed-role/${IAM_NAME}/[\\w+=,.@-]{2,64}$`,
);
const MAX_IAM_PATH = 512;

function pathFits(arn: RegExpExecArray | null): boolean {
  return !!arn && partitionKnown(arn) && arn[2].length <= MAX_IAM_PATH;
}

function partitionKnown(arn: RegExpExecArray | null): boolean {
  return !!arn && isKnownPartition(arn[1]);
}

export function isWellFormedRoleArn(v: string): boolean {
  return pathFits(ROLE_ARN.exec(v));
}

export function isWellFormedPrincipalArn(v: string): boolean {
  return isWellFormedRoleArn(v) || pathFits(USER_ARN.exec(v)) || partitionKnown(ASSUMED_ROLE_ARN.exec(v));
}

export const checkRoleArn: Check = (v) =>
  isWellFormedRoleArn(v)
    ? undefined
    : `"${truncate(v)}" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<path/><name of 1 to 64 characters>)`;

/**
 * AWS tags: at most 50 user tags per resource; keys of 1 to 128 and values of up to 256 Unicode characters,
 * letters, digits, spaces and `_.:/=+-@`; the `aws:` prefix is reserved in keys.
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html
 */
export const TAG_LIMITS = { tags: 50, keyLength: 128, valueLength: 256 } as const;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const checkTagKey: Check = (key) => {
  const length = [...key].length;
  if (length < 1 || length > TAG_LIMITS.keyLength)
    return `tag key "${truncate(key)}" has ${length} characters; AWS allows 1 to ${TAG_LIMITS.keyLength}`;
  if (!TAG_CHARACTERS.test(key))
    return `tag key "${truncate(key)}" has characters AWS refuses; use letters, digits, spaces and _.:/=+-@`;
  if (/^aws:/i.test(key)) return `tag key "${truncate(key)}" starts with "aws:", which AWS reserves`;
  return undefined;
};

export const checkTagValue: Check = (value) => {
  const length = [...value].length;
  if (length > TAG_LIMITS.valueLength)
    return `has ${length} characters; AWS allows up to ${TAG_LIMITS.valueLength}`;
  if (!TAG_CHARACTERS.test(value))
    return `"${truncate(value)}" has characters AWS refuses in tag values; use letters, digits, spaces and _.:/=+-@`;
  return undefined;
};

/** The problems with a tag map as a whole: its keys and how many there are. */
export function tagMapProblems(tags: Record<string, unknown>, reservedTags = 0): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(tags)) {
    const reason = checkTagKey(key);
    if (reason) problems.push(reason);
  }
  const count = Object.keys(tags).length;
  if (count + reservedTags > TAG_LIMITS.tags) {
    const ours = reservedTags ? ` (with the ${reservedTags} this package adds)` : "";
    problems.push(`${count} tags${ours}; AWS allows at most ${TAG_LIMITS.tags} per resource`);
  }
  return problems;
}

function truncate(v: string): string {
  return v.length > 64 ? `${v.slice(0, 64)}…` : v;
}
