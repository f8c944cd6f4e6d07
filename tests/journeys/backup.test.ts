import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { CentralBackupVault, TableBackupPlan } from "../../components";
import { Deployed } from "./harness/deployed";
import { ANONYMOUS, Hop, Policy, evaluateJourney, explain } from "./harness/layers";
import {
  BACKUP_ACCOUNT,
  Caller,
  ORG,
  OTHER_ORG,
  OUTSIDER_ACCOUNT,
  REGION,
  SAME_ORG_ACCOUNT,
  TABLE_ACCOUNT,
  callerContext,
} from "./fixtures";

/*
 * Journeys: an AWS Backup copy job from the workload account into the central vault, and a restore from the
 * central vault in the backup account.
 * Layers: a cross-account copy is authorized by the source account's backup role (identity policy) and
 * the destination vault's access policy (backup:CopyIntoBackupVault)
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html); the copy is
 * encrypted with the destination vault's key, used through AWS Backup
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html); SCPs of the caller's account apply.
 * A restore is authorized by the operator's identity policy and the vault access policy, and decrypts with the
 * vault key through AWS Backup.
 */
const BREAK_GLASS = `arn:aws:iam::${BACKUP_ACCOUNT}:role/break-glass`;
const VAULT_ADMIN = `arn:aws:iam::${BACKUP_ACCOUNT}:role/backup-deployer`;
const CENTRAL_KEY = `arn:aws:kms:${REGION}:${BACKUP_ACCOUNT}:key/mrk-central-key`;
const RECOVERY_POINT = `arn:aws:backup:${REGION}:${BACKUP_ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`;

const provider = (name: string, accountId: string) =>
  new aws.Provider(name, { region: REGION, allowedAccountIds: [accountId] });

/** What AWS Backup's managed service-role policy gives a copy job (the subset this journey exercises). */
const backupRoleIdentity: Policy = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "backup:CopyIntoBackupVault", Resource: "*" },
    { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
  ],
};
const everything: Policy = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

describe("Journey: AWS Backup copies into the central vault, and restores from it in the backup account", () => {
  let d: Deployed;
  let vaultArn = "";
  let workloadRole = "";
  before(async () => {
    d = await Deployed.of(() => {
      const central = new CentralBackupVault(
        "central",
        {
          region: REGION,
          sourceAccountIds: [TABLE_ACCOUNT],
          organizationId: ORG,
          breakGlassRoleArn: BREAK_GLASS,
          vaultAdminRoleArns: [VAULT_ADMIN],
        },
        { provider: provider("backup", BACKUP_ACCOUNT) },
      );
      central.vaultArn.apply((arn) => (vaultArn = arn));
      const plan = new TableBackupPlan(
        "orders",
        { region: REGION, copies: [{ destinationVaultArn: central.vaultArn }] },
        { provider: provider("workload", TABLE_ACCOUNT) },
      );
      plan.roleArn.apply((arn) => (workloadRole = arn));
    });
  });

  const copy = (c: Caller | typeof ANONYMOUS, identity: Policy): Hop[] => {
    const principal = c === ANONYMOUS ? ANONYMOUS : c.arn;
    const context = c === ANONYMOUS ? {} : callerContext(c);
    return [
      {
        layer: "AWS Backup CopyIntoBackupVault on the central vault",
        principal,
        action: "backup:CopyIntoBackupVault",
        resource: vaultArn,
        resourceAccount: BACKUP_ACCOUNT,
        identityPolicies: [identity],
        resourcePolicy: d.vaultPolicy("central-policy"),
        context,
      },
      {
        layer: "KMS GenerateDataKey on the central vault key through AWS Backup",
        principal,
        action: "kms:GenerateDataKey",
        resource: CENTRAL_KEY,
        resourceAccount: BACKUP_ACCOUNT,
        identityPolicies: [identity],
        resourcePolicy: d.keyPolicy(CENTRAL_KEY),
        context: {
          ...context,
          "kms:ViaService": `backup.${REGION}.amazonaws.com`,
          ...(c === ANONYMOUS ? {} : { "kms:CallerAccount": c.account }),
        },
      },
    ];
  };

  it("the workload account's backup role copies into the central vault through every layer", async () => {
    assert.match(workloadRole, new RegExp(`^arn:aws:iam::${TABLE_ACCOUNT}:role/`));
    const verdict = await evaluateJourney(
      copy({ arn: workloadRole, account: TABLE_ACCOUNT, orgId: ORG }, backupRoleIdentity),
    );
    assert.ok(verdict.allowed, explain(verdict));
  });

  const refused: [string, Caller | typeof ANONYMOUS][] = [
    [
      "an outsider account",
      { arn: `arn:aws:iam::${OUTSIDER_ACCOUNT}:role/backup`, account: OUTSIDER_ACCOUNT, orgId: OTHER_ORG },
    ],
    [
      "another account of the organization",
      { arn: `arn:aws:iam::${SAME_ORG_ACCOUNT}:role/backup`, account: SAME_ORG_ACCOUNT, orgId: ORG },
    ],
    ["an anonymous caller", ANONYMOUS],
  ];
  for (const [who, c] of refused) {
    it(`${who} cannot copy into the central vault`, async () => {
      const verdict = await evaluateJourney(copy(c, everything));
      assert.ok(!verdict.allowed, explain(verdict));
    });
  }

  const restore = (principal: string): Hop[] => {
    const c: Caller = { arn: principal, account: BACKUP_ACCOUNT, orgId: ORG };
    return [
      {
        layer: "AWS Backup StartRestoreJob on a recovery point of the central vault",
        principal,
        action: "backup:StartRestoreJob",
        resource: RECOVERY_POINT,
        resourceAccount: BACKUP_ACCOUNT,
        identityPolicies: [everything],
        resourcePolicy: d.vaultPolicy("central-policy"),
        context: callerContext(c),
      },
      {
        layer: "KMS Decrypt on the central vault key through AWS Backup",
        principal,
        action: "kms:Decrypt",
        resource: CENTRAL_KEY,
        resourceAccount: BACKUP_ACCOUNT,
        identityPolicies: [everything],
        resourcePolicy: d.keyPolicy(CENTRAL_KEY),
        context: {
          ...callerContext(c),
          "kms:ViaService": `backup.${REGION}.amazonaws.com`,
          "kms:CallerAccount": BACKUP_ACCOUNT,
        },
      },
    ];
  };

  it("a restore operator of the backup account restores from the central vault through every layer", async () => {
    const verdict = await evaluateJourney(restore(`arn:aws:iam::${BACKUP_ACCOUNT}:role/restore-operator`));
    assert.ok(verdict.allowed, explain(verdict));
  });

  it("an administrator of the backup account cannot delete a recovery point; the break-glass role can", async () => {
    const del = (principal: string): Hop => ({
      ...restore(principal)[0],
      layer: "AWS Backup DeleteRecoveryPoint",
      action: "backup:DeleteRecoveryPoint",
    });
    const admin = await evaluateJourney([del(`arn:aws:iam::${BACKUP_ACCOUNT}:role/Admin`)]);
    assert.ok(!admin.allowed, explain(admin));
    const breakGlass = await evaluateJourney([del(BREAK_GLASS)]);
    assert.ok(breakGlass.allowed, explain(breakGlass));
  });
});
