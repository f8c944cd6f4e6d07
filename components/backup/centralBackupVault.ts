import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployedAccountId } from "../shared/accountContext";
import {
  BackupPolicyContext,
  CopySources,
  centralVaultAccessPolicy,
  centralVaultKeyPolicy,
} from "./backupPolicies";
import { dynamoDbRegionSettings } from "./backupRegionSettings";
import { CentralBackupVaultArgs } from "./centralBackupVaultArgs";
import {
  CheckedCentralVaultInputs,
  validateCentralBackupVaultArgs,
  vaultExemptRoles,
} from "./centralBackupVaultValidation";
import { exemptRolesInAccount } from "../shared/keyProtection";
import { PolicyDocument, policyJson } from "../shared/policyDocument";
import { componentTags } from "../shared/tags";
import { customerManagedKey } from "../shared/customerManagedKey";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { DeferredChecks } from "../shared/deferredChecks";
import { CENTRAL_BACKUP_VAULT_ARGUMENT_TYPES } from "./backupArgumentTypes";

/** The resources of one region's vault. */
interface RegionalVault {
  vault: aws.backup.Vault;
  keyArn: pulumi.Input<string>;
  key?: aws.kms.Key;
  policy: aws.backup.VaultPolicy;
  lock?: aws.backup.VaultLockConfiguration;
}

/**
 * The receiving end of cross-account backup, in a dedicated backup account: in each region a backup vault
 * encrypted with a customer-managed key, locked to a retention range, and guarded by a vault policy that
 * lets only the workload accounts (or the organization) copy in and nobody but a break-glass role delete
 * recovery points.
 */
export class CentralBackupVault extends pulumi.ComponentResource {
  /** The vaults, keyed by region. */
  public readonly vaults: Record<string, aws.backup.Vault>;
  /** The keys the component created, keyed by region. */
  public readonly keys: Record<string, aws.kms.Key>;
  /** The vault policies, keyed by region. */
  public readonly vaultPolicies: Record<string, aws.backup.VaultPolicy>;
  /** The account's AWS Backup region settings, keyed by region; empty when not managed. */
  public readonly regionSettings: Record<string, aws.backup.RegionSettings>;
  /** The vault locks, keyed by region; empty when the lock is off. */
  public readonly vaultLocks: Record<string, aws.backup.VaultLockConfiguration>;
  /** The primary vault's ARN: the `destinationVaultArn` of workload plans' copy actions. */
  public readonly vaultArn: pulumi.Output<string>;
  /** The vault name, the same in every region. */
  public readonly vaultName: pulumi.Output<string>;
  /** Vault ARNs keyed by region (the primary and every additional region). */
  public readonly vaultArns: pulumi.Output<Record<string, string>>;
  /** Vault key ARNs keyed by region. */
  public readonly keyArns: pulumi.Output<Record<string, string>>;
  /** The backup account's ID, as the provider reports it. */
  public readonly accountId: pulumi.Output<string>;
  /** The primary region. */
  public readonly region: string;
  /** The lock's minimum retention in days, for `TableBackupPlan` copies' `destinationLock`; undefined when unlocked. */
  public readonly lockMinRetentionDays?: number;
  /** The lock's maximum retention in days, for `TableBackupPlan` copies' `destinationLock`; undefined when unlocked. */
  public readonly lockMaxRetentionDays?: number;

  constructor(name: string, args: CentralBackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    const awsRules = checkArgumentTypes(
      "CentralBackupVault",
      name,
      args,
      CENTRAL_BACKUP_VAULT_ARGUMENT_TYPES,
    );
    const { problems, checked } = validateCentralBackupVaultArgs(name, args);
    problems.include(awsRules).throwIfAny("CentralBackupVault", name);
    const deferred = new DeferredChecks();
    super("dynamodb-hardened:index:CentralBackupVault", name, args, deferred.options(opts));
    // Children wait for the checks of arguments given as Outputs: a value refused once known creates nothing.
    deferred.waitFor(...problems.deferredChecks);

    this.region = args.region;
    this.lockMinRetentionDays = checked.lock?.minRetentionDays;
    this.lockMaxRetentionDays = checked.lock?.maxRetentionDays;
    const tags = componentTags(args.tags, "CentralBackupVault");
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    this.accountId = deployedAccountId(this, args.accountId, "backup");
    // The deployed account, and so whether the exempted roles are in it, is known only now.
    deferred.waitFor(this.accountId.apply((accountId) => exemptRolesInVaultAccount(args, accountId)));

    const regions = [args.region, ...(args.additionalRegions ?? []).map((r) => r.region)];
    const built: Record<string, RegionalVault> = {};
    for (const region of regions) {
      const suffix = region === args.region ? "" : `-${region}`;
      const ctx = pulumi
        .all([partition, this.accountId])
        .apply(([p, accountId]): BackupPolicyContext => ({ partition: p, accountId, region }));
      built[region] = this.createRegionalVault(name, suffix, region, ctx, args, checked, tags);
    }

    this.regionSettings = {};
    if (args.regionSettings?.enabled ?? true) {
      for (const region of regions) {
        const suffix = region === args.region ? "" : `-${region}`;
        this.regionSettings[region] = dynamoDbRegionSettings(
          `${name}-region-settings${suffix}`,
          region,
          args.regionSettings,
          this,
        );
      }
    }
    this.vaults = mapValues(built, (b) => b.vault);
    this.vaultPolicies = mapValues(built, (b) => b.policy);
    this.keys = {};
    this.vaultLocks = {};
    for (const [region, b] of Object.entries(built)) {
      if (b.key) this.keys[region] = b.key;
      if (b.lock) this.vaultLocks[region] = b.lock;
    }
    this.vaultArn = built[args.region].vault.arn;
    this.vaultName = built[args.region].vault.name;
    this.vaultArns = byRegion(regions, (r) => built[r].vault.arn);
    this.keyArns = byRegion(regions, (r) => built[r].keyArn);

    this.registerOutputs({
      vaultArn: this.vaultArn,
      vaultName: this.vaultName,
      vaultArns: this.vaultArns,
      keyArns: this.keyArns,
      accountId: this.accountId,
      region: this.region,
      lockMinRetentionDays: this.lockMinRetentionDays,
      lockMaxRetentionDays: this.lockMaxRetentionDays,
    });
  }

