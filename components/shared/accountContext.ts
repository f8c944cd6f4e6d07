import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

/** The account and partition a component deploys into, as its AWS provider sees them. */
export interface AccountContext {
  accountId: pulumi.Output<string>;
  partition: pulumi.Output<string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const settings: any = require("@pulumi/pulumi/runtime/settings");

// One lookup per provider and deployment: programs with hundreds of components would otherwise
// make hundreds of identical invokes. Keyed by the provider object, or by the engine connection
// for the default provider, so separate deployments in one process never share answers.
const byProvider = new WeakMap<object, AccountContext>();

export function accountContext(component: pulumi.ComponentResource): AccountContext {
  const provider = component.getProvider("aws::");
  const key: object | undefined = provider ?? settings.getMonitor();
  const cached = key ? byProvider.get(key) : undefined;
  if (cached) return cached;
  const opts = { parent: component };
  const context: AccountContext = {
    accountId: aws.getCallerIdentityOutput({}, opts).accountId,
    partition: aws.getPartitionOutput({}, opts).partition,
  };
  if (key) byProvider.set(key, context);
  return context;
}

/**
 * The account `component`'s provider deploys into. When the user named the account (`expected`, the
 * `accountId` argument), a provider for another account fails the deployment on `accountId`; `role` says
 * which account it should have been ("backup", "workload").
 */
export function deployedAccountId(
  component: pulumi.ComponentResource,
  expected: string | undefined,
  role: string,
): pulumi.Output<string> {
  return aws.getCallerIdentityOutput({}, { parent: component }).accountId.apply((actual) => {
    if (expected !== undefined && actual !== expected) {
      throw new pulumi.InputPropertyError({
        propertyPath: "accountId",
        reason: `the provider deploys into account ${actual}, not the ${role} account ${expected}: pass the ${role} account's provider in the component's options`,
      });
    }
    return actual;
  });
}
