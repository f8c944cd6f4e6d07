import { RegionSpec } from "./fakeAws";
import { AWS_MANAGED_KEY_ID, CALLER, hardenedRegion, hardenedTable, keyArn } from "./estate";

const R = "us-east-1";
export const arn = (name: string, region = R, account = CALLER) =>
  `arn:aws:dynamodb:${region}:${account}:table/${name}`;
export const PUBLIC_POLICY = (resource: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: "*", Action: "dynamodb:*", Resource: resource }],
  });
export const READER_POLICY = (resource: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${CALLER}:role/reader` },
        Action: ["dynamodb:GetItem", "dynamodb:Query"],
        Resource: resource,
      },
    ],
  });

/** One region holding a hardened table and, for every practice, a table or resource that breaks it. */
export function practicesRegion(): RegionSpec {
  const t = (name: string, change?: Parameters<typeof hardenedTable>[3]) =>
    hardenedTable(CALLER, R, name, change);
  const region = hardenedRegion(CALLER, R, [
    t("good"),
    t("good-policy", (s) => (s.policy = READER_POLICY(arn("good-policy")))),
    t("p1-owned", (s) => delete s.table.SSEDescription),
    t("p1-managed", (s) => {
      s.table.SSEDescription = {
        Status: "ENABLED",
        SSEType: "KMS",
        KMSMasterKeyArn: keyArn(CALLER, R, AWS_MANAGED_KEY_ID),
      };
    }),
    t("p2-off", (s) => (s.pitr = { enabled: false })),
    t("p2-short", (s) => (s.pitr = { enabled: true, days: 3 })),
    t("p3-off", (s) => (s.table.DeletionProtectionEnabled = false)),
    t("p47-public", (s) => (s.policy = PUBLIC_POLICY(arn("p47-public")))),
    t("p9-unselected", (s) => (s.tags = { team: "orders" })),
    t("p10-fixed", (s) => {
      s.table.BillingModeSummary = { BillingMode: "PROVISIONED" };
      s.table.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    }),
    t("p10-scaled", (s) => {
      s.table.BillingModeSummary = { BillingMode: "PROVISIONED" };
      s.table.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    }),
    t("p11-stream", (s) => {
      s.table.StreamSpecification = { StreamEnabled: true, StreamViewType: "KEYS_ONLY" };
      s.table.LatestStreamArn = `${arn("p11-stream")}/stream/2024-01-01T00:00:00.000`;
      s.streamPolicy = PUBLIC_POLICY(`${arn("p11-stream")}/stream/*`);
    }),
    t("p12-foreign-key", (s) => {
      s.table.SSEDescription = {
        Status: "ENABLED",
        SSEType: "KMS",
        KMSMasterKeyArn: keyArn(CALLER, "eu-west-1", "eu-key"),
      };
    }),
  ]);
  region.keys![keyArn(CALLER, "eu-west-1", "eu-key")] = "CUSTOMER";
  const scaled = "table/p10-scaled";
  region.targets = ["Read", "Write"].map((d) => ({
    ServiceNamespace: "dynamodb",
    ResourceId: scaled,
    ScalableDimension: `dynamodb:table:${d}CapacityUnits`,
    MinCapacity: 5,
    MaxCapacity: 100,
    RoleARN:
      "arn:aws:iam::111111111111:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
    CreationTime: 1700000000,
  }));
  region.scalingPolicies = ["Read", "Write"].map((d) => ({
    PolicyARN: `arn:aws:autoscaling:${R}:${CALLER}:scalingPolicy:x:resource/dynamodb/${scaled}:policyName/${d}`,
    PolicyName: `${d}-tracking`,
    ServiceNamespace: "dynamodb",
    ResourceId: scaled,
    ScalableDimension: `dynamodb:table:${d}CapacityUnits`,
    PolicyType: "TargetTrackingScaling",
    CreationTime: 1700000000,
  }));
  const stream = `${arn("p11-stream")}/stream/2024-01-01T00:00:00.000`;
  region.mappings = [
    {
      UUID: "unbounded",
      EventSourceArn: stream,
      FunctionArn: `arn:aws:lambda:${R}:${CALLER}:function:f`,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      State: "Enabled",
    },
    {
      UUID: "bounded",
      EventSourceArn: stream,
      FunctionArn: `arn:aws:lambda:${R}:${CALLER}:function:g`,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:${R}:${CALLER}:dlq` } },
      State: "Enabled",
    },
    { UUID: "not-dynamodb", EventSourceArn: `arn:aws:sqs:${R}:${CALLER}:q`, FunctionArn: "f" },
  ];
  region.clusters = [
    {
      ClusterName: "dax-plain",
      ClusterArn: `arn:aws:dax:${R}:${CALLER}:cache/dax-plain`,
      SSEDescription: { Status: "DISABLED" },
      ClusterEndpointEncryptionType: "NONE",
      Status: "available",
    },
    {
      ClusterName: "dax-hardened",
      ClusterArn: `arn:aws:dax:${R}:${CALLER}:cache/dax-hardened`,
      SSEDescription: { Status: "ENABLED" },
      ClusterEndpointEncryptionType: "TLS",
      Status: "available",
    },
  ];
  region.vaults!.push({
    BackupVaultName: "Default",
    BackupVaultArn: `arn:aws:backup:${R}:${CALLER}:backup-vault:Default`,
    EncryptionKeyArn: keyArn(CALLER, R, AWS_MANAGED_KEY_ID),
  });
  const service = `com.amazonaws.${R}.dynamodb`;
  region.endpoints = [
    {
      id: "vpce-open",
      type: "Gateway",
      service,
      policy: JSON.stringify({
        Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
      }),
    },
    {
      id: "vpce-named",
      type: "Gateway",
      service,
      policy: JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: "*",
            Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
            Resource: [arn("good")],
          },
        ],
      }),
    },
  ];
  // A Lambda in two subnets, one with its own route table and one on the VPC's main route table, both routed.
  region.endpoints[1].routeTableIds = ["rtb-routed", "rtb-main"];
  region.functions = [
    {
      FunctionName: "in-vpc",
      FunctionArn: `arn:aws:lambda:${R}:${CALLER}:function:in-vpc`,
      Runtime: "nodejs22.x",
      VpcConfig: {
        SubnetIds: ["subnet-routed", "subnet-main"],
        SecurityGroupIds: ["sg-1"],
        VpcId: "vpc-0fake",
      },
    },
    {
      FunctionName: "no-vpc",
      FunctionArn: `arn:aws:lambda:${R}:${CALLER}:function:no-vpc`,
      Runtime: "nodejs22.x",
    },
  ];
  region.routeTables = [
    { id: "rtb-routed", vpcId: "vpc-0fake", subnets: ["subnet-routed"] },
    { id: "rtb-main", vpcId: "vpc-0fake", main: true },
  ];
  region.legacyGlobalTables = [
    { GlobalTableName: "legacy", ReplicationGroup: [{ RegionName: R }, { RegionName: "eu-west-1" }] },
  ];
  return region;
}
