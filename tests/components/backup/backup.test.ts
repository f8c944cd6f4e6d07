import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { CentralBackupVault, HardenedTable, TableBackupPlan } from "../../../components";
import { CentralBackupVaultArgs } from "../../../components/backup/centralBackupVaultArgs";
import { TableBackupPlanArgs } from "../../../components/backup/tableBackupPlanArgs";
import { assertChildInvariants } from "../../harness/childInvariants";
import {
  RecordedResource,
  UNKNOWN,
  byType,
  one,
  parsePolicy,
  record,
  recordErrors,
} from "../../harness/record";
import { assertRejected, problemsOf } from "../../harness/rejection";

const BACKUP_ACCOUNT = "999999999999";
const WORKLOAD_ACCOUNT = "222222222222";
const OTHER_WORKLOAD_ACCOUNT = "444444444444";
const OUTSIDE_ACCOUNT = "333333333333";
const MANAGEMENT_ACCOUNT = "555555555555";
const ORG_ID = "o-abcdef1234";
const BREAK_GLASS = `arn:aws:iam::${BACKUP_ACCOUNT}:role/break-glass`;
const DEPLOYER = `arn:aws:iam::${BACKUP_ACCOUNT}:role/backup-deployer`;
const CENTRAL_VAULT_ARN = `arn:aws:backup:us-east-1:${BACKUP_ACCOUNT}:backup-vault:central`;
const DR_VAULT_ARN = `arn:aws:backup:eu-west-1:${BACKUP_ACCOUNT}:backup-vault:central`;

const T = {
  key: "aws:kms/key:Key",
  vault: "aws:backup/vault:Vault",
  lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  vaultPolicy: "aws:backup/vaultPolicy:VaultPolicy",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  regionSettings: "aws:backup/regionSettings:RegionSettings",
  globalSettings: "aws:backup/globalSettings:GlobalSettings",
  provider: "pulumi:providers:aws",
  table: "aws:dynamodb/table:Table",
};

type Bag = Record<string, unknown>;

function accountProvider(name: string, accountId: string): aws.Provider {
  return new aws.Provider(name, { region: "us-east-1", allowedAccountIds: [accountId] });
}

function centralArgs(overrides: Partial<CentralBackupVaultArgs> = {}): CentralBackupVaultArgs {
  return {
    region: "us-east-1",
    sourceAccountIds: [WORKLOAD_ACCOUNT],
    breakGlassRoleArn: BREAK_GLASS,
    vaultAdminRoleArns: [DEPLOYER],
    ...overrides,
  };
}

function planArgs(overrides: Partial<TableBackupPlanArgs> = {}): TableBackupPlanArgs {
  return { region: "us-east-1", copies: [{ destinationVaultArn: CENTRAL_VAULT_ARN }], ...overrides };
}

/** Records a CentralBackupVault in the backup account. */
function recordCentral(args: CentralBackupVaultArgs, preview = false): Promise<RecordedResource[]> {
  return record(() => {
    new CentralBackupVault("central", args, { provider: accountProvider("backup", BACKUP_ACCOUNT) });
  }, preview);
}

/** Records a TableBackupPlan in the workload account. */
function recordPlan(args: TableBackupPlanArgs, preview = false): Promise<RecordedResource[]> {
  return record(() => {
    new TableBackupPlan("orders", args, { provider: accountProvider("workload", WORKLOAD_ACCOUNT) });
  }, preview);
}

/** The problems CentralBackupVault reports for `args`, by property path (nothing may be created). */
function rejectCentral(
  args: CentralBackupVaultArgs,
  name = "central",
  options: { outputsGiven?: boolean } = {},
): Promise<Record<string, string>> {
  return problemsOf(() => {
    new CentralBackupVault(name, args, { provider: accountProvider("backup", BACKUP_ACCOUNT) });
  }, options);
}

/** The problems TableBackupPlan reports for `args`, by property path (nothing may be created). */
function rejectPlan(
  args: TableBackupPlanArgs,
  name = "orders",
  options: { outputsGiven?: boolean } = {},
): Promise<Record<string, string>> {
  return problemsOf(() => {
    new TableBackupPlan(name, args, { provider: accountProvider("workload", WORKLOAD_ACCOUNT) });
  }, options);
}

// ---------------------------------------------------------------------------------------------------------
// Policy evaluation with a real IAM engine

