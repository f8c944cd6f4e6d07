import * as pulumi from "@pulumi/pulumi";
import { isAwsManagedDynamoDbKey } from "../shared/arn";
import { HardenedTableArgs } from "./hardenedTableArgs";
import { StreamAccessGrant } from "../streams/streamAccessGrant";

/** Options of `HardenedTable.grantStreamRead`. */
export interface StreamReadGrantOptions {
  /** When set, consumers must also belong to this AWS Organization (`aws:PrincipalOrgID`). */
  organizationId?: string;
  /** The least view type the consumers need; a stream that exposes more is refused unless `allowWiderViewType`. */
  neededViewType?: string;
  /** Accepts a stream that exposes more than `neededViewType` (a global table's stream is always `NEW_AND_OLD_IMAGES`). */
  allowWiderViewType?: boolean;
}

/** What `grantTableStreamRead` reads from a `HardenedTable`. */
export interface StreamingTable {
  streamArn: pulumi.Output<string | undefined>;
  streamArns: pulumi.Output<Record<string, string>>;
  keyArn: pulumi.Output<string | undefined>;
  keyArns: pulumi.Output<Record<string, string>>;
}

/** The view type `HardenedTable` gives its stream (replication needs full images). */
function tableViewType(args: HardenedTableArgs): string | undefined {
  const replicated = !!args.replicas?.length;
  if (!args.stream && !replicated) return undefined;
  return args.stream?.viewType ?? (replicated ? "NEW_AND_OLD_IMAGES" : "KEYS_ONLY");
}

/**
 * One `StreamAccessGrant` per region of the table (its own and each replica's), parented to the table so
 * it deploys with the table's provider. Keyed like `HardenedTable.resourcePolicies`.
 */
export function grantTableStreamRead(
  table: pulumi.ComponentResource & StreamingTable,
  args: HardenedTableArgs,
  name: string,
  consumerRoleArns: pulumi.Input<string>[],
  options: StreamReadGrantOptions = {},
): Record<string, StreamAccessGrant> {
  const streamViewType = tableViewType(args);
  if (!streamViewType) {
    throw new pulumi.InputPropertiesError({
      message: `HardenedTable.grantStreamRead "${name}": the table has no stream; set stream: { viewType: "KEYS_ONLY" } (or the least view the consumers need)`,
      errors: [{ propertyPath: "stream", reason: "the table has no stream to share" }],
    });
  }
  const given = args.kmsKeyArn;
  const awsManaged = isAwsManagedDynamoDbKey(String(given ?? ""));
  const regional = (map: pulumi.Output<Record<string, string>>, region: string) =>
    map.apply((byRegion) => byRegion[region]);
  const common = { consumerRoleArns, streamViewType, ...options };

  const grants: Record<string, StreamAccessGrant> = {};
  grants[args.region ?? "default"] = new StreamAccessGrant(
    name,
    {
      ...common,
      streamArn: table.streamArn.apply((arn) => arn ?? ""),
      kmsKeyArn: awsManaged ? (given as string) : table.keyArn.apply((arn) => arn ?? ""),
      region: args.region,
    },
    { parent: table },
  );
  for (const replica of args.replicas ?? []) {
    const replicaKey = replica.kmsKeyArn;
    const replicaAwsManaged =
      replicaKey === undefined ? awsManaged : isAwsManagedDynamoDbKey(String(replicaKey));
    grants[replica.region] = new StreamAccessGrant(
      `${name}-${replica.region}`,
      {
        ...common,
        streamArn: regional(table.streamArns, replica.region),
        kmsKeyArn: replicaAwsManaged ? `alias/aws/dynamodb` : regional(table.keyArns, replica.region),
        region: replica.region,
      },
      { parent: table },
    );
  }
  return grants;
}
