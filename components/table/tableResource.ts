import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { STREAM_REASON_TAG, tagValue } from "../shared/tags";
import { ResolvedTableArgs, TABLE_DEFAULTS } from "./resolveTableArgs";
import { TableKeys } from "./tableKeys";
import { separateReplicas } from "./tableReplicas";

/** The tag the policy pack reads to require `dynamodb:LeadingKeys` conditions on a table. */
export const MULTI_TENANT_TAG = "dynamodb-hardened:multi-tenant";

/** Capacity that autoscaling owns once the table exists: Pulumi must not reset it on the next update. */
const AUTOSCALED_CAPACITY = [
  "readCapacity",
  "writeCapacity",
  "globalSecondaryIndexes[*].readCapacity",
  "globalSecondaryIndexes[*].writeCapacity",
];

/**
 * The DynamoDB table itself from resolved arguments: an on-demand table with its replicas inline, a
 * provisioned one without them (they are `TableReplica` resources, see `tableReplicas.ts`).
 */
export function createTableResource(
  parent: pulumi.ComponentResource,
  name: string,
  table: ResolvedTableArgs,
  keys: TableKeys,
): aws.dynamodb.Table {
  const { args, provisioned, autoscaling: scaling, stream } = table;
  const separate = separateReplicas(table);
  const inlineReplicas = separate ? [] : table.replicas;
  const tableTags: Record<string, string> = { ...table.tags };
  if (stream) tableTags[STREAM_REASON_TAG] = tagValue(stream.reason);
  if (args.multiTenant) tableTags[MULTI_TENANT_TAG] = "true";

  return new aws.dynamodb.Table(
    name,
    {
      name: args.name,
      region: args.region,
      hashKey: args.hashKey,
      rangeKey: args.rangeKey,
      attributes: args.attributes.map((a) => ({ name: a.name, type: a.type })),
      globalSecondaryIndexes: args.globalSecondaryIndexes?.map((index) => ({
        name: index.name,
        hashKey: index.hashKey,
        rangeKey: index.rangeKey,
        projectionType: index.projectionType ?? TABLE_DEFAULTS.projectionType,
        nonKeyAttributes: index.nonKeyAttributes,
        readCapacity: provisioned ? scaling?.minReadCapacity : undefined,
        writeCapacity: provisioned ? scaling?.minWriteCapacity : undefined,
      })),
      localSecondaryIndexes: args.localSecondaryIndexes?.map((index) => ({
        name: index.name,
        rangeKey: index.rangeKey,
        projectionType: index.projectionType ?? TABLE_DEFAULTS.projectionType,
        nonKeyAttributes: index.nonKeyAttributes,
      })),
      ttl: args.ttlAttribute ? { attributeName: args.ttlAttribute, enabled: true } : undefined,
      tableClass: table.tableClass,
      billingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
      readCapacity: provisioned ? scaling?.minReadCapacity : undefined,
      writeCapacity: provisioned ? scaling?.minWriteCapacity : undefined,
      serverSideEncryption: table.awsManagedKey
        ? { enabled: true }
        : { enabled: true, kmsKeyArn: keys.tableKeyArn },
      pointInTimeRecovery: table.pointInTimeRecovery
        ? { enabled: true, recoveryPeriodInDays: table.recoveryPeriodInDays }
        : { enabled: false },
      deletionProtectionEnabled: table.deletionProtection,
      streamEnabled: !!stream,
      streamViewType: stream?.viewType,
      replicas: inlineReplicas.length
        ? inlineReplicas.map((replica) => ({
            regionName: replica.region,
            kmsKeyArn: keys.arns[replica.region],
            pointInTimeRecovery: replica.pointInTimeRecovery,
            deletionProtectionEnabled: replica.deletionProtection,
            propagateTags: true,
            consistencyMode: table.strongConsistency ? "STRONG" : "EVENTUAL",
          }))
        : undefined,
      globalTableWitness:
        table.strongConsistency && args.witnessRegion ? { regionName: args.witnessRegion } : undefined,
      tags: tableTags,
    },
    {
      parent,
      protect: table.protect,
      retainOnDelete: args.retainOnDelete,
      // The provider reads a table's replicas back into `replicas`: with TableReplica resources the table
      // must ignore them, or the next update would delete the replicas it does not list.
      ignoreChanges: [...(provisioned ? AUTOSCALED_CAPACITY : []), ...(separate ? ["replicas"] : [])],
    },
  );
}
