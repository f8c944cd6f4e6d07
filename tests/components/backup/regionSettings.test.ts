import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { CentralBackupVault, TableBackupPlan } from "../../../components";
import { BackupRegionSettingsArgs } from "../../../components/backup/backupRegionSettings";
import { RecordedResource, one, record } from "../../harness/record";

// aws.backup.RegionSettings reads back every resource type AWS Backup knows (issue 14.6): a resource that
// lists only DynamoDB would show a diff on every preview. The component ignores both maps and applies a
// change of its intended preferences through a new resource name.

const BACKUP_ACCOUNT = "999999999999";
const SETTINGS = "aws:backup/regionSettings:RegionSettings";
const MAPS = ["resourceTypeOptInPreference", "resourceTypeManagementPreference"];

/** What DescribeRegionSettings returns in a region: every type AWS Backup knows, not only DynamoDB. */
const READ_BACK = {
  resourceTypeOptInPreference: {
    Aurora: true,
    DocumentDB: true,
    DynamoDB: true,
    EBS: true,
    EC2: true,
    EFS: true,
    FSx: true,
    Neptune: true,
    RDS: true,
    S3: false,
    "Storage Gateway": true,
    VirtualMachine: true,
  },
  resourceTypeManagementPreference: { DynamoDB: true, EFS: true },
};

/**
 * The properties a preview would report as changed for a resource whose state is `READ_BACK`: those
 * whose inputs differ from the state, less those the resource ignores (the provider filters its diff by
 * `ignoreChanges`).
 */
function previewDiff(settings: RecordedResource): string[] {
  return MAPS.filter(
    (key) =>
      JSON.stringify(settings.inputs[key]) !== JSON.stringify(READ_BACK[key as keyof typeof READ_BACK]) &&
      !settings.ignoreChanges.includes(key),
  );
}

function recordVault(regionSettings?: BackupRegionSettingsArgs): Promise<RecordedResource[]> {
  return record(() => {
    new CentralBackupVault(
      "central",
      {
        region: "us-east-1",
        sourceAccountIds: ["222222222222"],
        breakGlassRoleArn: `arn:aws:iam::${BACKUP_ACCOUNT}:role/break-glass`,
        vaultAdminRoleArns: [`arn:aws:iam::${BACKUP_ACCOUNT}:role/backup-deployer`],
        regionSettings,
      },
      { provider: new aws.Provider("backup", { region: "us-east-1", allowedAccountIds: [BACKUP_ACCOUNT] }) },
    );
  });
}

describe("Backup region settings", () => {
  it("show no diff on a preview after AWS reports every resource type it knows", async () => {
    for (const resources of [
      await recordVault(),
      await record(() => new TableBackupPlan("orders", { region: "us-east-1", allowNoCopy: true })),
    ]) {
      const settings = one(resources, SETTINGS);
      assert.deepStrictEqual(previewDiff(settings), []);
      // The intended preferences are still what the resource is created with.
      assert.deepStrictEqual(settings.inputs.resourceTypeOptInPreference, { DynamoDB: true });
      assert.deepStrictEqual(settings.inputs.resourceTypeManagementPreference, { DynamoDB: true });
    }
  });

  it("keep their resource name with the default preferences, so existing stacks do not churn", async () => {
    assert.strictEqual(one(await recordVault(), SETTINGS).name, "central-region-settings");
  });

  it("apply changed preferences through a new resource, whose create sets them", async () => {
    const defaults = one(await recordVault(), SETTINGS);
    const withEbs = one(await recordVault({ resourceTypeOptInPreference: { EBS: true } }), SETTINGS);
    const withoutEbs = one(await recordVault({ resourceTypeOptInPreference: { EBS: false } }), SETTINGS);
    assert.notStrictEqual(withEbs.urn, defaults.urn);
    assert.notStrictEqual(withEbs.urn, withoutEbs.urn);
    assert.deepStrictEqual(withEbs.inputs.resourceTypeOptInPreference, { EBS: true, DynamoDB: true });
    assert.match(withEbs.name, /^central-region-settings-[0-9a-f]{8}$/);
  });

  it("keep one name for the same preferences in any order", async () => {
    const a = one(await recordVault({ resourceTypeOptInPreference: { EBS: true, RDS: false } }), SETTINGS);
    const b = one(await recordVault({ resourceTypeOptInPreference: { RDS: false, EBS: true } }), SETTINGS);
    assert.strictEqual(a.name, b.name);
  });
});
