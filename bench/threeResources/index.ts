import * as aws from "@pulumi/aws";

const key = new aws.kms.Key("orders", { enableKeyRotation: true, deletionWindowInDays: 30 });
new aws.dynamodb.Table("orders", {
  attributes: [{ name: "id", type: "S" }],
  hashKey: "id",
  billingMode: "PAY_PER_REQUEST",
  pointInTimeRecovery: { enabled: true },
  deletionProtectionEnabled: true,
  serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
});
new aws.cloudwatch.LogGroup("orders", { retentionInDays: 365 });
