import {
  BackupClient,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListBackupVaultsCommand,
  type BackupPlan,
  type BackupSelection,
  type BackupVaultListMember,
} from "@aws-sdk/client-backup";
import { all } from "../sdk";

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

export function readVaults(client: BackupClient): Promise<BackupVaultListMember[]> {
  return all(async (token) => {
    const out = await client.send(new ListBackupVaultsCommand({ NextToken: token }));
    return { items: out.BackupVaultList, next: out.NextToken };
  });
}
