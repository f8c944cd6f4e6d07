import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedTableArgs } from "./resolveTableArgs";

/** The autoscaling targets and their target-tracking policies, as created. */
export interface TableAutoscaling {
  targets: aws.appautoscaling.Target[];
  policies: aws.appautoscaling.Policy[];
}

/**
 * Target-tracking autoscaling of read and write capacity for the table and each global secondary index, in
 * the table's own region only. Replicas of a provisioned global table (version 2019.11.21) get theirs from
 * DynamoDB: "Minimum and maximum throughput and target utilization are established globally for the table
 * and passed to all replicas of the table"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.prescriptive-guidance.throughput.html),
 * so targets registered by the program in a replica region would fight the ones DynamoDB manages there.
 */
export function createTableAutoscaling(
  parent: pulumi.ComponentResource,
  name: string,
  table: ResolvedTableArgs,
  resource: aws.dynamodb.Table,
): TableAutoscaling {
  const { args } = table;
  const region = args.region;
  const scaling = table.autoscaling;
  const created: TableAutoscaling = { targets: [], policies: [] };
  if (!table.provisioned || !scaling) return created;
  const scopes = [
    { label: "table", resourceId: pulumi.interpolate`table/${resource.name}`, dimension: "table" },
    ...(args.globalSecondaryIndexes ?? []).map((index) => ({
      label: `index-${index.name}`,
      resourceId: pulumi.interpolate`table/${resource.name}/index/${index.name}`,
      dimension: "index",
    })),
  ];
  for (const scope of scopes) {
    for (const kind of ["Read", "Write"] as const) {
      const targetName = `${name}-${scope.label}-${kind.toLowerCase()}`;
      const target = new aws.appautoscaling.Target(
        targetName,
        {
          serviceNamespace: "dynamodb",
          resourceId: scope.resourceId,
          scalableDimension: `dynamodb:${scope.dimension}:${kind}CapacityUnits`,
          minCapacity: kind === "Read" ? scaling.minReadCapacity : scaling.minWriteCapacity,
          maxCapacity: kind === "Read" ? scaling.maxReadCapacity : scaling.maxWriteCapacity,
          region,
          tags: table.tags,
        },
        { parent, dependsOn: [resource] },
      );
      created.targets.push(target);
      const policy = new aws.appautoscaling.Policy(
        targetName,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          region,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: scaling.targetUtilization,
            predefinedMetricSpecification: { predefinedMetricType: `DynamoDB${kind}CapacityUtilization` },
            scaleInCooldown: scaling.scaleInCooldown,
            scaleOutCooldown: scaling.scaleOutCooldown,
          },
        },
        { parent },
      );
      created.policies.push(policy);
    }
  }
  return created;
}
