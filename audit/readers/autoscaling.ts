import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  type ScalableTarget,
  type ScalingPolicy,
} from "@aws-sdk/client-application-auto-scaling";
import { all } from "../sdk";

export async function readScaling(
  client: ApplicationAutoScalingClient,
): Promise<{ targets: ScalableTarget[]; policies: ScalingPolicy[] }> {
  const [targets, policies] = await Promise.all([
    all(async (token) => {
      const out = await client.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: "dynamodb", NextToken: token }),
      );
      return { items: out.ScalableTargets, next: out.NextToken };
    }),
    all(async (token) => {
      const out = await client.send(
        new DescribeScalingPoliciesCommand({ ServiceNamespace: "dynamodb", NextToken: token }),
      );
      return { items: out.ScalingPolicies, next: out.NextToken };
    }),
  ]);
  return { targets, policies };
}
