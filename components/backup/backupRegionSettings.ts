import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentProblems } from "../shared/validation";

/** An account's AWS Backup settings in each region a component uses. */
export interface BackupRegionSettingsArgs {
  /**
   * Manage the region settings. Default `true`. They are one resource per account and region: only one
   * program may own them. Set `false` when another stack does; it must still opt DynamoDB in with advanced
   * backup (`resourceTypeOptInPreference` and `resourceTypeManagementPreference` both `DynamoDB: true`).
   */
  enabled?: boolean;
  /** Opt-in preferences for other services, kept alongside `DynamoDB: true`. */
  resourceTypeOptInPreference?: Record<string, boolean>;
  /** Full-management preferences for other services, kept alongside `DynamoDB: true` (advanced DynamoDB backup). */
  resourceTypeManagementPreference?: Record<string, boolean>;
}

export function validateRegionSettings(
  settings: BackupRegionSettingsArgs | undefined,
  problems: ArgumentProblems,
): void {
  for (const key of ["resourceTypeOptInPreference", "resourceTypeManagementPreference"] as const) {
    if (settings?.[key]?.DynamoDB === false) {
      problems.add(
        `regionSettings.${key}.DynamoDB`,
        "DynamoDB must stay opted in with advanced backup: without it tables are not backed up or copied across accounts; remove the entry",
      );
    }
  }
}

/**
 * Opts DynamoDB in to AWS Backup with advanced backup (full management: the vault's key encrypts the
 * backups, and cross-account and cross-region copies work) in one region.
 */
export function dynamoDbRegionSettings(
  resourceName: string,
  region: string,
  settings: BackupRegionSettingsArgs | undefined,
  parent: pulumi.Resource,
): aws.backup.RegionSettings {
  return new aws.backup.RegionSettings(
    resourceName,
    {
      region,
      resourceTypeOptInPreference: { ...(settings?.resourceTypeOptInPreference ?? {}), DynamoDB: true },
      resourceTypeManagementPreference: {
        ...(settings?.resourceTypeManagementPreference ?? {}),
        DynamoDB: true,
      },
    },
    { parent },
  );
}
