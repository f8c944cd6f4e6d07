import * as pulumi from "@pulumi/pulumi";
import { ResolvedTableArgs } from "./resolveTableArgs";
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

/**
 * One `StreamAccessGrant` per region of the table (its own and each replica's), parented to the table so
 * it deploys with the table's provider. Keyed like `HardenedTable.resourcePolicies`.
 */
export function grantTableStreamRead(
  component: pulumi.ComponentResource & StreamingTable,
  table: ResolvedTableArgs,
  name: string,
  consumerRoleArns: pulumi.Input<string>[],
  options: StreamReadGrantOptions = {},
): Record<string, StreamAccessGrant> {
  const { args, stream } = table;
  if (!stream) {
    throw new pulumi.InputPropertiesError({
      message: `HardenedTable.grantStreamRead "${name}": the table has no stream; set stream: { viewType: "KEYS_ONLY" } (or the least view the consumers need)`,
      errors: [{ propertyPath: "stream", reason: "the table has no stream to share" }],
    });
  }
  const regional = (map: pulumi.Output<Record<string, string>>, region: string) =>
    map.apply((byRegion) => byRegion[region]);
  const common = { consumerRoleArns, streamViewType: stream.viewType, ...options };

  const grants: Record<string, StreamAccessGrant> = {};
  grants[args.region ?? "default"] = new StreamAccessGrant(
    name,
    {
      ...common,
      streamArn: component.streamArn.apply((arn) => arn ?? ""),
      kmsKeyArn: table.awsManagedKey ? args.kmsKeyArn! : component.keyArn.apply((arn) => arn ?? ""),
      region: args.region,
    },
    { parent: component },
  );
  for (const replica of table.replicas) {
    grants[replica.region] = new StreamAccessGrant(
      `${name}-${replica.region}`,
      {
        ...common,
        streamArn: regional(component.streamArns, replica.region),
        kmsKeyArn: replica.awsManagedKey ? `alias/aws/dynamodb` : regional(component.keyArns, replica.region),
        region: replica.region,
      },
      { parent: component },
    );
  }
  return grants;
}
