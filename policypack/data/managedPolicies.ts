import { SNAPSHOT } from "./awsManagedPolicySnapshot";
import { ManagedPolicyEntry } from "./managedPolicyTypes";

/**
 * What AWS-managed policies grant on DynamoDB, DAX and KMS, from a versioned snapshot (see
 * scripts/managedPolicies.ts). A policy absent from the snapshot grants none of those actions (as of
 * `SNAPSHOT_SOURCE.updatedThrough`).
 */
export const SNAPSHOT_SOURCE = { source: SNAPSHOT.source, updatedThrough: SNAPSHOT.updatedThrough };

let byPath: Map<string, ManagedPolicyEntry> | undefined;

/** `<path>/<name>` after `:policy/`, lower-cased (IAM paths and names are case-insensitive for lookup). */
function policyPathOf(arn: string): string | undefined {
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn" || parts[2] !== "iam" || parts[4] !== "aws") return undefined;
  if (!parts[5].startsWith("policy/")) return undefined;
  return parts[5].slice("policy/".length).toLowerCase();
}

/** Whether an ARN names an AWS-managed policy (`arn:<partition>:iam::aws:policy/...`), in any partition. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return policyPathOf(arn) !== undefined;
}

/** The snapshot entry of an AWS-managed policy ARN (any partition), or undefined. */
export function awsManagedPolicy(arn: string): ManagedPolicyEntry | undefined {
  const key = policyPathOf(arn.trim());
  if (key === undefined) return undefined;
  if (!byPath) {
    byPath = new Map();
    for (const entry of SNAPSHOT.policies) {
      const path = policyPathOf(entry.arn);
      if (path !== undefined) byPath.set(path, entry);
    }
  }
  return byPath.get(key);
}

export type { ManagedPolicyEntry };
