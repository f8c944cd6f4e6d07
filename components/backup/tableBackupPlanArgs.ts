import * as pulumi from "@pulumi/pulumi";
import { BackupRegionSettingsArgs } from "./backupRegionSettings";

/** One backup rule of the plan. */
export interface TableBackupRuleArgs {
  /** The rule's name (1 to 50 letters, digits, `-`, `_`, `.`). */
  name: string;
  /** When backups start, as an AWS Backup `cron(...)` or `rate(...)` expression. Default `cron(0 2 * * ? *)` (daily, 02:00). */
  scheduleExpression?: string;
  /** The time zone of `scheduleExpression`, e.g. `Europe/Paris`. Default `Etc/UTC`. */
  scheduleExpressionTimezone?: string;
  /** Minutes after the scheduled time within which a job must start (at least 60). Default 60. */
  startWindowMinutes?: number;
  /** Minutes after the start within which a job must finish (more than `startWindowMinutes`). Default 180. */
  completionWindowMinutes?: number;
  /** Days the local recovery points are kept (1 to 36500; 1 to 35 for continuous rules). Default 35. */
  deleteAfterDays?: number;
  /** Days after which local recovery points move to cold storage; `deleteAfterDays` must be at least 90 more. Default: never. */
  coldStorageAfterDays?: number;
  /**
   * A continuous (point-in-time) rule. Its retention must be 1 to 35 days. AWS Backup has no continuous
   * backup for DynamoDB: for tables, DynamoDB's own PITR (on in `HardenedTable`) is that layer. Default `false`.
   */
  enableContinuousBackup?: boolean;
  /** Copy this rule's recovery points to every destination in `copies`. Default `true`. */
  copy?: boolean;
}

/** The retention bounds of a destination vault's lock, as known to whoever configured it. */
export interface TableBackupDestinationLockArgs {
  /** The lock's `minRetentionDays`. */
  minRetentionDays?: number;
  /** The lock's `maxRetentionDays`. */
  maxRetentionDays?: number;
}

/** A copy of every recovery point to another vault: the central backup account's, or a disaster-recovery region's. */
export interface TableBackupCopyArgs {
  /**
   * The destination vault ARN (`arn:aws:backup:<region>:<account>:backup-vault:<name>`), e.g. a
   * `CentralBackupVault`'s `vaultArn` or one of its `vaultArns`. It must differ from the local vault's account
   * and region together.
   */
  destinationVaultArn: pulumi.Input<string>;
  /** Days the copies are kept (1 to 36500). Default 90. Must fit the destination lock when `destinationLock` is given. */
  deleteAfterDays?: number;
  /** Days after which copies move to cold storage; `deleteAfterDays` must be at least 90 more. Default: never. */
  coldStorageAfterDays?: number;
  /**
   * The destination vault lock's retention bounds (`CentralBackupVault.lockMinRetentionDays`/`lockMaxRetentionDays`).
   * When given, a retention outside them is rejected now instead of failing every copy job later.
   */
  destinationLock?: TableBackupDestinationLockArgs;
}

/** A tag the default selection requires. */
export interface TableBackupTagArgs {
  /** The tag key. */
  key: string;
  /** The tag value. */
  value: string;
}

/** The organization-wide cross-account backup setting, set through the management account. */
export interface TableBackupOrganizationArgs {
  /** The AWS Organizations management account's ID; the deployment fails if the role lands elsewhere. */
  managementAccountId: string;
  /** A role in the management account that may call `backup:UpdateGlobalSettings`, assumed from the ambient credentials. */
  roleArn: string;
  /** The external ID the role's trust policy requires, if any. */
  externalId?: string;
  /**
   * The organization's other AWS Backup global settings, as they should stay (e.g. `isMpaEnabled: "false"`).
   * The provider shows a difference on every run for each setting left out; listing them stops it.
   */
  otherGlobalSettings?: Record<string, string>;
}

/** Arguments of `TableBackupPlan`, deployed in a workload account. */
export interface TableBackupPlanArgs {
  /** The region of the plan, the local vault and the tables, e.g. `us-east-1`. */
  region: string;
  /**
   * The workload account's ID. Optional: when set, a copy destination in this account and region is rejected
   * now, and the deployment fails if the provider deploys into another account.
   */
  accountId?: string;
  /** The local vault's name (2 to 50 letters, digits, hyphens, underscores). Default: the component's name. */
  vaultName?: string;
  /** A customer-managed key in `region` for the local vault. Default: the component creates one, with rotation. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Waiting period before a created key is deleted, 7 to 30 days. Default 30. */
  keyDeletionWindowInDays?: number;
  /**
   * The one IAM role of the workload account that may schedule the deletion of, disable, or stop the rotation
   * of the key the component creates (its key policy denies it to everyone else), and change its policy.
   * Default: none, and the key policy has no such deny unless `keyAdminRoleArns` is set. Not with `kmsKeyArn`.
   */
  breakGlassRoleArn?: string;
  /**
   * IAM roles of the workload account that may change the created key's policy but never delete or disable
   * it: usually the role that deploys this stack, which must be here or be `breakGlassRoleArn` (KMS refuses
   * a key policy that locks its creator out, and later copy destinations change the policy). Not with
   * `kmsKeyArn`.
   */
  keyAdminRoleArns?: string[];
  /** The plan's rules. Default: one daily rule (`cron(0 2 * * ? *)`, 60/180-minute windows, 35 days). */
  rules?: TableBackupRuleArgs[];
  /** Where recovery points are copied: the central backup vault, and optionally a disaster-recovery vault. */
  copies?: TableBackupCopyArgs[];
  /** Needed to have no copy at all: without one, whoever holds this account's credentials can delete every backup. */
  allowNoCopy?: boolean;
  /**
   * Tags a DynamoDB table must carry (all of them) to be backed up. Default `backup=required`, the tag
   * `HardenedTable` puts on every table. An empty list turns tag selection off (then `tableArns` is required).
   */
  selectionTags?: TableBackupTagArgs[];
  /** Tables backed up whatever their tags; they must be in `region`. */
  tableArns?: pulumi.Input<string>[];
  /**
   * The role AWS Backup assumes. Default: the component creates one with the AWS managed backup and restore
   * policies. A given role must trust `backup.amazonaws.com`.
   */
  backupRoleArn?: pulumi.Input<string>;
  /** The account's AWS Backup region settings. Default: managed, DynamoDB opted in with advanced backup. */
  regionSettings?: BackupRegionSettingsArgs;
  /**
   * Turn cross-account backup on for the whole organization, through the management account. Default: not
   * managed here (it must already be on). Needed once per organization, not once per plan.
   */
  organizationSettings?: TableBackupOrganizationArgs;
  /** Pulumi `protect` on the local vault and its key. Default `true`. */
  protect?: boolean;
  /** Tags for every child that takes tags; also put on the recovery points. */
  tags?: Record<string, string>;
}
