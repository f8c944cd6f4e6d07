import { AnalyzerResource } from "../../../preview/analyzerClient";
import { res } from "./packHarness";

/** Compliant resources of both providers; each test breaks one thing. */

export const ACCOUNT = "111111111111";
export const KEY_USE1 = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1111`;
export const KEY_EUW1 = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1111`;
export const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
export const STREAM_ARN = `${TABLE_ARN}/stream/2026-01-01T00:00:00.000`;

type Props = Record<string, unknown>;

/** A deep copy of `props` changed by `edit`. */
export function edit(props: Props, change: (p: Props) => void): Props {
  const copy = JSON.parse(JSON.stringify(props)) as Props;
  change(copy);
  return copy;
}

export const NATIVE_PROVIDER = {
  type: "pulumi:providers:aws-native",
  urn: "urn:pulumi:test::pack::pulumi:providers:aws-native::default",
  name: "default",
  properties: { region: "us-east-1" },
};

export const CLASSIC_PROVIDER = {
  type: "pulumi:providers:aws",
  urn: "urn:pulumi:test::pack::pulumi:providers:aws::default",
  name: "default",
  properties: { region: "us-east-1", allowedAccountIds: JSON.stringify([ACCOUNT]) },
};

export const classicTable: Props = {
  name: "orders",
  region: "us-east-1",
  hashKey: "id",
  attributes: [{ name: "id", type: "S" }],
  billingMode: "PAY_PER_REQUEST",
  serverSideEncryption: { enabled: true, kmsKeyArn: KEY_USE1 },
  pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
  deletionProtectionEnabled: true,
  streamEnabled: false,
  tags: { backup: "required" },
};

export const classicReplica = {
  regionName: "eu-west-1",
  kmsKeyArn: KEY_EUW1,
  pointInTimeRecovery: true,
  deletionProtectionEnabled: true,
  propagateTags: true,
};

export const classicGlobal: Props = edit(classicTable, (p) => {
  p.streamEnabled = true;
  p.streamViewType = "NEW_AND_OLD_IMAGES";
  p.replicas = [classicReplica];
});

export const tableReplica: Props = {
  globalTableArn: TABLE_ARN,
  region: "eu-west-1",
  kmsKeyArn: KEY_EUW1,
  pointInTimeRecovery: true,
  deletionProtectionEnabled: true,
};

export const nativeTable: Props = {
  tableName: "orders",
  keySchema: [{ attributeName: "id", keyType: "HASH" }],
  attributeDefinitions: [{ attributeName: "id", attributeType: "S" }],
  billingMode: "PAY_PER_REQUEST",
  sseSpecification: { sseEnabled: true, sseType: "KMS", kmsMasterKeyId: KEY_USE1 },
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtectionEnabled: true,
  tags: [{ key: "backup", value: "required" }],
};

function nativeReplica(region: string, key: string): Props {
  return {
    region,
    sseSpecification: { kmsMasterKeyId: key },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtectionEnabled: true,
    tags: [{ key: "backup", value: "required" }],
  };
}

export const nativeGlobal: Props = {
  tableName: "orders",
  keySchema: [{ attributeName: "id", keyType: "HASH" }],
  attributeDefinitions: [{ attributeName: "id", attributeType: "S" }],
  billingMode: "PAY_PER_REQUEST",
  sseSpecification: { sseEnabled: true, sseType: "KMS" },
  streamSpecification: { streamViewType: "NEW_AND_OLD_IMAGES" },
  replicas: [nativeReplica("us-east-1", KEY_USE1), nativeReplica("eu-west-1", KEY_EUW1)],
};

export function awsTable(props: Props = classicTable, name = "orders"): AnalyzerResource {
  return res("aws:dynamodb/table:Table", name, props, { provider: CLASSIC_PROVIDER });
}

export function nativeTableResource(props: Props = nativeTable, name = "orders"): AnalyzerResource {
  return res("aws-native:dynamodb:Table", name, props, { provider: NATIVE_PROVIDER });
}

export function nativeGlobalResource(props: Props = nativeGlobal, name = "orders"): AnalyzerResource {
  return res("aws-native:dynamodb:GlobalTable", name, props, { provider: NATIVE_PROVIDER });
}

/** A policy document JSON string. */
export function doc(...statements: Props[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export const READ_STATEMENT: Props = {
  Effect: "Allow",
  Action: ["dynamodb:GetItem", "dynamodb:Query"],
  Resource: [TABLE_ARN, `${TABLE_ARN}/index/*`],
};

/** A multi-region trail logging every table's data events. */
export const TRAIL = res("aws:cloudtrail/trail:Trail", "trail", {
  s3BucketName: "logs",
  isMultiRegionTrail: true,
  eventSelectors: [
    { readWriteType: "All", dataResources: [{ type: "AWS::DynamoDB::Table", values: ["arn:aws:dynamodb"] }] },
  ],
});

/** A plan copying to another account and region, and a selection of every table tagged backup=required. */
export const BACKUP_PLAN = res("aws:backup/plan:Plan", "backup-plan", {
  region: "us-east-1",
  rules: [
    {
      ruleName: "daily",
      targetVaultName: "vault",
      copyActions: [{ destinationVaultArn: "arn:aws:backup:eu-west-1:999999999999:backup-vault:dr" }],
    },
  ],
});
export const BACKUP_SELECTION = res(
  "aws:backup/selection:Selection",
  "backup-selection",
  {
    iamRoleArn: "arn:aws:iam::111111111111:role/backup",
    planId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    region: "us-east-1",
    selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "required" }],
  },
  { propertyDependencies: { planId: [BACKUP_PLAN.urn] }, dependencies: [BACKUP_PLAN.urn] },
);
export const BACKUP = [BACKUP_PLAN, BACKUP_SELECTION];
/** Trail and backup: what a stack needs so that only the check under test can fire. */
export const COVERAGE = [TRAIL, ...BACKUP];
