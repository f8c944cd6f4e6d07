import * as pulumi from "@pulumi/pulumi";
import { isAwsManagedDynamoDbKey, isRoleArn, parseArn } from "../shared/arn";
import { arnAccount, streamArnParts } from "./streamPolicies";
import { ArgumentProblems, checkInput, isKnown, oneOf } from "../shared/validation";
import { checkKeyIdArn, checkRegion, keyRegionProblem } from "../shared/checks";

export const STREAM_VIEW_TYPES = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] as const;

const VIEW_CONTENTS: Record<string, readonly string[]> = {
  KEYS_ONLY: ["keys"],
  NEW_IMAGE: ["keys", "new item images"],
  OLD_IMAGE: ["keys", "old item images"],
  NEW_AND_OLD_IMAGES: ["keys", "new item images", "old item images"],
};

export const CROSS_ACCOUNT_AWS_MANAGED_KEY =
  "the table is encrypted with the AWS-managed key alias/aws/dynamodb, whose key policy cannot grant other accounts; cross-account stream reads fail. Encrypt the table with a customer-managed key";

export function checkStreamArn(value: string): string | undefined {
  if (value.includes("*")) return `"${value}" has a wildcard; name one stream ARN`;
  return streamArnParts(value)
    ? undefined
    : `"${value}" is not a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)`;
}

export function checkRoleArn(value: string): string | undefined {
  if (value.includes("*")) return `"${value}" has a wildcard; name IAM role ARNs`;
  return isRoleArn(value)
    ? undefined
    : `"${value}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`;
}

/** A key ARN usable in IAM policies and grants: `arn:aws:kms:<region>:<account>:key/<id>`, not an alias. */
export function checkKeyArn(value: string, region?: string, where = "the stream"): string | undefined {
  if (isAwsManagedDynamoDbKey(value)) return CROSS_ACCOUNT_AWS_MANAGED_KEY;
  return (
    checkKeyIdArn("aliases cannot be used in grants or IAM policies")(value) ??
    keyRegionProblem(value, region, where)
  );
}

/** When the table uses the AWS-managed key, only consumers in the table's own account can read. */
export function awsManagedKeyProblem(streamArn: string, roleArn: string): string | undefined {
  const streamAccount = streamArnParts(streamArn)?.accountId;
  const roleAccount = arnAccount(roleArn);
  return streamAccount && roleAccount && streamAccount !== roleAccount
    ? CROSS_ACCOUNT_AWS_MANAGED_KEY
    : undefined;
}

/** The view-type arguments both stream components share. */
export interface ViewTypeArgs {
  streamViewType?: string;
  neededViewType?: string;
  allowWiderViewType?: boolean;
}

/**
 * Stream records carry whole items unless the view type says otherwise: a consumer that needs less than
 * the stream exposes is refused unless `allowWiderViewType` says so; one that needs more would never work.
 */
export function validateViewTypes(args: ViewTypeArgs, problems: ArgumentProblems): void {
  const allowed = oneOf(STREAM_VIEW_TYPES);
  for (const key of ["streamViewType", "neededViewType"] as const) {
    const value = args[key];
    if (value === undefined) continue;
    const reason = allowed(value);
    if (reason) problems.add(key, reason);
  }
  const stream = VIEW_CONTENTS[args.streamViewType ?? ""];
  const needed = VIEW_CONTENTS[args.neededViewType ?? ""];
  if (!stream || !needed) {
    if (args.allowWiderViewType && !(stream && needed)) {
      problems.add("allowWiderViewType", "only applies when both streamViewType and neededViewType are set");
    }
    return;
  }
  const missing = needed.filter((part) => !stream.includes(part));
  if (missing.length) {
    problems.add(
      "neededViewType",
      `the consumer needs ${missing.join(" and ")}, but a "${args.streamViewType}" stream does not carry them; change the table's stream.viewType (this replaces the stream and its ARN)`,
    );
    return;
  }
  const extra = stream.filter((part) => !needed.includes(part));
  if (extra.length && !args.allowWiderViewType) {
    problems.add(
      "streamViewType",
      `a "${args.streamViewType}" stream also exposes ${extra.join(" and ")} to a consumer that declared it needs only "${args.neededViewType}"; use a "${args.neededViewType}" stream, or set allowWiderViewType: true to accept the exposure`,
    );
  }
}

/** The region that regional children use: the one given, else the stream's, else the provider's. */
export function checkRegionAgainstStream(
  region: string | undefined,
  streamArn: pulumi.Input<string> | undefined,
  problems: ArgumentProblems,
  what: string,
): string | undefined {
  const regionProblem = region === undefined ? undefined : checkRegion(region);
  if (regionProblem) {
    problems.add("region", regionProblem);
    return region;
  }
  const streamRegion = isKnown(streamArn) ? streamArnParts(streamArn)?.region : undefined;
  if (region !== undefined && streamRegion !== undefined && region !== streamRegion) {
    problems.add(
      "region",
      `the stream is in ${streamRegion}, but ${what} would be in ${region}; ${what} must be in the stream's region`,
    );
  }
  return region ?? streamRegion;
}

/** Role ARNs checked now or when they resolve; duplicates and an empty list are problems. */
export function checkRoleArns(
  roleArns: pulumi.Input<string>[] | undefined,
  path: string,
  problems: ArgumentProblems,
): pulumi.Input<string>[] {
  if (!roleArns?.length) {
    problems.add(path, "name at least one consumer IAM role ARN");
    return [];
  }
  const seen = new Set<string>();
  return roleArns.map((role, i) => {
    if (isKnown(role)) {
      if (seen.has(role)) problems.add(`${path}[${i}]`, `"${role}" is listed twice`);
      seen.add(role);
    }
    return checkInput(role, `${path}[${i}]`, checkRoleArn, problems)!;
  });
}

/**
 * The rule a key given with a stream follows once both are known: KMS keys are regional and a table's key
 * is in the table's account. Known pairs are checked with the other rules; this covers Outputs.
 */
export function keyAgainstStream(
  keyArn: string,
  streamArn: string,
  what = "the stream's table",
): string | undefined {
  const key = parseArn(keyArn);
  const stream = streamArnParts(streamArn);
  if (!key || !stream) return undefined;
  if (key.region && key.region !== stream.region) {
    return `the key is in ${key.region}, but ${what} is in ${stream.region}: KMS keys are regional`;
  }
  return key.accountId !== stream.accountId
    ? `the key is in account ${key.accountId}, but ${what} is in ${stream.accountId}: name the table's key`
    : undefined;
}
