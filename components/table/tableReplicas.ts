import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedTableArgs } from "./resolveTableArgs";
import { TableAutoscaling } from "./tableAutoscaling";
import { TableKeys } from "./tableKeys";

/**
 * True when the replicas are `aws.dynamodb.TableReplica` resources rather than the table's inline
 * `replicas`: on a provisioned table. The provider creates inline replicas in the same step as the table,
 * before any autoscaling target can exist, and DynamoDB refuses a replica of a provisioned table whose write
 * capacity is not autoscaled yet ("ValidationException: Table write capacity should either be
 * Pay-Per-Request or AutoScaled."; terraform-provider-aws #13097, aws-cdk #12159). On-demand tables keep
 * their replicas inline.
 */
export function separateReplicas(table: ResolvedTableArgs): boolean {
  return table.provisioned && table.replicas.length > 0;
}

/**
 * One `TableReplica` per replica region, created once the table's autoscaling targets and policies exist
 * (CDK's fix needs "write auto-scaling enabled with a scaling policy", aws-cdk #12159). Each replica lands
 * in its own region, under its own-region key, with the PITR, deletion protection and tags it resolved to.
 * Keyed by region. The table ignores its `replicas` so that it does not fight these resources
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table_replica).
 */
export function createTableReplicas(
  parent: pulumi.ComponentResource,
  name: string,
  table: ResolvedTableArgs,
  keys: TableKeys,
  resource: aws.dynamodb.Table,
  autoscaling: TableAutoscaling,
): Record<string, aws.dynamodb.TableReplica> {
  const replicas: Record<string, aws.dynamodb.TableReplica> = {};
  if (!separateReplicas(table)) return replicas;
  for (const replica of table.replicas) {
    replicas[replica.region] = new aws.dynamodb.TableReplica(
      `${name}-replica-${replica.region}`,
      {
        globalTableArn: resource.arn,
        region: replica.region,
        kmsKeyArn: keys.arns[replica.region],
        pointInTimeRecovery: replica.pointInTimeRecovery,
        deletionProtectionEnabled: replica.deletionProtection,
        tags: replica.tags,
      },
      {
        parent,
        dependsOn: [resource, ...autoscaling.targets, ...autoscaling.policies],
        protect: table.protect,
        retainOnDelete: table.args.retainOnDelete,
      },
    );
  }
  return replicas;
}

/**
 * The stream ARN of each `TableReplica`, read from the replica table in its own region once it exists:
 * the resource does not expose it, and each replica's stream has its own label.
 */
export function replicaStreamArns(
  parent: pulumi.ComponentResource,
  resource: aws.dynamodb.Table,
  replicas: Record<string, aws.dynamodb.TableReplica>,
): pulumi.Output<Record<string, string>> {
  const regions = Object.keys(replicas);
  return pulumi
    .all(
      regions.map(
        (region) =>
          aws.dynamodb.getTableOutput(
            { name: resource.name, region },
            { parent, dependsOn: [replicas[region]] },
          ).streamArn,
      ),
    )
    .apply((arns) => {
      const byRegion: Record<string, string> = {};
      regions.forEach((region, i) => {
        if (arns[i]) byRegion[region] = arns[i];
      });
      return byRegion;
    });
}
