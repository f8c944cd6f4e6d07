import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HardenedTable } from "../components";
import { dynamoDbKeyPolicy } from "../components/shared/kmsKeyPolicy";

/** The programs the component benchmark compares: components, and the same resources written by hand. */
export type Variant = "component" | "hand" | "global-component" | "global-hand";

const REPLICA_REGIONS = ["eu-west-1", "ap-southeast-2"];

function keyPolicy(region: string, identity: pulumi.Output<{ accountId: string }>) {
  return identity.apply((id) =>
    JSON.stringify(dynamoDbKeyPolicy({ partition: "aws", accountId: id.accountId, region })),
  );
}

function handTable(i: number, identity: pulumi.Output<{ accountId: string }>, global: boolean): void {
  const tags = { team: "bench", backup: "required", "dynamodb-hardened:managed-by": "HardenedTable" };
  const key = new aws.kms.Key(`t${i}-key`, {
    description: `DynamoDB table t${i}: customer-managed encryption key`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    multiRegion: global,
    policy: keyPolicy("us-east-1", identity),
    region: "us-east-1",
    tags,
  });
  const replicaKeys = global
    ? REPLICA_REGIONS.map(
        (region) =>
          new aws.kms.ReplicaKey(`t${i}-key-${region}`, {
            description: `DynamoDB table t${i}: replica key in ${region}`,
            primaryKeyArn: key.arn,
            deletionWindowInDays: 30,
            policy: keyPolicy(region, identity),
            region,
            tags,
          }),
      )
    : [];
  new aws.dynamodb.Table(
    `t${i}`,
    {
      region: "us-east-1",
      hashKey: "pk",
      attributes: [{ name: "pk", type: "S" }],
      tableClass: "STANDARD",
      billingMode: "PAY_PER_REQUEST",
      serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
      deletionProtectionEnabled: true,
      streamEnabled: global,
      streamViewType: global ? "NEW_AND_OLD_IMAGES" : undefined,
      replicas: global
        ? REPLICA_REGIONS.map((region, r) => ({
            regionName: region,
            kmsKeyArn: replicaKeys[r].arn,
            pointInTimeRecovery: true,
            deletionProtectionEnabled: true,
            propagateTags: true,
            consistencyMode: "EVENTUAL",
          }))
        : undefined,
      tags: global ? { ...tags, "dynamodb-hardened:stream-reason": "global-table-replication" } : tags,
    },
    { protect: true },
  );
}

export function program(variant: Variant, count: number): () => void {
  return () => {
    const global = variant.startsWith("global");
    if (variant === "component" || variant === "global-component") {
      for (let i = 0; i < count; i++) {
        new HardenedTable(`t${i}`, {
          region: "us-east-1",
          hashKey: "pk",
          attributes: [{ name: "pk", type: "S" }],
          tags: { team: "bench" },
          replicas: global ? REPLICA_REGIONS.map((region) => ({ region })) : undefined,
        });
      }
    } else {
      const identity = aws.getCallerIdentityOutput({});
      for (let i = 0; i < count; i++) handTable(i, identity, global);
    }
  };
}
