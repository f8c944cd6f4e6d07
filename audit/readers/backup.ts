import {
  BackupClient,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetBackupVaultAccessPolicyCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListBackupVaultsCommand,
  type BackupPlan,
  type BackupSelection,
  type BackupVaultListMember,
} from "@aws-sdk/client-backup";
import { all, errorCode } from "../sdk";

export interface PlanRead {
  id: string;
  arn: string;
  name: string;
  plan: BackupPlan;
  selections: { id: string; selection: BackupSelection }[];
}

/** Every backup plan of the region with its rules and selections. */
export async function readPlans(client: BackupClient): Promise<PlanRead[]> {
  const list = await all(async (token) => {
    const out = await client.send(new ListBackupPlansCommand({ NextToken: token }));
    return { items: out.BackupPlansList, next: out.NextToken };
  });
  return Promise.all(
    list
      .filter((p) => p.BackupPlanId)
      .map(async (p) => {
        const id = p.BackupPlanId!;
        const [plan, selections] = await Promise.all([
          client.send(new GetBackupPlanCommand({ BackupPlanId: id })),
          all(async (token) => {
            const out = await client.send(
              new ListBackupSelectionsCommand({ BackupPlanId: id, NextToken: token }),
            );
            return { items: out.BackupSelectionsList, next: out.NextToken };
          }),
        ]);
        const read = await Promise.all(
          selections
            .filter((s) => s.SelectionId)
            .map(async (s) => {
              const out = await client.send(
                new GetBackupSelectionCommand({ BackupPlanId: id, SelectionId: s.SelectionId }),
              );
              return { id: s.SelectionId!, selection: out.BackupSelection ?? ({} as BackupSelection) };
            }),
        );
        return {
          id,
          arn: p.BackupPlanArn ?? plan.BackupPlanArn ?? id,
          name: p.BackupPlanName ?? plan.BackupPlan?.BackupPlanName ?? id,
          plan: plan.BackupPlan ?? { BackupPlanName: id, Rules: [] },
          selections: read,
        };
      }),
  );
}

export interface VaultRead {
  /** ListBackupVaults' entry: name, ARN, key, and the lock (Locked, Min/MaxRetentionDays, LockDate). */
  vault: BackupVaultListMember;
  /** The access policy; undefined when the vault has none, the error when it could not be read. */
  policy: string | undefined | Error;
}

/** Every vault of the region with its access policy (one GetBackupVaultAccessPolicy per vault). */
export async function readVaults(client: BackupClient): Promise<VaultRead[]> {
  const vaults = await all(async (token) => {
    const out = await client.send(new ListBackupVaultsCommand({ NextToken: token }));
    return { items: out.BackupVaultList, next: out.NextToken };
  });
  return Promise.all(
    vaults.map(async (vault): Promise<VaultRead> => {
      if (!vault.BackupVaultName) return { vault, policy: undefined };
      try {
        const out = await client.send(
          new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault.BackupVaultName }),
        );
        return { vault, policy: out.Policy };
      } catch (e) {
        // A vault with no access policy answers ResourceNotFoundException: the usual case, not a failure.
        if (errorCode(e) === "ResourceNotFoundException") return { vault, policy: undefined };
        return { vault, policy: e instanceof Error ? e : new Error(String(e)) };
      }
    }),
  );
}
