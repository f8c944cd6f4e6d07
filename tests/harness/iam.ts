import { runSimulation } from "@cloud-copilot/iam-simulate";

export interface AccessQuestion {
  principal: string;
  action: string;
  resource: string;
  /** Account that owns the resource. */
  resourceAccount: string;
  identityPolicies?: unknown[];
  resourcePolicy?: unknown;
  serviceControlPolicies?: unknown[];
  resourceControlPolicies?: unknown[];
  /** Policies of the VPC endpoints the request passes through. */
  vpcEndpointPolicies?: unknown[];
  context?: Record<string, string | string[]>;
}

/** Asks a real IAM evaluation engine whether a request is allowed: "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied". */
export async function evaluate(q: AccessQuestion): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: q.principal,
        action: q.action,
        resource: { resource: q.resource, accountId: q.resourceAccount },
        contextVariables: q.context ?? {},
      },
      identityPolicies: (q.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
      serviceControlPolicies: q.serviceControlPolicies?.length
        ? [
            {
              orgIdentifier: "o-example",
              policies: q.serviceControlPolicies.map((policy, i) => ({ name: `scp-${i}`, policy })),
            },
          ]
        : [],
      resourceControlPolicies: q.resourceControlPolicies?.length
        ? [
            {
              orgIdentifier: "o-example",
              policies: q.resourceControlPolicies.map((policy, i) => ({ name: `rcp-${i}`, policy })),
            },
          ]
        : [],
      resourcePolicy: q.resourcePolicy,
      vpcEndpointPolicies: q.vpcEndpointPolicies?.map((policy, i) => ({ name: `vpce-${i}`, policy })),
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
