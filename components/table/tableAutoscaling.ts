import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedTableArgs } from "./resolveTableArgs";

/**
 * Target-tracking autoscaling of read and write capacity for the table and each global secondary index in
 * `region` (the table's own, or a replica's: each region scales separately).
 */
export function createTableAutoscaling(
  parent: pulumi.ComponentResource,
  name: string,
  region: string | undefined,
  table: ResolvedTableArgs,
  resource: aws.dynamodb.Table,
): void {
  const { args } = table;
  const scaling = table.autoscaling;
  if (!table.provisioned || !scaling) return;
  const suffix = region && region !== args.region ? `-${region}` : "";
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
      const targetName = `${name}-${scope.label}-${kind.toLowerCase()}${suffix}`;
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
      new aws.appautoscaling.Policy(
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
    }
  }
}
