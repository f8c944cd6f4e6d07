import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// In your own project: import { ... } from "dynamodb-hardened";
import {
  CentralBackupVault,
  DynamoDbDataEventsTrail,
  DynamoDbGatewayEndpoint,
  HardenedTable,
  StreamConsumer,
  TableAccessRole,
  TableBackupPlan,
  accountProvider,
} from "../../components";
import { readConfig } from "./config";

const cfg = readConfig();
const role = (account: string) => `arn:aws:iam::${account}:role/${cfg.deployRoleName}`;
const defaultTags = { project: "orders", "managed-by": "pulumi" };

// One provider per account, each assuming the deploy role there and refusing any other account.
const application = accountProvider("application", {
  accountId: cfg.accounts.application,
  roleArn: role(cfg.accounts.application),
  region: cfg.region,
  defaultTags,
});
const analytics = accountProvider("analytics", {
  accountId: cfg.accounts.analytics,
  roleArn: role(cfg.accounts.analytics),
  region: cfg.region,
  defaultTags,
});
const backup = accountProvider("backup", {
  accountId: cfg.accounts.backup,
  roleArn: role(cfg.accounts.backup),
  region: cfg.region,
  defaultTags,
});

// Backup account: the locked central vault that every workload account copies into.
const central = new CentralBackupVault(
  "central",
  {
    region: cfg.region,
    additionalRegions: [{ region: cfg.replicaRegions[0] }],
    accountId: cfg.accounts.backup,
    organizationId: cfg.organizationId,
    sourceAccountIds: [cfg.accounts.application],
    breakGlassRoleArn: `arn:aws:iam::${cfg.accounts.backup}:role/${cfg.breakGlassRoleName}`,
    vaultAdminRoleArns: [role(cfg.accounts.backup)],
  },
  { provider: backup },
);

// Application account: the global table, its backups, and who may use it.
const orders = new HardenedTable(
  "orders",
  {
    region: cfg.region,
    hashKey: "orderId",
    rangeKey: "createdAt",
    attributes: [
      { name: "orderId", type: "S" },
      { name: "createdAt", type: "N" },
      { name: "customerId", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customerId", rangeKey: "createdAt" }],
    replicas: cfg.replicaRegions.map((region) => ({ region })),
    tags: { app: "orders", "data-classification": "confidential" },
  },
  { provider: application },
);

const lock = {
  minRetentionDays: central.lockMinRetentionDays,
  maxRetentionDays: central.lockMaxRetentionDays,
};
new TableBackupPlan(
  "orders",
  {
    region: cfg.region,
    accountId: cfg.accounts.application,
    copies: [
      { destinationVaultArn: central.vaultArn, destinationLock: lock },
      {
        destinationVaultArn: central.vaultArns.apply((arns) => arns[cfg.replicaRegions[0]]),
        deleteAfterDays: 90,
        destinationLock: lock,
      },
    ],
  },
  { provider: application },
);

const reporting = new TableAccessRole(
  "orders-reporting",
  {
    tableArn: orders.arn,
    kmsKeyArn: orders.keyArn.apply((arn) => arn ?? ""),
    trustedPrincipals: [cfg.usageRoleArn],
    externalId: cfg.externalId,
    organizationId: cfg.organizationId,
    access: "read-only",
  },
  { provider: application },
);

// Application traffic from the VPC reaches DynamoDB privately, and only for this table.
const endpoint = new DynamoDbGatewayEndpoint(
  "orders",
  { region: cfg.region, vpcId: cfg.vpcId, routeTableIds: cfg.routeTableIds, tableArns: [orders.arn] },
  { provider: application },
);

// Who wrote what, in every region of the global table (writes only: the seed's cost option).
const allRegions = [cfg.region, ...cfg.replicaRegions];
new DynamoDbDataEventsTrail(
  "orders-audit",
  {
    region: cfg.region,
    tableArns: allRegions.map((r) => orders.tableArns.apply((arns) => arns[r])),
    readWriteType: "WriteOnly",
  },
  { provider: application },
);

// Analytics account: a Lambda function consuming the table's stream across accounts.
const [functionName, setFunctionName] = pulumi.deferredOutput<string>();
const [streamArn, setStreamArn] = pulumi.deferredOutput<string>();
const consumer = new StreamConsumer(
  "orders-analytics",
  {
    streamArn,
    functionName,
    region: cfg.region,
    tableKmsKeyArn: orders.keyArn.apply((arn) => arn ?? ""),
    // Replication makes a global table's stream NEW_AND_OLD_IMAGES; this consumer needs less.
    streamViewType: "NEW_AND_OLD_IMAGES",
    neededViewType: "NEW_IMAGE",
    allowWiderViewType: true,
    eventNames: ["INSERT", "MODIFY"],
  },
  { provider: analytics },
);
const fn = new aws.lambda.Function(
  "orders-analytics",
  {
    region: cfg.region,
    role: consumer.roleArn,
    runtime: "nodejs20.x",
    handler: "index.handler",
    code: new pulumi.asset.AssetArchive({
      "index.js": new pulumi.asset.StringAsset(
        "exports.handler = async (event) => ({ batchItemFailures: [] }); // aggregate orders here",
      ),
    }),
  },
  { provider: analytics },
);
setFunctionName(fn.name);
const grants = orders.grantStreamRead("orders-analytics", [consumer.roleArn], {
  neededViewType: "NEW_IMAGE",
  allowWiderViewType: true,
  organizationId: cfg.organizationId,
});
setStreamArn(grants[cfg.region].streamArn);

export const tableArns = orders.tableArns;
export const keyArns = orders.keyArns;
export const reportingRoleArn = reporting.roleArn;
export const vpceId = endpoint.vpceId;
export const centralVaultArn = central.vaultArn;
export const analyticsMappingArn = consumer.mappingArn;
