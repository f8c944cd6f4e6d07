import { Estate, IamSpec, RegionSpec, TableSpec } from "./fakeAws";

/** Builders for AWS-shaped test estates: a hardened default, and the one change each case needs. */

export const CALLER = "111111111111";

export function keyArn(account: string, region: string, id = "1234abcd-12ab-34cd-56ef-1234567890ab"): string {
  return `arn:aws:kms:${region}:${account}:key/${id}`;
}

export const AWS_MANAGED_KEY_ID = "0000aaaa-0000-0000-0000-awsmanaged00";

/** A table that passes every per-table practice: customer key, PITR, deletion protection, on-demand, tagged for backup. */
export function hardenedTable(
  account: string,
  region: string,
  name: string,
  change: (t: TableSpec) => void = () => {},
): TableSpec {
  const spec: TableSpec = {
    table: {
      TableName: name,
      TableArn: `arn:aws:dynamodb:${region}:${account}:table/${name}`,
      TableId: "00000000-0000-0000-0000-000000000000",
      TableStatus: "ACTIVE",
      CreationDateTime: 1700000000,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
      BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
      TableSizeBytes: 0,
      ItemCount: 0,
      SSEDescription: { Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: keyArn(account, region) },
      DeletionProtectionEnabled: true,
    },
    pitr: { enabled: true, days: 35 },
    tags: { backup: "required", team: "orders" },
  };
  change(spec);
  return spec;
}

/** The region context that covers hardened tables: backup with a copy elsewhere, a data-event trail, keys. */
export function hardenedRegion(account: string, region: string, tables: TableSpec[]): RegionSpec {
  return {
    tables,
    keys: {
      [keyArn(account, region)]: "CUSTOMER",
      [keyArn(account, region, AWS_MANAGED_KEY_ID)]: "AWS",
    },
    plans: [
      {
        id: "plan-1",
        name: "dynamodb-daily",
        rules: [
          {
            RuleName: "daily",
            TargetBackupVaultName: "primary",
            ScheduleExpression: "cron(0 2 * * ? *)",
            CopyActions: [
              { DestinationBackupVaultArn: `arn:aws:backup:eu-west-1:222222222222:backup-vault:dr` },
            ],
          },
        ],
        selections: [
          {
            SelectionName: "tagged",
            IamRoleArn: `arn:aws:iam::${account}:role/AWSBackupDefaultServiceRole`,
            ListOfTags: [
              { ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "required" },
            ],
            Resources: [],
          },
        ],
      },
    ],
    vaults: [
      {
        BackupVaultName: "primary",
        BackupVaultArn: `arn:aws:backup:${region}:${account}:backup-vault:primary`,
        EncryptionKeyArn: keyArn(account, region),
        Locked: true,
      },
    ],
    trails: [
      {
        trail: {
          Name: "org-data",
          TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/org-data`,
          HomeRegion: "us-east-1",
          IsMultiRegionTrail: true,
          IsOrganizationTrail: false,
        },
        logging: true,
        selectors: {
          EventSelectors: [
            {
              ReadWriteType: "All",
              IncludeManagementEvents: true,
              DataResources: [{ Type: "AWS::DynamoDB::Table", Values: ["arn:aws:dynamodb"] }],
            },
          ],
        },
      },
    ],
  };
}

export interface SimpleEstateOptions {
  /** account -> region -> spec */
  accounts: Record<string, Record<string, RegionSpec>>;
  unassumable?: string[];
  fault?: Estate["fault"];
  /** account -> its IAM principals and customer managed policies */
  iam?: Record<string, IamSpec>;
}

export function simpleEstate(o: SimpleEstateOptions): Estate {
  return {
    organization: Object.keys(o.accounts).map((id) => ({ id, name: `acct-${id.slice(-4)}` })),
    regions: (account) => Object.keys(o.accounts[account] ?? {}),
    region: (account, region) => o.accounts[account]?.[region] ?? { tables: [] },
    assumable: (account, roleName) =>
      roleName === "dynamodb-hardened-audit" &&
      !(o.unassumable ?? []).includes(account) &&
      account in o.accounts,
    fault: o.fault,
    iam: (account) => o.iam?.[account] ?? {},
  };
}