const ALLOW_EVERYTHING = [
  {
    name: "admin",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
];

interface Caller {
  /** The role ARN the caller acts as. */
  role: string;
  /** The caller's organization, if any. */
  orgId?: string;
}

function roleIn(accountId: string, name: string, orgId?: string): Caller {
  return { role: `arn:aws:iam::${accountId}:role/${name}`, orgId };
}

/**
 * Whether `caller`, whose own IAM policies allow everything, may do `action` on `resource` under the
 * resource `policy`. Context keys a real request carries are set from the caller.
 */
async function decide(
  policy: unknown,
  caller: Caller,
  action: string,
  resource: { arn: string; accountId: string },
  extraContext: Record<string, string> = {},
  identityPolicies = ALLOW_EVERYTHING,
): Promise<string> {
  const accountId = caller.role.split(":")[4];
  const contextVariables: Record<string, string> = {
    "aws:PrincipalArn": caller.role,
    "aws:PrincipalAccount": accountId,
    ...(caller.orgId ? { "aws:PrincipalOrgID": caller.orgId } : {}),
    ...extraContext,
  };
  const result = await runSimulation(
    {
      request: {
        principal: caller.role,
        action,
        resource: { resource: resource.arn, accountId: resource.accountId },
        contextVariables,
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  if (result.resultType !== "single") throw new Error(`simulation failed: ${JSON.stringify(result)}`);
  return result.overallResult;
}

const CENTRAL_VAULT = { arn: CENTRAL_VAULT_ARN, accountId: BACKUP_ACCOUNT };
const CENTRAL_RECOVERY_POINT = {
  arn: `arn:aws:backup:us-east-1:${BACKUP_ACCOUNT}:recovery-point:0b1e7c2a-1111-2222-3333-444455556666`,
  accountId: BACKUP_ACCOUNT,
};

async function centralVaultPolicy(args: CentralBackupVaultArgs): Promise<unknown> {
  const resources = await recordCentral(args);
  return parsePolicy(one(resources, T.vaultPolicy).inputs.policy);
}

// ---------------------------------------------------------------------------------------------------------

describe("CentralBackupVault", () => {
  describe("children", () => {
    let resources: RecordedResource[];
    before(async () => {
      resources = await recordCentral(centralArgs());
    });

    it("encrypts the vault with a new rotating customer-managed key in the vault's region", () => {
      const key = one(resources, T.key);
      const vault = one(resources, T.vault);
      assert.strictEqual(key.inputs.enableKeyRotation, true);
      assert.strictEqual(key.inputs.deletionWindowInDays, 30);
      assert.strictEqual(key.inputs.region, "us-east-1");
      assert.strictEqual(
        vault.inputs.kmsKeyArn,
        `arn:aws:kms:us-east-1:${BACKUP_ACCOUNT}:key/mrk-central-key`,
      );
      assert.strictEqual(vault.inputs.forceDestroy, false);
    });

    it("names the vault after the component, so that workload stacks can write its ARN down", () => {
      assert.strictEqual(one(resources, T.vault).inputs.name, "central");
    });

    // The policy denies PutBackupVaultLockConfiguration to all but exempted roles: put first, it would refuse
    // the deployer's own lock request (AWS fidelity, issue 14.2).
    it("locks the vault in governance mode, 7 to 365 days, before its policy is put", () => {
      const lock = one(resources, T.lock);
      assert.strictEqual(lock.inputs.minRetentionDays, 7);
      assert.strictEqual(lock.inputs.maxRetentionDays, 365);
      assert.strictEqual(lock.inputs.changeableForDays, undefined);
      assert.strictEqual(lock.inputs.backupVaultName, "central");
      assert.ok(!lock.dependencies.includes(one(resources, T.vaultPolicy).urn));
      assert.ok(one(resources, T.vaultPolicy).dependencies.includes(lock.urn));
    });

    it("attaches the access policy to the vault", () => {
      assert.strictEqual(one(resources, T.vaultPolicy).inputs.backupVaultName, "central");
    });

    it("protects the vault, key and lock from pulumi destroy, but not the replaceable policy", () => {
      for (const type of [T.vault, T.key, T.lock])
        assert.strictEqual(one(resources, type).protect, true, type);
      assert.strictEqual(one(resources, T.vaultPolicy).protect, false);
    });

    it("opts DynamoDB in with advanced backup in the backup account", () => {
      const settings = one(resources, T.regionSettings);
      assert.deepStrictEqual(settings.inputs.resourceTypeOptInPreference, { DynamoDB: true });
      assert.deepStrictEqual(settings.inputs.resourceTypeManagementPreference, { DynamoDB: true });
    });

    it("deploys every child through the provider given in the component's options", () => {
      for (const r of resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
        assert.match(r.provider, /::backup::/, `${r.type} ${r.name}`);
      }
    });

    it("keeps the generic child invariants", () => {
      assertChildInvariants(resources, {
        tags: { "dynamodb-hardened:managed-by": "CentralBackupVault" },
        regions: ["us-east-1"],
      });
    });
  });

  describe("additional regions", () => {
    let resources: RecordedResource[];
    let outputs: Record<string, unknown>;
    before(async () => {
      resources = await record(() => {
        const vault = new CentralBackupVault(
          "central",
          centralArgs({
            additionalRegions: [{ region: "eu-west-1" }, { region: "ap-southeast-2" }],
            tags: { team: "dr" },
          }),
          { provider: accountProvider("backup", BACKUP_ACCOUNT) },
        );
        pulumi.all([vault.vaultArns, vault.keyArns]).apply(([vaultArns, keyArns]) => {
          outputs = { vaultArns, keyArns };
        });
      });
    });

    it("gives each region its own key, vault, policy, lock and region settings", () => {
      for (const type of [T.key, T.vault, T.vaultPolicy, T.lock, T.regionSettings]) {
        const regions = byType(resources, type)
          .map((r) => r.inputs.region)
          .sort();
        assert.deepStrictEqual(regions, ["ap-southeast-2", "eu-west-1", "us-east-1"], type);
      }
      const euVault = byType(resources, T.vault).find((v) => v.inputs.region === "eu-west-1")!;
      assert.strictEqual(
        euVault.inputs.kmsKeyArn,
        `arn:aws:kms:eu-west-1:${BACKUP_ACCOUNT}:key/mrk-central-key-eu-west-1`,
      );
      assert.strictEqual(euVault.inputs.name, "central");
    });

    it("outputs vault and key ARNs keyed by region", () => {
      assert.deepStrictEqual(outputs.vaultArns, {
        "us-east-1": CENTRAL_VAULT_ARN,
        "eu-west-1": DR_VAULT_ARN,
        "ap-southeast-2": `arn:aws:backup:ap-southeast-2:${BACKUP_ACCOUNT}:backup-vault:central`,
      });
      assert.strictEqual(
        (outputs.keyArns as Record<string, string>)["ap-southeast-2"],
        `arn:aws:kms:ap-southeast-2:${BACKUP_ACCOUNT}:key/mrk-central-key-ap-southeast-2`,
      );
    });

    it("keeps the generic child invariants in every region", () => {
      assertChildInvariants(resources, {
        tags: { team: "dr", "dynamodb-hardened:managed-by": "CentralBackupVault" },
        regions: ["us-east-1", "eu-west-1", "ap-southeast-2"],
      });
    });
  });

  describe("options", () => {
    it("uses a given key instead of creating one", async () => {
      const keyArn = `arn:aws:kms:us-east-1:${BACKUP_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const resources = await recordCentral(centralArgs({ kmsKeyArn: keyArn }));
      assert.strictEqual(byType(resources, T.key).length, 0);
      assert.strictEqual(one(resources, T.vault).inputs.kmsKeyArn, keyArn);
    });

    it("sets a compliance-mode lock when acknowledged", async () => {
      const resources = await recordCentral(
        centralArgs({
          lock: { minRetentionDays: 30, maxRetentionDays: 3650, changeableForDays: 3 },
          acknowledgeComplianceModeIsIrreversible: true,
        }),
      );
      const lock = one(resources, T.lock);
      assert.strictEqual(lock.inputs.changeableForDays, 3);
      assert.strictEqual(lock.inputs.minRetentionDays, 30);
      assert.strictEqual(lock.inputs.maxRetentionDays, 3650);
    });

    it("creates no lock when it is explicitly turned off", async () => {
      const resources = await recordCentral(
        centralArgs({ lock: { enabled: false }, allowVaultLockDisabled: true }),
      );
      assert.strictEqual(byType(resources, T.lock).length, 0);
    });

    it("leaves the region settings to another stack when asked", async () => {
      const resources = await recordCentral(centralArgs({ regionSettings: { enabled: false } }));
      assert.strictEqual(byType(resources, T.regionSettings).length, 0);
    });

    it("keeps other services' region preferences next to DynamoDB's", async () => {
      const resources = await recordCentral(
        centralArgs({ regionSettings: { resourceTypeOptInPreference: { EBS: true, RDS: false } } }),
      );
      assert.deepStrictEqual(one(resources, T.regionSettings).inputs.resourceTypeOptInPreference, {
        EBS: true,
        RDS: false,
        DynamoDB: true,
      });
    });

    it("outputs the lock bounds as plain numbers for the plans' cross-checks", () => {
      let vault: CentralBackupVault | undefined;
      return record(() => {
        vault = new CentralBackupVault(
          "central",
          centralArgs({ lock: { minRetentionDays: 14, maxRetentionDays: 120 } }),
          {
            provider: accountProvider("backup", BACKUP_ACCOUNT),
          },
        );
      }).then(() => {
        assert.strictEqual(vault!.lockMinRetentionDays, 14);
        assert.strictEqual(vault!.lockMaxRetentionDays, 120);
      });
    });

    it("is unprotected when protect is false", async () => {
      const resources = await recordCentral(centralArgs({ protect: false }));
      for (const type of [T.vault, T.key, T.lock])
        assert.strictEqual(one(resources, type).protect, false, type);
    });
  });

  describe("vault policy, evaluated", () => {
    let policy: unknown;
    before(async () => {
      policy = await centralVaultPolicy(centralArgs());
    });

    it("lets a source account principal copy recovery points in", async () => {
      const result = await decide(
        policy,
        roleIn(WORKLOAD_ACCOUNT, "backup-role"),
        "backup:CopyIntoBackupVault",
        CENTRAL_VAULT,
      );
      assert.strictEqual(result, "Allowed");
    });

    it("does not let an outside account copy in", async () => {
      const result = await decide(
        policy,
        roleIn(OUTSIDE_ACCOUNT, "backup-role"),
        "backup:CopyIntoBackupVault",
        CENTRAL_VAULT,
      );
      assert.notStrictEqual(result, "Allowed");
    });

    for (const action of ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]) {
      it(`lets nobody but the break-glass role call ${action}`, async () => {
        const callers = [
          roleIn(BACKUP_ACCOUNT, "Administrator"),
          { role: DEPLOYER },
          roleIn(WORKLOAD_ACCOUNT, "backup-role"),
          roleIn(OUTSIDE_ACCOUNT, "attacker"),
        ];
        for (const caller of callers) {
          assert.notStrictEqual(
            await decide(policy, caller, action, CENTRAL_RECOVERY_POINT),
            "Allowed",
            caller.role,
          );
        }
        assert.strictEqual(
          await decide(policy, { role: BREAK_GLASS }, action, CENTRAL_RECOVERY_POINT),
          "Allowed",
        );
      });
    }

    it("explicitly denies deletion to the backup account's own administrators", async () => {
      const result = await decide(
        policy,
        roleIn(BACKUP_ACCOUNT, "Administrator"),
        "backup:DeleteRecoveryPoint",
        CENTRAL_RECOVERY_POINT,
      );
      assert.strictEqual(result, "ExplicitlyDenied");
    });

    for (const action of [
      "backup:PutBackupVaultAccessPolicy",
      "backup:DeleteBackupVaultAccessPolicy",
      "backup:PutBackupVaultLockConfiguration",
      "backup:DeleteBackupVaultLockConfiguration",
      "backup:DeleteBackupVault",
    ]) {
      it(`lets only the break-glass role and vault administrators call ${action}`, async () => {
        assert.strictEqual(
          await decide(policy, roleIn(BACKUP_ACCOUNT, "Administrator"), action, CENTRAL_VAULT),
          "ExplicitlyDenied",
        );
        assert.strictEqual(await decide(policy, { role: DEPLOYER }, action, CENTRAL_VAULT), "Allowed");
        assert.strictEqual(await decide(policy, { role: BREAK_GLASS }, action, CENTRAL_VAULT), "Allowed");
      });
    }

    it("has one deny statement of the shape AWS Config's manual-deletion rule requires", () => {
      const statements = (policy as { Statement: Bag[] }).Statement;
      const required = [
        "backup:DeleteRecoveryPoint",
        "backup:UpdateRecoveryPointLifecycle",
        "backup:PutBackupVaultAccessPolicy",
      ];
      const match = statements.find(
        (s) =>
          s.Effect === "Deny" &&
          s.Principal === "*" &&
          s.Resource === "*" &&
          required.every((a) => (s.Action as string[]).includes(a)),
      );
      assert.ok(match, "no deny statement with Principal *, Resource * and the three actions");
    });

    it("lets nobody delete recovery points when no break-glass role is named", async () => {
      const frozen = await centralVaultPolicy(centralArgs({ breakGlassRoleArn: undefined }));
      for (const caller of [
        { role: BREAK_GLASS },
        { role: DEPLOYER },
        roleIn(BACKUP_ACCOUNT, "Administrator"),
      ]) {
        assert.strictEqual(
          await decide(frozen, caller, "backup:DeleteRecoveryPoint", CENTRAL_RECOVERY_POINT),
          "ExplicitlyDenied",
        );
      }
    });

    it("lets every organization member copy in when only organizationId is set, and nobody else", async () => {
      const orgPolicy = await centralVaultPolicy(
        centralArgs({ sourceAccountIds: undefined, organizationId: ORG_ID }),
      );
      const member = roleIn(OTHER_WORKLOAD_ACCOUNT, "backup-role", ORG_ID);
      const stranger = roleIn(OUTSIDE_ACCOUNT, "backup-role", "o-zzzzzzzzzz");
      assert.strictEqual(
        await decide(orgPolicy, member, "backup:CopyIntoBackupVault", CENTRAL_VAULT),
        "Allowed",
      );
      assert.notStrictEqual(
        await decide(orgPolicy, stranger, "backup:CopyIntoBackupVault", CENTRAL_VAULT),
        "Allowed",
      );
    });

    it("requires a listed source account to be in the organization when both are set", async () => {
      const both = await centralVaultPolicy(centralArgs({ organizationId: ORG_ID }));
      const inOrg = roleIn(WORKLOAD_ACCOUNT, "backup-role", ORG_ID);
      const leftOrg = roleIn(WORKLOAD_ACCOUNT, "backup-role", "o-zzzzzzzzzz");
      const unlisted = roleIn(OTHER_WORKLOAD_ACCOUNT, "backup-role", ORG_ID);
      assert.strictEqual(await decide(both, inOrg, "backup:CopyIntoBackupVault", CENTRAL_VAULT), "Allowed");
      assert.notStrictEqual(
        await decide(both, leftOrg, "backup:CopyIntoBackupVault", CENTRAL_VAULT),
        "Allowed",
      );
      assert.notStrictEqual(
        await decide(both, unlisted, "backup:CopyIntoBackupVault", CENTRAL_VAULT),
        "Allowed",
      );
    });
  });

  describe("key policy, evaluated", () => {
    let policy: unknown;
    const key = {
      arn: `arn:aws:kms:us-east-1:${BACKUP_ACCOUNT}:key/mrk-central-key`,
      accountId: BACKUP_ACCOUNT,
    };
    const viaBackup = { "kms:ViaService": "backup.us-east-1.amazonaws.com" };
    before(async () => {
      policy = parsePolicy(one(await recordCentral(centralArgs()), T.key).inputs.policy);
    });

    for (const action of ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"]) {
      it(`lets a source account use the key through AWS Backup (${action})`, async () => {
        assert.strictEqual(
          await decide(policy, roleIn(WORKLOAD_ACCOUNT, "backup-role"), action, key, viaBackup),
          "Allowed",
        );
      });
    }

    it("lets a source account create grants through AWS Backup only for AWS resources", async () => {
      const caller = roleIn(WORKLOAD_ACCOUNT, "backup-role");
      const forResource = { ...viaBackup, "kms:GrantIsForAWSResource": "true" };
      const notForResource = { ...viaBackup, "kms:GrantIsForAWSResource": "false" };
      assert.strictEqual(await decide(policy, caller, "kms:CreateGrant", key, forResource), "Allowed");
      assert.notStrictEqual(await decide(policy, caller, "kms:CreateGrant", key, notForResource), "Allowed");
    });

    it("does not let a source account use the key directly, outside AWS Backup", async () => {
      const result = await decide(policy, roleIn(WORKLOAD_ACCOUNT, "backup-role"), "kms:Decrypt", key);
      assert.notStrictEqual(result, "Allowed");
    });

    it("does not let an outside account use the key, even through AWS Backup", async () => {
      const result = await decide(
        policy,
        roleIn(OUTSIDE_ACCOUNT, "backup-role"),
        "kms:Decrypt",
        key,
        viaBackup,
      );
      assert.notStrictEqual(result, "Allowed");
    });

    it("lets the backup account's own AWS Backup roles use the key without any IAM permission", async () => {
      const serviceRole = roleIn(
        BACKUP_ACCOUNT,
        "aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup",
      );
      const inAccount = { ...viaBackup, "kms:CallerAccount": BACKUP_ACCOUNT };
      assert.strictEqual(
        await decide(policy, serviceRole, "kms:GenerateDataKey", key, inAccount, []),
        "Allowed",
      );
      assert.notStrictEqual(
        await decide(
          policy,
          serviceRole,
          "kms:GenerateDataKey",
          key,
          { "kms:CallerAccount": BACKUP_ACCOUNT },
          [],
        ),
        "Allowed",
      );
    });

    it("keeps the key administrable by the backup account: describe, tag, rotate", async () => {
      for (const action of ["kms:DescribeKey", "kms:TagResource", "kms:EnableKeyRotation"]) {
        const result = await decide(policy, roleIn(BACKUP_ACCOUNT, "KeyAdmin"), action, key);
        assert.strictEqual(result, "Allowed", action);
      }
    });

    // Issue 19.5: locked recovery points must not be destroyable through their key.
    it("denies destroying or disabling the key to everyone but the break-glass role", async () => {
      for (const action of ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DeleteImportedKeyMaterial"]) {
        for (const who of [roleIn(BACKUP_ACCOUNT, "Admin"), roleIn(BACKUP_ACCOUNT, "backup-deployer")]) {
          assert.strictEqual(
            await decide(policy, who, action, key),
            "ExplicitlyDenied",
            `${who.role} ${action}`,
          );
        }
        assert.strictEqual(
          await decide(policy, roleIn(BACKUP_ACCOUNT, "break-glass"), action, key),
          "Allowed",
          `break-glass ${action}`,
        );
      }
    });

    it("leaves the key policy to the break-glass role and the vault administrators", async () => {
      assert.strictEqual(
        await decide(policy, roleIn(BACKUP_ACCOUNT, "Admin"), "kms:PutKeyPolicy", key),
        "ExplicitlyDenied",
      );
      assert.strictEqual(
        await decide(policy, roleIn(BACKUP_ACCOUNT, "backup-deployer"), "kms:PutKeyPolicy", key),
        "Allowed",
      );
      assert.strictEqual(
        await decide(policy, roleIn(BACKUP_ACCOUNT, "break-glass"), "kms:PutKeyPolicy", key),
        "Allowed",
      );
    });
  });

  describe("rejects bad input before creating anything", () => {
    // Each case: the test title, what changes in valid arguments, the refused property, the reason.
    const cases: [string, Partial<CentralBackupVaultArgs>, string, RegExp][] = [
      ["a malformed region", { region: "useast1" }, "region", /not an AWS region/],
      [
        "a malformed additional region",
        { additionalRegions: [{ region: "mars-1" }] },
        "additionalRegions[0].region",
        /not an AWS region/,
      ],
      [
        "an additional region that repeats the primary",
        { additionalRegions: [{ region: "us-east-1" }] },
        "additionalRegions[0].region",
        /listed twice/,
      ],
      ["a malformed key ARN", { kmsKeyArn: "alias/backup" }, "kmsKeyArn", /not a KMS key ARN/],
      [
        "a malformed source account ID",
        { sourceAccountIds: ["2222"] },
        "sourceAccountIds[0]",
        /not a 12-digit AWS account ID/,
      ],
      [
        "no source accounts and no organization",
        { sourceAccountIds: [] },
        "sourceAccountIds",
        /or set organizationId/,
      ],
      [
        "a malformed organization ID",
        { organizationId: "org-1" },
        "organizationId",
        /not an organization ID/,
      ],
      ["a malformed account ID", { accountId: "99999" }, "accountId", /12-digit/],
      [
        "an invalid vault name",
        { vaultName: "central vault!" },
        "vaultName",
        /not a valid backup vault name/,
      ],
      [
        "a lock minimum above its maximum",
        { lock: { minRetentionDays: 400, maxRetentionDays: 30 } },
        "lock.minRetentionDays",
        /above maxRetentionDays 30/,
      ],
      [
        "a lock retention out of range",
        { lock: { maxRetentionDays: 40000 } },
        "lock.maxRetentionDays",
        /1 to 36500/,
      ],
      [
        "a compliance-mode lock without the acknowledgement",
        { lock: { changeableForDays: 7 } },
        "lock.changeableForDays",
        /acknowledgeComplianceModeIsIrreversible: true/,
      ],
      [
        "turning the lock off without allowVaultLockDisabled",
        { lock: { enabled: false } },
        "lock.enabled",
        /allowVaultLockDisabled/,
      ],
      [
        "a malformed break-glass role ARN",
        { breakGlassRoleArn: `arn:aws:iam::${BACKUP_ACCOUNT}:user/alice` },
        "breakGlassRoleArn",
        /not an IAM role ARN/,
      ],
      [
        "a wildcard vault administrator",
        { vaultAdminRoleArns: [`arn:aws:iam::${BACKUP_ACCOUNT}:role/*`] },
        "vaultAdminRoleArns[0]",
        /wildcard/,
      ],
      [
        "a key deletion window out of range",
        { keyDeletionWindowInDays: 3 },
        "keyDeletionWindowInDays",
        /7 to 30/,
      ],
    ];
    for (const [title, overrides, path, reason] of cases) {
      it(title, async () => assertRejected(await rejectCentral(centralArgs(overrides)), path, reason));
    }
    it("a missing region", async () => {
      assertRejected(
        await rejectCentral(centralArgs({ region: undefined as unknown as string })),
        "region",
        /required/,
      );
    });

    it("a key in another region", async () => {
      const kmsKeyArn = `arn:aws:kms:eu-west-1:${BACKUP_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      assertRejected(await rejectCentral(centralArgs({ kmsKeyArn })), "kmsKeyArn", /KMS keys are regional/);
    });

    it("a malformed key ARN given as an Output, once it resolves", async () => {
      // Nothing is created: every child waits for the key's check.
      const problems = await rejectCentral(centralArgs({ kmsKeyArn: pulumi.output("not-an-arn") }));
      assertRejected(problems, "kmsKeyArn", /not a KMS key ARN/);
    });

    it("the backup account listed as its own source", async () => {
      const problems = await rejectCentral(
        centralArgs({ accountId: BACKUP_ACCOUNT, sourceAccountIds: [BACKUP_ACCOUNT] }),
      );
      assertRejected(problems, "sourceAccountIds[0]", /backup account itself/);
    });

    it("a provider that deploys into another account than accountId", async () => {
      const problems = await problemsOf(() => {
        new CentralBackupVault("central", centralArgs({ accountId: BACKUP_ACCOUNT }), {
          provider: accountProvider("wrong", WORKLOAD_ACCOUNT),
        });
      });
      assertRejected(problems, "accountId", new RegExp(`deploys into account ${WORKLOAD_ACCOUNT}`));
    });

    it("a component name that cannot be the default vault name", async () => {
      assertRejected(await rejectCentral(centralArgs(), "central.vault"), "vaultName", /set vaultName/);
    });

    it("a compliance-mode grace period under 3 days", async () => {
      assertRejected(
        await rejectCentral(
          centralArgs({ lock: { changeableForDays: 1 }, acknowledgeComplianceModeIsIrreversible: true }),
        ),
        "lock.changeableForDays",
        /3 to 36500/,
      );
    });

    it("lock settings next to a disabled lock", async () => {
      const problems = await rejectCentral(
        centralArgs({ lock: { enabled: false, minRetentionDays: 7 }, allowVaultLockDisabled: true }),
      );
      assertRejected(problems, "lock.minRetentionDays", /only applies when the lock is enabled/);
    });

    it("a break-glass role in another account than accountId", async () => {
      const problems = await rejectCentral(
        centralArgs({
          accountId: BACKUP_ACCOUNT,
          breakGlassRoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/break-glass`,
        }),
      );
      assertRejected(problems, "breakGlassRoleArn", /rejects other accounts' calls/);
    });

    it("a break-glass role in another account than the provider's, at deployment", async () => {
      const problems = await rejectCentral(
        centralArgs({ breakGlassRoleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/break-glass` }),
      );
      assertRejected(problems, "breakGlassRoleArn", new RegExp(`the vault is in ${BACKUP_ACCOUNT}`));
    });

    it("a policy nobody could ever change again, unless allowed by name", async () => {
      const args = centralArgs({ breakGlassRoleArn: undefined, vaultAdminRoleArns: undefined });
      assertRejected(await rejectCentral(args), "vaultAdminRoleArns", /allowFrozenVaultPolicy/);
      const resources = await recordCentral({ ...args, allowFrozenVaultPolicy: true });
      assert.strictEqual(byType(resources, T.vaultPolicy).length, 1);
    });

    it("DynamoDB opted out in the region settings", async () => {
      assertRejected(
        await rejectCentral(
          centralArgs({ regionSettings: { resourceTypeManagementPreference: { DynamoDB: false } } }),
        ),
        "regionSettings.resourceTypeManagementPreference.DynamoDB",
        /advanced backup/,
      );
    });

    it("every problem at once, and no child at all", async () => {
      const recording = await recordErrors(() => {
        new CentralBackupVault("central", {
          region: "nowhere",
          sourceAccountIds: ["1"],
          lock: { changeableForDays: 5 },
        });
      });
      const error = recording.errors[0];
      assert.ok(pulumi.InputPropertiesError.isInstance(error));
      const paths = error.errors.map((e) => e.propertyPath);
      for (const path of ["region", "sourceAccountIds[0]", "lock.changeableForDays", "vaultAdminRoleArns"]) {
        assert.ok(paths.includes(path), `${path} missing from ${paths.join(", ")}`);
      }
      assert.match(error.message, /CentralBackupVault "central"/);
      assert.strictEqual(recording.resources.length, 0);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

/** Whether an AWS Backup selection picks a table with these tags (resources OR'ed, then conditions AND'ed). */
function selects(selection: RecordedResource, tableArn: string, tags: Record<string, string>): boolean {
  const wildcard = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
  const resources = (selection.inputs.resources ?? []) as string[];
  if (!resources.some((pattern) => wildcard(pattern).test(tableArn))) return false;
  const conditions = (selection.inputs.conditions ?? []) as {
    stringEquals?: { key: string; value: string }[];
  }[];
  return conditions.every((c) =>
    (c.stringEquals ?? []).every((e) => tags[e.key.replace(/^aws:ResourceTag\//, "")] === e.value),
  );
}

describe("TableBackupPlan", () => {
  describe("children", () => {
    let resources: RecordedResource[];
    before(async () => {
      resources = await recordPlan(planArgs());
    });

    it("creates a local vault with its own rotating customer-managed key", () => {
      const key = one(resources, T.key);
      const vault = one(resources, T.vault);
      assert.strictEqual(key.inputs.enableKeyRotation, true);
      assert.strictEqual(
        vault.inputs.kmsKeyArn,
        `arn:aws:kms:us-east-1:${WORKLOAD_ACCOUNT}:key/mrk-orders-key`,
      );
      assert.strictEqual(vault.inputs.name, "orders");
      assert.strictEqual(vault.inputs.forceDestroy, false);
      assert.strictEqual(vault.protect, true);
      assert.strictEqual(key.protect, true);
    });

    it("backs up daily into the local vault with the seed's windows and 35-day retention", () => {
      const rules = one(resources, T.plan).inputs.rules as Bag[];
      assert.strictEqual(rules.length, 1);
      const rule = rules[0];
      assert.strictEqual(rule.ruleName, "daily");
      assert.strictEqual(rule.targetVaultName, "orders");
      assert.strictEqual(rule.schedule, "cron(0 2 * * ? *)");
      assert.strictEqual(rule.startWindow, 60);
      assert.strictEqual(rule.completionWindow, 180);
      assert.strictEqual(rule.enableContinuousBackup, false);
      assert.deepStrictEqual(rule.lifecycle, { deleteAfter: 35 });
      assert.deepStrictEqual(rule.recoveryPointTags, { "dynamodb-hardened:managed-by": "TableBackupPlan" });
    });

    it("copies every recovery point to the central vault, kept 90 days", () => {
      const rule = (one(resources, T.plan).inputs.rules as Bag[])[0];
      assert.deepStrictEqual(rule.copyActions, [
        { destinationVaultArn: CENTRAL_VAULT_ARN, lifecycle: { deleteAfter: 90 } },
      ]);
    });

    it("creates the service role AWS Backup assumes, with the managed backup and restore policies", () => {
      const trust = parsePolicy(one(resources, T.role).inputs.assumeRolePolicy);
      assert.deepStrictEqual(
        trust.Statement.map((s) => [s.Principal, s.Action]),
        [[{ Service: "backup.amazonaws.com" }, "sts:AssumeRole"]],
      );
      const policies = byType(resources, T.attachment)
        .map((a) => a.inputs.policyArn)
        .sort();
      assert.deepStrictEqual(policies, [
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      ]);
    });

    it("selects this region's DynamoDB tables tagged backup=required, once the role holds its policies", () => {
      const selection = one(resources, T.selection);
      assert.deepStrictEqual(selection.inputs.resources, ["arn:aws:dynamodb:us-east-1:*:table/*"]);
      assert.deepStrictEqual(selection.inputs.conditions, [
        { stringEquals: [{ key: "aws:ResourceTag/backup", value: "required" }] },
      ]);
      assert.strictEqual(selection.inputs.selectionTags, undefined);
      assert.strictEqual(selection.inputs.planId, "orders-plan-id");
      assert.match(
        String(selection.inputs.iamRoleArn),
        new RegExp(`^arn:aws:iam::${WORKLOAD_ACCOUNT}:role/orders-role`),
      );
      for (const attachment of byType(resources, T.attachment)) {
        assert.ok(selection.dependencies.includes(attachment.urn), attachment.name);
      }
    });

    it("opts DynamoDB in with advanced backup in the plan's region", () => {
      const settings = one(resources, T.regionSettings);
      assert.strictEqual(settings.inputs.region, "us-east-1");
      assert.deepStrictEqual(settings.inputs.resourceTypeOptInPreference, { DynamoDB: true });
      assert.deepStrictEqual(settings.inputs.resourceTypeManagementPreference, { DynamoDB: true });
    });

    it("leaves the organization's settings alone by default", () => {
      assert.strictEqual(byType(resources, T.globalSettings).length, 0);
      assert.strictEqual(byType(resources, T.provider).length, 1);
    });

    it("keeps the generic child invariants", () => {
      assertChildInvariants(resources, {
        tags: { "dynamodb-hardened:managed-by": "TableBackupPlan" },
        regions: ["us-east-1"],
      });
    });
  });

  describe("selection", () => {
    it("matches the tables HardenedTable creates, and not untagged ones", async () => {
      const resources = await record(() => {
        const provider = accountProvider("workload", WORKLOAD_ACCOUNT);
        new HardenedTable(
          "orders-table",
          { region: "us-east-1", hashKey: "id", attributes: [{ name: "id", type: "S" }] },
          { provider },
        );
        new TableBackupPlan("orders", planArgs(), { provider });
      });
      const table = one(resources, T.table);
      const selection = one(resources, T.selection);
      const tableArn = `arn:aws:dynamodb:us-east-1:${WORKLOAD_ACCOUNT}:table/${String(table.inputs.name ?? "orders-table")}`;
      const tags = table.inputs.tags as Record<string, string>;
      assert.ok(
        selects(selection, tableArn, tags),
        `selection does not pick ${tableArn} with ${JSON.stringify(tags)}`,
      );
      assert.ok(!selects(selection, tableArn, { team: "x" }), "an untagged table is picked");
      assert.ok(
        !selects(selection, tableArn.replace("us-east-1", "eu-west-1"), tags),
        "another region's table is picked",
      );
    });

    it("adds a selection for listed tables whatever their tags", async () => {
      const tableArns = [`arn:aws:dynamodb:us-east-1:${WORKLOAD_ACCOUNT}:table/legacy`];
      const resources = await recordPlan(planArgs({ tableArns }));
      const listed = byType(resources, T.selection).find((s) => s.inputs.name === "listed-dynamodb-tables")!;
      assert.deepStrictEqual(listed.inputs.resources, tableArns);
      assert.strictEqual(listed.inputs.conditions, undefined);
      assert.strictEqual(byType(resources, T.selection).length, 2);
    });

    it("selects by ARN only when tag selection is turned off", async () => {
      const tableArns = [`arn:aws:dynamodb:us-east-1:${WORKLOAD_ACCOUNT}:table/legacy`];
      const resources = await recordPlan(planArgs({ selectionTags: [], tableArns }));
      assert.deepStrictEqual(one(resources, T.selection).inputs.resources, tableArns);
    });

    it("requires every custom tag", async () => {
      const selectionTags = [
        { key: "backup", value: "required" },
        { key: "env", value: "prod" },
      ];
      const selection = one(await recordPlan(planArgs({ selectionTags })), T.selection);
      const arn = `arn:aws:dynamodb:us-east-1:${WORKLOAD_ACCOUNT}:table/t`;
      assert.ok(selects(selection, arn, { backup: "required", env: "prod" }));
      assert.ok(!selects(selection, arn, { backup: "required" }));
    });
  });

  describe("rules and copies", () => {
    it("copies to the central vault and a DR vault, each with its own retention and cold storage", async () => {
      const resources = await recordPlan(
        planArgs({
          copies: [
            { destinationVaultArn: CENTRAL_VAULT_ARN, deleteAfterDays: 120 },
            { destinationVaultArn: DR_VAULT_ARN, deleteAfterDays: 365, coldStorageAfterDays: 30 },
          ],
        }),
      );
      const rule = (one(resources, T.plan).inputs.rules as Bag[])[0];
      assert.deepStrictEqual(rule.copyActions, [
        { destinationVaultArn: CENTRAL_VAULT_ARN, lifecycle: { deleteAfter: 120 } },
        { destinationVaultArn: DR_VAULT_ARN, lifecycle: { deleteAfter: 365, coldStorageAfter: 30 } },
      ]);
    });

    it("takes several rules, and copies only those that copy", async () => {
      const resources = await recordPlan(
        planArgs({
          rules: [
            { name: "hourly", scheduleExpression: "cron(0 * * * ? *)", deleteAfterDays: 2, copy: false },
            {
              name: "monthly",
              scheduleExpression: "cron(0 3 1 * ? *)",
              deleteAfterDays: 400,
              coldStorageAfterDays: 30,
            },
            {
              name: "continuous",
              enableContinuousBackup: true,
              deleteAfterDays: 14,
              scheduleExpressionTimezone: "Europe/Paris",
            },
          ],
        }),
      );
      const rules = one(resources, T.plan).inputs.rules as Bag[];
      assert.deepStrictEqual(
        rules.map((r) => [r.ruleName, r.schedule, (r.copyActions as unknown[] | undefined)?.length ?? 0]),
        [
          ["hourly", "cron(0 * * * ? *)", 0],
          ["monthly", "cron(0 3 1 * ? *)", 1],
          ["continuous", "cron(0 2 * * ? *)", 1],
        ],
      );
      assert.deepStrictEqual(rules[1].lifecycle, { deleteAfter: 400, coldStorageAfter: 30 });
      assert.strictEqual(rules[2].enableContinuousBackup, true);
      assert.strictEqual(rules[2].scheduleExpressionTimezone, "Europe/Paris");
    });

    it("accepts a copy retention inside the destination lock", async () => {
      const resources = await recordPlan(
        planArgs({
          copies: [
            {
              destinationVaultArn: CENTRAL_VAULT_ARN,
              destinationLock: { minRetentionDays: 7, maxRetentionDays: 90 },
            },
          ],
        }),
      );
      assert.strictEqual(byType(resources, T.plan).length, 1);
    });

    it("creates no copy action when explicitly allowed to copy nothing", async () => {
      const resources = await recordPlan(planArgs({ copies: undefined, allowNoCopy: true }));
      const rule = (one(resources, T.plan).inputs.rules as Bag[])[0];
      assert.strictEqual(rule.copyActions, undefined);
    });

    it("opts DynamoDB in also in the region of a same-account DR vault, when accountId tells", async () => {
      const sameAccountDr = `arn:aws:backup:eu-west-1:${WORKLOAD_ACCOUNT}:backup-vault:orders-dr`;
      const resources = await recordPlan(
        planArgs({
          accountId: WORKLOAD_ACCOUNT,
          copies: [{ destinationVaultArn: CENTRAL_VAULT_ARN }, { destinationVaultArn: sameAccountDr }],
        }),
      );
      assert.deepStrictEqual(
        byType(resources, T.regionSettings)
          .map((r) => r.inputs.region)
          .sort(),
        ["eu-west-1", "us-east-1"],
      );
      assertChildInvariants(resources, {
        tags: { "dynamodb-hardened:managed-by": "TableBackupPlan" },
        regions: ["us-east-1", "eu-west-1"],
      });
    });
  });

  describe("options", () => {
    it("uses a given key and role instead of creating them", async () => {
      const kmsKeyArn = `arn:aws:kms:us-east-1:${WORKLOAD_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const backupRoleArn = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;
      const resources = await recordPlan(planArgs({ kmsKeyArn, backupRoleArn }));
      assert.strictEqual(byType(resources, T.key).length + byType(resources, T.role).length, 0);
      assert.strictEqual(byType(resources, T.attachment).length, 0);
      assert.strictEqual(one(resources, T.vault).inputs.kmsKeyArn, kmsKeyArn);
      assert.strictEqual(one(resources, T.selection).inputs.iamRoleArn, backupRoleArn);
    });

    it("leaves the region settings to another stack when asked", async () => {
      const resources = await recordPlan(planArgs({ regionSettings: { enabled: false } }));
      assert.strictEqual(byType(resources, T.regionSettings).length, 0);
    });

    it("turns cross-account backup on through a management-account provider it builds from plain strings", async () => {
      const roleArn = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/OrganizationBackupAdmin`;
      const resources = await recordPlan(
        planArgs({
          organizationSettings: { managementAccountId: MANAGEMENT_ACCOUNT, roleArn, externalId: "xyz" },
        }),
      );
      const provider = byType(resources, T.provider).find((p) => p.name === "orders-management")!;
      assert.deepStrictEqual(JSON.parse(String(provider.inputs.allowedAccountIds)), [MANAGEMENT_ACCOUNT]);
      assert.deepStrictEqual(JSON.parse(String(provider.inputs.assumeRoles)), [
        { roleArn, externalId: "xyz", sessionName: "dynamodb-hardened-backup" },
      ]);
      assert.strictEqual(provider.inputs.region, "us-east-1");
      const settings = one(resources, T.globalSettings);
      assert.deepStrictEqual(settings.inputs.globalSettings, { isCrossAccountBackupEnabled: "true" });
      assert.match(settings.provider, /::orders-management::/);
      assert.strictEqual(
        provider.parent,
        resources.find((r) => r.type === "dynamodb-hardened:index:TableBackupPlan")!.urn,
      );
    });

    it("keeps the organization's other global settings as listed", async () => {
      const roleArn = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/OrganizationBackupAdmin`;
      const otherGlobalSettings = { isMpaEnabled: "false", isDelegatedAdministratorEnabled: "true" };
      const resources = await recordPlan(
        planArgs({
          organizationSettings: { managementAccountId: MANAGEMENT_ACCOUNT, roleArn, otherGlobalSettings },
        }),
      );
      assert.deepStrictEqual(one(resources, T.globalSettings).inputs.globalSettings, {
        ...otherGlobalSettings,
        isCrossAccountBackupEnabled: "true",
      });
    });

    it("is unprotected when protect is false", async () => {
      const resources = await recordPlan(planArgs({ protect: false }));
      assert.strictEqual(one(resources, T.vault).protect, false);
      assert.strictEqual(one(resources, T.key).protect, false);
    });
  });

  describe("key policy, evaluated", () => {
    const key = {
      arn: `arn:aws:kms:us-east-1:${WORKLOAD_ACCOUNT}:key/mrk-orders-key`,
      accountId: WORKLOAD_ACCOUNT,
    };
    const viaBackup = { "kms:ViaService": "backup.us-east-1.amazonaws.com" };
    let policy: unknown;
    before(async () => {
      policy = parsePolicy(one(await recordPlan(planArgs()), T.key).inputs.policy);
    });

    it("lets the copy destination's account read recovery points through AWS Backup", async () => {
      assert.strictEqual(
        await decide(policy, roleIn(BACKUP_ACCOUNT, "backup-service"), "kms:Decrypt", key, viaBackup),
        "Allowed",
      );
    });

    it("does not let the destination account use the key outside AWS Backup", async () => {
      assert.notStrictEqual(
        await decide(policy, roleIn(BACKUP_ACCOUNT, "backup-service"), "kms:Decrypt", key),
        "Allowed",
      );
    });

    it("does not let any other account use the key", async () => {
      assert.notStrictEqual(
        await decide(policy, roleIn(OUTSIDE_ACCOUNT, "x"), "kms:Decrypt", key, viaBackup),
        "Allowed",
      );
    });

    it("grants no other account when nothing leaves the account", async () => {
      const local = parsePolicy(
        one(await recordPlan(planArgs({ copies: undefined, allowNoCopy: true })), T.key).inputs.policy,
      );
      const named = JSON.stringify(local.Statement.map((s) => s.Principal));
      assert.ok(!named.includes(BACKUP_ACCOUNT), named);
      const destination = roleIn(BACKUP_ACCOUNT, "backup-service");
      assert.notStrictEqual(await decide(local, destination, "kms:Decrypt", key, viaBackup), "Allowed");
    });

    it("lets the workload's backup role use the key through AWS Backup without any IAM permission", async () => {
      const inAccount = { ...viaBackup, "kms:CallerAccount": WORKLOAD_ACCOUNT };
      const role = roleIn(WORKLOAD_ACCOUNT, "orders-role");
      assert.strictEqual(await decide(policy, role, "kms:Decrypt", key, inAccount, []), "Allowed");
      const direct = { "kms:CallerAccount": WORKLOAD_ACCOUNT };
      assert.notStrictEqual(await decide(policy, role, "kms:Decrypt", key, direct, []), "Allowed");
    });
  });

  describe("rejects bad input before creating anything", () => {
    // Each case: the test title, what changes in valid arguments, the refused property, the reason.
    const cases: [string, Partial<TableBackupPlanArgs>, string, RegExp][] = [
      ["a malformed account ID", { accountId: "12" }, "accountId", /12-digit/],
      ["an invalid vault name", { vaultName: "x" }, "vaultName", /2 to 50/],
      ["no copy action at all", { copies: [] }, "copies", /allowNoCopy: true/],
      [
        "copies that no rule makes",
        { rules: [{ name: "daily", copy: false }] },
        "rules",
        /nothing is copied/,
      ],
      [
        "a retention of zero days",
        { rules: [{ name: "daily", deleteAfterDays: 0 }] },
        "rules[0].deleteAfterDays",
        /1 to 36500/,
      ],
      ["an empty list of rules", { rules: [] }, "rules", /at least one rule/],
      [
        "an invalid rule name",
        { rules: [{ name: "daily backup" }] },
        "rules[0].name",
        /not a valid rule name/,
      ],
      [
        "a schedule that is not a cron or rate expression",
        { rules: [{ name: "daily", scheduleExpression: "0 2 * * *" }] },
        "rules[0].scheduleExpression",
        /cron\(/,
      ],
      [
        "a start window under 60 minutes",
        { rules: [{ name: "daily", startWindowMinutes: 30 }] },
        "rules[0].startWindowMinutes",
        /at least 60/,
      ],
      ["a malformed table ARN", { tableArns: ["orders"] }, "tableArns[0]", /not a DynamoDB table ARN/],
      [
        "no tag selection and no tables",
        { selectionTags: [] },
        "selectionTags",
        /nothing would be backed up/,
      ],
      [
        "a selection tag without a key",
        { selectionTags: [{ key: "", value: "x" }] },
        "selectionTags[0].key",
        /1 to 128/,
      ],
      ["a malformed key ARN", { kmsKeyArn: "mrk-123" }, "kmsKeyArn", /not a KMS key ARN/],
      [
        "a malformed backup role ARN",
        { backupRoleArn: "AWSBackupDefaultServiceRole" },
        "backupRoleArn",
        /not an IAM role ARN/,
      ],
      [
        "a key deletion window out of range",
        { keyDeletionWindowInDays: 31 },
        "keyDeletionWindowInDays",
        /7 to 30/,
      ],
      [
        "DynamoDB opted out in the region settings",
        { regionSettings: { resourceTypeOptInPreference: { DynamoDB: false } } },
        "regionSettings.resourceTypeOptInPreference.DynamoDB",
        /opted in/,
      ],
    ];
    for (const [title, overrides, path, reason] of cases) {
      it(title, async () => assertRejected(await rejectPlan(planArgs(overrides)), path, reason));
    }
    it("a malformed region", async () => {
      assertRejected(await rejectPlan(planArgs({ region: "us-east" })), "region", /not an AWS region/);
    });

    it("a provider that deploys into another account than accountId", async () => {
      const problems = await problemsOf(() => {
        new TableBackupPlan("orders", planArgs({ accountId: WORKLOAD_ACCOUNT }), {
          provider: accountProvider("wrong", OUTSIDE_ACCOUNT),
        });
      });
      assertRejected(problems, "accountId", new RegExp(`deploys into account ${OUTSIDE_ACCOUNT}`));
    });

    it("a malformed destination vault ARN", async () => {
      const problems = await rejectPlan(
        planArgs({
          copies: [{ destinationVaultArn: "arn:aws:backup:us-east-1:999999999999:vault/central" }],
        }),
      );
      assertRejected(problems, "copies[0].destinationVaultArn", /not a backup vault ARN/);
    });

    it("a malformed destination vault ARN from another stack, once it resolves", async () => {
      // Nothing is created: every child waits for the vault ARN's check.
      const problems = await rejectPlan(
        planArgs({ copies: [{ destinationVaultArn: pulumi.output("central") }] }),
      );
      assertRejected(problems, "copies[0].destinationVaultArn", /not a backup vault ARN/);
    });

    it("a destination in the plan's own account and region, known from accountId", async () => {
      const own = `arn:aws:backup:us-east-1:${WORKLOAD_ACCOUNT}:backup-vault:other`;
      const problems = await rejectPlan(
        planArgs({ accountId: WORKLOAD_ACCOUNT, copies: [{ destinationVaultArn: own }] }),
      );
      assertRejected(
        problems,
        "copies[0].destinationVaultArn",
        /own account 222222222222 and region us-east-1/,
      );
    });

    it("a destination in the plan's own account and region, found at deployment", async () => {
      const own = `arn:aws:backup:us-east-1:${WORKLOAD_ACCOUNT}:backup-vault:other`;
      const problems = await rejectPlan(planArgs({ copies: [{ destinationVaultArn: own }] }));
      assertRejected(problems, "copies[0].destinationVaultArn", /own account/);
    });

    it("the same destination twice", async () => {
      const problems = await rejectPlan(
        planArgs({
          copies: [{ destinationVaultArn: CENTRAL_VAULT_ARN }, { destinationVaultArn: CENTRAL_VAULT_ARN }],
        }),
      );
      assertRejected(problems, "copies[1].destinationVaultArn", /listed twice/);
    });

    it("a copy retention below the destination lock's minimum", async () => {
      const problems = await rejectPlan(
        planArgs({
          copies: [
            {
              destinationVaultArn: CENTRAL_VAULT_ARN,
              deleteAfterDays: 5,
              destinationLock: { minRetentionDays: 7 },
            },
          ],
        }),
      );
      assertRejected(
        problems,
        "copies[0].deleteAfterDays",
        /below the destination vault lock's minRetentionDays 7/,
      );
    });

    it("a default copy retention above the destination lock's maximum", async () => {
      const problems = await rejectPlan(
        planArgs({
          copies: [{ destinationVaultArn: CENTRAL_VAULT_ARN, destinationLock: { maxRetentionDays: 30 } }],
        }),
      );
      assertRejected(
        problems,
        "copies[0].deleteAfterDays",
        /above the destination vault lock's maxRetentionDays 30.*default is 90/,
      );
    });

    it("inconsistent destination lock bounds", async () => {
      const problems = await rejectPlan(
        planArgs({
          copies: [
            {
              destinationVaultArn: CENTRAL_VAULT_ARN,
              destinationLock: { minRetentionDays: 100, maxRetentionDays: 10 },
            },
          ],
        }),
      );
      assertRejected(problems, "copies[0].destinationLock.minRetentionDays", /above maxRetentionDays 10/);
    });

    it("a rule deleting recovery points less than 90 days after cold storage", async () => {
      const problems = await rejectPlan(
        planArgs({ rules: [{ name: "daily", coldStorageAfterDays: 30, deleteAfterDays: 100 }] }),
      );
      assertRejected(
        problems,
        "rules[0].deleteAfterDays",
        /less than 90 days after coldStorageAfterDays \(30\).*at least 120/,
      );
    });

    it("a copy deleted less than 90 days after cold storage", async () => {
      const problems = await rejectPlan(
        planArgs({
          copies: [{ destinationVaultArn: CENTRAL_VAULT_ARN, coldStorageAfterDays: 10, deleteAfterDays: 90 }],
        }),
      );
      assertRejected(
        problems,
        "copies[0].deleteAfterDays",
        /less than 90 days after coldStorageAfterDays \(10\)/,
      );
    });

    it("a continuous rule kept longer than 35 days", async () => {
      const problems = await rejectPlan(
        planArgs({ rules: [{ name: "pitr", enableContinuousBackup: true, deleteAfterDays: 60 }] }),
      );
      assertRejected(problems, "rules[0].deleteAfterDays", /1 to 35 days for a continuous rule/);
    });

    it("a rule name used twice", async () => {
      assertRejected(
        await rejectPlan(
          planArgs({
            rules: [{ name: "daily" }, { name: "daily", scheduleExpression: "cron(0 5 * * ? *)" }],
          }),
        ),
        "rules[1].name",
        /used twice/,
      );
    });

    it("a completion window not longer than the start window", async () => {
      assertRejected(
        await rejectPlan(
          planArgs({ rules: [{ name: "daily", startWindowMinutes: 120, completionWindowMinutes: 120 }] }),
        ),
        "rules[0].completionWindowMinutes",
        /greater than startWindowMinutes \(120\)/,
      );
    });

    it("a table in another region", async () => {
      const problems = await rejectPlan(
        planArgs({ tableArns: [`arn:aws:dynamodb:eu-west-1:${WORKLOAD_ACCOUNT}:table/t`] }),
      );
      assertRejected(problems, "tableArns[0]", /plans only reach tables of their own region/);
    });

    it("a key in another region", async () => {
      const kmsKeyArn = `arn:aws:kms:eu-west-1:${WORKLOAD_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      assertRejected(await rejectPlan(planArgs({ kmsKeyArn })), "kmsKeyArn", /KMS keys are regional/);
    });

    it("a malformed management account ID", async () => {
      const problems = await rejectPlan(
        planArgs({
          organizationSettings: {
            managementAccountId: "mgmt",
            roleArn: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/r`,
          },
        }),
      );
      assertRejected(problems, "organizationSettings.managementAccountId", /12-digit/);
    });

    it("a management role outside the management account", async () => {
      const problems = await rejectPlan(
        planArgs({
          organizationSettings: {
            managementAccountId: MANAGEMENT_ACCOUNT,
            roleArn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/r`,
          },
        }),
      );
      assertRejected(problems, "organizationSettings.roleArn", /not the management account/);
    });

    it("the cross-account setting among the other global settings", async () => {
      const problems = await rejectPlan(
        planArgs({
          organizationSettings: {
            managementAccountId: MANAGEMENT_ACCOUNT,
            roleArn: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/r`,
            otherGlobalSettings: { isCrossAccountBackupEnabled: "false" },
          },
        }),
      );
      assertRejected(
        problems,
        "organizationSettings.otherGlobalSettings.isCrossAccountBackupEnabled",
        /remove it/,
      );
    });

    it("every problem at once, and no child at all", async () => {
      const recording = await recordErrors(() => {
        new TableBackupPlan("orders", {
          region: "us-east-1",
          rules: [{ name: "daily", deleteAfterDays: 0 }],
          tableArns: ["x"],
        });
      });
      const error = recording.errors[0];
      assert.ok(pulumi.InputPropertiesError.isInstance(error));
      const paths = error.errors.map((e) => e.propertyPath);
      for (const path of ["copies", "rules[0].deleteAfterDays", "tableArns[0]"]) {
        assert.ok(paths.includes(path), `${path} missing from ${paths.join(", ")}`);
      }
      assert.strictEqual(recording.resources.length, 0);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("central vault and table plans together", () => {
  /** One program, two providers: the backup account's and the workload account's. */
  function twoAccountProgram(): void {
    const backup = accountProvider("backup", BACKUP_ACCOUNT);
    const workload = accountProvider("workload", WORKLOAD_ACCOUNT);
    const central = new CentralBackupVault(
      "central",
      centralArgs({
        accountId: BACKUP_ACCOUNT,
        additionalRegions: [{ region: "eu-west-1" }],
        tags: { team: "platform" },
      }),
      { provider: backup },
    );
    new TableBackupPlan(
      "orders",
      {
        region: "us-east-1",
        accountId: WORKLOAD_ACCOUNT,
        tags: { team: "platform" },
        copies: [
          {
            destinationVaultArn: central.vaultArn,
            destinationLock: {
              minRetentionDays: central.lockMinRetentionDays,
              maxRetentionDays: central.lockMaxRetentionDays,
            },
          },
          {
            destinationVaultArn: central.vaultArns.apply((arns) => arns["eu-west-1"]),
            deleteAfterDays: 30,
            destinationLock: {
              minRetentionDays: central.lockMinRetentionDays,
              maxRetentionDays: central.lockMaxRetentionDays,
            },
          },
        ],
      },
      { provider: workload },
    );
  }

  it("work in one program with two providers, each component in its own account", async () => {
    const resources = await record(twoAccountProgram);
    const centralVault = byType(resources, T.vault).find((v) => v.name === "central-vault")!;
    const localVault = byType(resources, T.vault).find((v) => v.name === "orders-vault")!;
    assert.match(centralVault.provider, /::backup::/);
    assert.match(localVault.provider, /::workload::/);
    const rule = (one(resources, T.plan).inputs.rules as Bag[])[0];
    assert.deepStrictEqual(
      (rule.copyActions as Bag[]).map((c) => c.destinationVaultArn),
      [CENTRAL_VAULT_ARN, DR_VAULT_ARN],
    );
    const localKey = byType(resources, T.key).find((k) => k.name === "orders-key")!;
    const grantees = parsePolicy(localKey.inputs.policy).Statement.filter(
      (s) => s.Sid === "CopyDestinationsUseThroughBackup",
    );
    assert.deepStrictEqual(
      grantees.map((s) => s.Principal),
      [{ AWS: [`arn:aws:iam::${BACKUP_ACCOUNT}:root`] }],
    );
  });

  it("keep the generic child invariants together", async () => {
    const resources = await record(twoAccountProgram);
    assertChildInvariants(resources, { tags: { team: "platform" }, regions: ["us-east-1", "eu-west-1"] });
  });

  it("work in two separate stacks, the vault ARN passed as a plain string", async () => {
    const backupStack = await record(() => {
      new CentralBackupVault("central", centralArgs(), {
        provider: accountProvider("backup", BACKUP_ACCOUNT),
      });
    });
    const workloadStack = await recordPlan(
      planArgs({ copies: [{ destinationVaultArn: CENTRAL_VAULT_ARN }] }),
    );
    const policy = parsePolicy(one(backupStack, T.vaultPolicy).inputs.policy);
    const copyRole = one(workloadStack, T.role);
    const copyRoleArn = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/${String(copyRole.inputs.name ?? "orders-role")}`;
    assert.strictEqual(
      await decide(policy, { role: copyRoleArn }, "backup:CopyIntoBackupVault", CENTRAL_VAULT),
      "Allowed",
    );
  });

  it("preview: every child is registered, values from the other account unknown, no error", async () => {
    const recording = await recordErrors(twoAccountProgram, true);
    assert.deepStrictEqual(recording.errors, []);
    const resources = recording.resources;
    assert.strictEqual(byType(resources, T.vault).length, 3);
    assert.strictEqual(byType(resources, T.lock).length, 2);
    assert.strictEqual(byType(resources, T.selection).length, 1);
    const rule = (one(resources, T.plan).inputs.rules as Bag[])[0];
    assert.deepStrictEqual(
      (rule.copyActions as Bag[]).map((c) => c.destinationVaultArn),
      [UNKNOWN, UNKNOWN],
    );
    assert.strictEqual(byType(resources, T.key).find((k) => k.name === "orders-key")!.inputs.policy, UNKNOWN);
    assertChildInvariants(resources, { tags: { team: "platform" }, regions: ["us-east-1", "eu-west-1"] });
  });
});
