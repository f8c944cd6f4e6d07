import { createHash } from "crypto";
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

/** The preferences the component sets: the user's, with DynamoDB always opted in and fully managed. */
export function intendedRegionSettings(settings: BackupRegionSettingsArgs | undefined): {
  resourceTypeOptInPreference: Record<string, boolean>;
  resourceTypeManagementPreference: Record<string, boolean>;
} {
  return {
    resourceTypeOptInPreference: { ...(settings?.resourceTypeOptInPreference ?? {}), DynamoDB: true },
    resourceTypeManagementPreference: {
      ...(settings?.resourceTypeManagementPreference ?? {}),
      DynamoDB: true,
    },
  };
}

const sorted = (map: Record<string, boolean>) =>
  Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The name of the region settings resource: `resourceName` for the default preferences (DynamoDB only),
 * else suffixed with a hash of the preferences, so that changing them creates a resource that applies
 * them (see `dynamoDbRegionSettings`).
 */
function settingsResourceName(
  resourceName: string,
  intended: ReturnType<typeof intendedRegionSettings>,
): string {
  const preferences = [intended.resourceTypeOptInPreference, intended.resourceTypeManagementPreference];
  if (preferences.every((map) => Object.keys(map).length === 1)) return resourceName;
  const hash = createHash("sha256")
    .update(JSON.stringify(preferences.map(sorted)))
    .digest("hex")
    .slice(0, 8);
  return `${resourceName}-${hash}`;
}

/**
 * Opts DynamoDB in to AWS Backup with advanced backup (full management: the vault's key encrypts the
 * backups, and cross-account and cross-region copies work) in one region.
 *
 * The provider reads back every resource type AWS Backup knows in both maps (DescribeRegionSettings, set
 * whole in terraform-provider-aws internal/service/backup/region_settings.go), so a resource listing only
 * the types it manages would show a diff on every preview: it ignores changes to both maps. Ignored
 * properties keep their previous inputs even when the resource is replaced, so a change of the intended
 * preferences is applied through a new resource name instead: the new resource's create applies them
 * (UpdateRegionSettings changes only the types it lists), and deleting the old one is a no-op in the
 * provider (region settings cannot be deleted).
 */
export function dynamoDbRegionSettings(
  resourceName: string,
  region: string,
  settings: BackupRegionSettingsArgs | undefined,
  parent: pulumi.Resource,
): aws.backup.RegionSettings {
  const intended = intendedRegionSettings(settings);
  return new aws.backup.RegionSettings(
    settingsResourceName(resourceName, intended),
    { region, ...intended },
    { parent, ignoreChanges: ["resourceTypeOptInPreference", "resourceTypeManagementPreference"] },
  );
}
