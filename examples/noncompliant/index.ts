import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";

// Everything here is wrong on purpose: each resource is named after the row of the misconfiguration
// table (seed 003) it reproduces. Do not deploy this program.
const config = new pulumi.Config();
const region = config.get("region") ?? "us-east-1";
const accountId = config.get("accountId") ?? "111111111111";
const hashKey = { hashKey: "pk", attributes: [{ name: "pk", type: "S" }] };
const nativeKey = {
  keySchema: [{ attributeName: "pk", keyType: "HASH" }],
  attributeDefinitions: [{ attributeName: "pk", attributeType: "S" }],
  billingMode: "PAY_PER_REQUEST",
};
// Settings that are right, so each resource shows only its own row's mistake.
const goodClassic = {
  ...hashKey,
  region,
  billingMode: "PAY_PER_REQUEST",
  serverSideEncryption: {
    enabled: true,
    kmsKeyArn: `arn:aws:kms:${region}:${accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  },
  pointInTimeRecovery: { enabled: true },
  deletionProtectionEnabled: true,
  tags: { backup: "required" },
};

// Row 1: AWS-owned key (no CMK), in both providers, and the AWS-managed key.
new aws.dynamodb.Table("row01-aws-owned-key", { ...goodClassic, serverSideEncryption: undefined });
new aws.dynamodb.Table("row01-aws-managed-key", {
  ...goodClassic,
  serverSideEncryption: { enabled: true, kmsKeyArn: `arn:aws:kms:${region}:${accountId}:alias/aws/dynamodb` },
});
new awsnative.dynamodb.Table("row01-native-aws-owned-key", {
  ...nativeKey,
  sseSpecification: { sseEnabled: false },
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtectionEnabled: true,
});

// Row 1, seed 003's "enable automatic key rotation on CMKs": a table's customer-managed key that does not rotate.
const unrotatedKey = new aws.kms.Key("row01-key-without-rotation", {
  region,
  description: "table key without automatic rotation",
  enableKeyRotation: false,
  deletionWindowInDays: 30,
});
new aws.dynamodb.Table("row01-table-on-unrotated-key", {
  ...goodClassic,
  serverSideEncryption: { enabled: true, kmsKeyArn: unrotatedKey.arn },
});

// Row 2: PITR disabled.
new aws.dynamodb.Table("row02-pitr-disabled", { ...goodClassic, pointInTimeRecovery: { enabled: false } });
new awsnative.dynamodb.Table("row02-native-pitr-disabled", {
  ...nativeKey,
  sseSpecification: {
    sseEnabled: true,
    sseType: "KMS",
    kmsMasterKeyId: goodClassic.serverSideEncryption.kmsKeyArn,
  },
  deletionProtectionEnabled: true,
});

// Row 3: deletion protection disabled.
new aws.dynamodb.Table("row03-deletion-protection-disabled", {
  ...goodClassic,
  deletionProtectionEnabled: false,
});
new awsnative.dynamodb.Table("row03-native-deletion-protection-disabled", {
  ...nativeKey,
  sseSpecification: {
    sseEnabled: true,
    sseType: "KMS",
    kmsMasterKeyId: goodClassic.serverSideEncryption.kmsKeyArn,
  },
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtectionEnabled: false,
});

// Row 4: wildcard IAM policies (dynamodb:*), in an identity policy and a role's inline policy.
new aws.iam.Policy("row04-wildcard-identity-policy", {
  policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }],
  }),
});
new aws.iam.Role("row04-wildcard-inline-policy", {
  assumeRolePolicy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  }),
  inlinePolicies: [
    {
      name: "everything",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["dynamodb:*"],
            Resource: `arn:aws:dynamodb:${region}:${accountId}:table/*`,
          },
        ],
      }),
    },
  ],
});

// Row 5: no VPC endpoint: a VPC-attached function reaches DynamoDB over the public endpoint.
const role = new aws.iam.Role("row05-function-role", {
  assumeRolePolicy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  }),
});
new aws.lambda.Function("row05-vpc-function-without-endpoint", {
  region,
  role: role.arn,
  runtime: "nodejs20.x",
  handler: "index.handler",
  code: new pulumi.asset.AssetArchive({
    "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({});"),
  }),
  vpcConfig: { subnetIds: ["subnet-0a1b2c3d4e5f6a7b8"], securityGroupIds: ["sg-0a1b2c3d4e5f6a7b8"] },
});

// Row 6: CloudTrail without data events (management events only).
new aws.cloudtrail.Trail("row06-trail-without-data-events", {
  region,
  s3BucketName: "example-trail-bucket",
  isMultiRegionTrail: true,
  enableLogFileValidation: true,
});

// Rows 7 and 8: DAX unencrypted at rest, and without TLS.
new aws.dax.Cluster("row07-dax-unencrypted-at-rest", {
  region,
  clusterName: "row07-dax",
  nodeType: "dax.r6g.large",
  replicationFactor: 3,
  iamRoleArn: `arn:aws:iam::${accountId}:role/dax`,
  serverSideEncryption: { enabled: false },
  clusterEndpointEncryptionType: "TLS",
});
new aws.dax.Cluster("row08-dax-without-tls", {
  region,
  clusterName: "row08-dax",
  nodeType: "dax.r6g.large",
  replicationFactor: 3,
  iamRoleArn: `arn:aws:iam::${accountId}:role/dax`,
  serverSideEncryption: { enabled: true },
  clusterEndpointEncryptionType: "NONE",
});

// Row 9: a table in no AWS Backup plan (no backup tag, no selection), and a vault without a CMK.
new aws.dynamodb.Table("row09-not-in-backup-plan", { ...goodClassic, tags: { team: "orders" } });
new aws.backup.Vault("row09-vault-without-cmk", { region });

// Row 10: provisioned capacity without autoscaling.
new aws.dynamodb.Table("row10-provisioned-without-autoscaling", {
  ...goodClassic,
  billingMode: "PROVISIONED",
  readCapacity: 5,
  writeCapacity: 5,
});
new awsnative.dynamodb.Table("row10-native-provisioned-without-autoscaling", {
  ...nativeKey,
  billingMode: "PROVISIONED",
  provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 5 },
  sseSpecification: {
    sseEnabled: true,
    sseType: "KMS",
    kmsMasterKeyId: goodClassic.serverSideEncryption.kmsKeyArn,
  },
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtectionEnabled: true,
});

// Row 11: a stream with NEW_AND_OLD_IMAGES for no recorded reason, a consumer with no failure
// handling, and a stream policy that grants more than stream reads.
const streamed = new aws.dynamodb.Table("row11-new-and-old-images-without-reason", {
  ...goodClassic,
  name: "row11-streamed",
  streamEnabled: true,
  streamViewType: "NEW_AND_OLD_IMAGES",
});
new aws.lambda.EventSourceMapping("row11-consumer-without-failure-handling", {
  region,
  eventSourceArn: streamed.streamArn,
  functionName: "orders-processor",
  startingPosition: "LATEST",
});
// Policies are written with literal ARNs so that the pack sees them at preview; an ARN of a resource
// created in the same stack would leave the whole document unknown until the update.
const streamArn = `arn:aws:dynamodb:${region}:${accountId}:table/row11-streamed/stream/2026-01-01T00:00:00.000`;
new aws.dynamodb.ResourcePolicy(
  "row11-stream-policy-beyond-reads",
  {
    region,
    resourceArn: streamArn,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::222222222222:role/consumer" },
          Action: [
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:DescribeStream",
            "dynamodb:PutItem",
          ],
          Resource: streamArn,
        },
      ],
    }),
  },
  { dependsOn: [streamed] },
);

// Row 7 (resource-based policies): a table policy open to every principal.
const shared = new aws.dynamodb.Table("row07-public-resource-policy-table", {
  ...goodClassic,
  name: "row07-shared",
});
const sharedArn = `arn:aws:dynamodb:${region}:${accountId}:table/row07-shared`;
new aws.dynamodb.ResourcePolicy(
  "row07-public-resource-policy",
  {
    region,
    resourceArn: sharedArn,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: ["dynamodb:GetItem"], Resource: sharedArn }],
    }),
  },
  { dependsOn: [shared] },
);

// Row 12: global table replicas with inconsistent settings, in all three shapes.
new aws.dynamodb.Table("row12-replica-without-cmk-or-pitr", {
  ...goodClassic,
  streamEnabled: true,
  streamViewType: "NEW_AND_OLD_IMAGES",
  replicas: [{ regionName: "eu-west-1", pointInTimeRecovery: false }],
});
new awsnative.dynamodb.GlobalTable("row12-native-replica-without-pitr", {
  ...nativeKey,
  sseSpecification: { sseEnabled: true, sseType: "KMS" },
  streamSpecification: { streamViewType: "NEW_AND_OLD_IMAGES" },
  replicas: [
    {
      region,
      sseSpecification: { kmsMasterKeyId: goodClassic.serverSideEncryption.kmsKeyArn },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtectionEnabled: true,
    },
    {
      region: "eu-west-1",
      sseSpecification: { kmsMasterKeyId: goodClassic.serverSideEncryption.kmsKeyArn },
      deletionProtectionEnabled: false,
    },
  ],
});
new aws.dynamodb.GlobalTable("row12-legacy-2017-global-table", {
  name: "row12-legacy",
  replicas: [{ regionName: "us-east-1" }, { regionName: "eu-west-1" }],
});