  private createRegionalVault(
    name: string,
    suffix: string,
    region: string,
    ctx: pulumi.Output<BackupPolicyContext>,
    args: CentralBackupVaultArgs,
    checked: CheckedCentralVaultInputs,
    tags: Record<string, string>,
  ): RegionalVault {
    const protect = args.protect ?? true;
    const sources: CopySources = {
      accountIds: args.sourceAccountIds ?? [],
      organizationId: args.organizationId,
    };
    let key: aws.kms.Key | undefined;
    let keyArn = checked.kmsKeyArns[region];
    if (keyArn === undefined) {
      key = customerManagedKey(
        `${name}-key${suffix}`,
        {
          description: `AWS Backup vault ${checked.vaultName} in ${region}: customer-managed key for copied recovery points`,
          deletionWindowInDays: args.keyDeletionWindowInDays,
          policy: policyJson(
            ctx.apply((c) =>
              centralVaultKeyPolicy(c, sources, {
                breakGlassRoleArn: args.breakGlassRoleArn,
                keyPolicyAdminRoleArns: args.vaultAdminRoleArns ?? [],
              }),
            ),
          ),
          // With a frozen vault policy nobody may change the key policy either; KMS would refuse such a key
          // at creation (its lockout safety check) unless told the freeze is meant.
          bypassPolicyLockoutSafetyCheck: !args.breakGlassRoleArn && !args.vaultAdminRoleArns?.length,
          region,
          tags,
        },
        { parent: this, protect },
      );
      keyArn = key.arn;
    }
    const vault = new aws.backup.Vault(
      `${name}-vault${suffix}`,
      { name: checked.vaultName, kmsKeyArn: keyArn, forceDestroy: false, region, tags },
      { parent: this, protect },
    );
    // The lock first, then the policy. The policy denies backup:PutBackupVaultLockConfiguration to all but
    // the break-glass and vault administrator roles, and explicit denies in a vault access policy apply to
    // every caller of the account, so a policy put first would refuse the deployer's own lock request
    // (AccessDeniedException), and with allowFrozenVaultPolicy refuse it to everyone.
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html
    let lock: aws.backup.VaultLockConfiguration | undefined;
    if (checked.lock) {
      lock = new aws.backup.VaultLockConfiguration(
        `${name}-lock${suffix}`,
        {
          backupVaultName: vault.name,
          minRetentionDays: checked.lock.minRetentionDays,
          maxRetentionDays: checked.lock.maxRetentionDays,
          changeableForDays: checked.lock.changeableForDays,
          region,
        },
        { parent: this, protect },
      );
    }
    const policy = new aws.backup.VaultPolicy(
      `${name}-policy${suffix}`,
      {
        backupVaultName: vault.name,
        policy: policyJson(ctx.apply((c) => this.accessPolicy(c, sources, args))),
        region,
      },
      { parent: this, dependsOn: lock ? [lock] : [] },
    );
    return { vault, keyArn, key, policy, lock };
  }

  private accessPolicy(
    ctx: BackupPolicyContext,
    sources: CopySources,
    args: CentralBackupVaultArgs,
  ): PolicyDocument {
    exemptRolesInVaultAccount(args, ctx.accountId);
    return centralVaultAccessPolicy(ctx, sources, {
      breakGlassRoleArn: args.breakGlassRoleArn,
      vaultAdminRoleArns: args.vaultAdminRoleArns ?? [],
    });
  }
}

/** Throws when the break-glass role or a vault administrator is not in the vault's account. */
function exemptRolesInVaultAccount(args: CentralBackupVaultArgs, accountId: string): void {
  exemptRolesInAccount(
    vaultExemptRoles(args),
    accountId,
    (account) =>
      `the role is in account ${account}, but the vault is in ${accountId}: AWS Backup rejects other accounts' calls on the vault`,
  );
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/** One Output of a record keyed by region, from one Input per region. */
function byRegion(
  regions: string[],
  value: (region: string) => pulumi.Input<string>,
): pulumi.Output<Record<string, string>> {
  return pulumi
    .all(regions.map((r) => pulumi.output(value(r))))
    .apply((values) => Object.fromEntries(regions.map((r, i) => [r, values[i]])));
}
