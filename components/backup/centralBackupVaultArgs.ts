import * as pulumi from "@pulumi/pulumi";
import { BackupRegionSettingsArgs } from "./backupRegionSettings";

/** A further region that gets its own vault, key, lock and policy, for disaster recovery. */
export interface CentralBackupVaultRegionArgs {
  /** The region, e.g. `eu-west-1`. */
  region: string;
  /** A customer-managed key in that region for the vault. Default: the component creates one. */
  kmsKeyArn?: pulumi.Input<string>;
}

/** The vault lock: the retention every recovery point in the vault must keep. */
export interface CentralBackupVaultLockArgs {
  /**
   * Lock the vaults. Default `true`. Turning it off also needs `allowVaultLockDisabled: true`: without a lock,
   * anyone allowed to change the vault policy can shorten retention.
   */
  enabled?: boolean;
  /** The shortest retention allowed, in days (1 to 36500). Default 7. Copies kept shorter fail. */
  minRetentionDays?: number;
  /** The longest retention allowed, in days (1 to 36500). Default 365. Copies kept longer fail. */
  maxRetentionDays?: number;
  /**
   * Compliance mode: days (at least 3) during which the lock can still be changed or removed; afterwards
   * nobody, not AWS nor the root user, can remove it or delete the vault before every recovery point
   * expires. Needs `acknowledgeComplianceModeIsIrreversible: true`. Default: unset, governance mode, which
   * principals allowed `backup:DeleteBackupVaultLockConfiguration` can remove (the vault policy denies it to
   * all but the break-glass role and the vault administrators).
   */
  changeableForDays?: number;
}

/** Arguments of `CentralBackupVault`, deployed in the backup account. */
export interface CentralBackupVaultArgs {
  /** The region of the primary vault, e.g. `us-east-1`. */
  region: string;
  /** More regions that each get a vault with the same name, lock and policy, and their own key. */
  additionalRegions?: CentralBackupVaultRegionArgs[];
  /**
   * The backup account's ID. Optional: when set, the deployment fails if the provider deploys into
   * another account, and the break-glass and administrator roles are checked to belong to it now.
   */
  accountId?: string;
  /**
   * The vault name, the same in every region (2 to 50 letters, digits, hyphens, underscores). Default: the
   * component's name. Fixed rather than auto-named so that workload stacks can write the vault ARN down.
   */
  vaultName?: string;
  /**
   * Workload accounts allowed to copy recovery points in. With `organizationId` as well, a source must be
   * both listed and in the organization. At least one of the two is required.
   */
  sourceAccountIds?: string[];
  /**
   * Allow every account of this AWS Organization (`o-…`) to copy recovery points in. Cross-account copies
   * only work within one organization anyway.
   */
  organizationId?: string;
  /** A customer-managed key in `region` for the primary vault. Default: the component creates one, with rotation. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Waiting period before a created key is deleted, 7 to 30 days. Default 30. */
  keyDeletionWindowInDays?: number;
  /** The vault lock. Default: governance mode, 7 to 365 days. */
  lock?: CentralBackupVaultLockArgs;
  /** Needed with `lock.enabled: false`. */
  allowVaultLockDisabled?: boolean;
  /** Needed with `lock.changeableForDays`: a compliance-mode lock becomes permanent after that many days. */
  acknowledgeComplianceModeIsIrreversible?: boolean;
  /**
   * The one IAM role of the backup account that may delete recovery points, change their lifecycle, and
   * change or remove the vault policy and lock. Default: none, so nobody can delete recovery points.
   */
  breakGlassRoleArn?: string;
  /**
   * IAM roles of the backup account that may change or remove the vault policy and lock and delete an empty
   * vault, but never delete recovery points: usually the role that deploys this stack, so that later updates
   * (a new source account) and `pulumi destroy` work.
   */
  vaultAdminRoleArns?: string[];
  /**
   * Needed when neither `breakGlassRoleArn` nor `vaultAdminRoleArns` is set: then nobody, including this
   * stack, can ever change or delete the vault policy or lock again.
   */
  allowFrozenVaultPolicy?: boolean;
  /**
   * The backup account's AWS Backup region settings in every vault region. Default: managed, DynamoDB opted
   * in with advanced backup, so that copied tables can be restored or copied on from this account.
   */
  regionSettings?: BackupRegionSettingsArgs;
  /** Pulumi `protect` on the vaults, keys and locks. Default `true`. */
  protect?: boolean;
  /** Tags for every child that takes tags. */
  tags?: Record<string, string>;
}
