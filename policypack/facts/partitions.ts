/**
 * Partitions and ARNs from the data the AWS SDK for JavaScript ships (`@aws-sdk/util-endpoints`'
 * `partition`, `@aws-sdk/util-arn-parser`), dependencies of the pack's own package.json: a table in
 * `eusc-de-east-1` or `cn-north-1` is matched against `arn:aws-eusc:` / `arn:aws-cn:` patterns without a
 * hand-written list of partitions.
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
import { parse, validate } from "@aws-sdk/util-arn-parser";
import { partition } from "@aws-sdk/util-endpoints";

/**
 * The partition of a region: the one whose regions (or region pattern) the SDK says it belongs to; a
 * region newer than the SDK's data still gets its partition by pattern (`us-isof-north-1`: aws-iso-f), and
 * one no pattern matches gets `aws`, as the SDK resolves it.
 */
export function partitionOf(region: string): string {
  return partition(region).name;
}

/** The parts of an ARN or ARN pattern (wildcards kept), split by the SDK's parser. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function splitArn(text: string): ArnParts | undefined {
  if (!validate(text)) return undefined;
  const { partition: p, service, region, accountId, resource } = parse(text);
  return { partition: p, service, region, account: accountId, resource };
}
