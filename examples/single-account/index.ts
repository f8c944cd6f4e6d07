import * as pulumi from "@pulumi/pulumi";
// In your own project: import { HardenedTable } from "dynamodb-hardened";
import { HardenedTable } from "../../components";

const config = new pulumi.Config();
const region = config.get("region") ?? new pulumi.Config("aws").get("region") ?? "us-east-1";

// A customer-managed key with rotation, PITR for 35 days, deletion protection, on-demand capacity,
// no stream and `backup=required` for tag-based AWS Backup plans: all by default.
const orders = new HardenedTable("orders", {
  region,
  hashKey: "orderId",
  attributes: [{ name: "orderId", type: "S" }],
  tags: { app: "shop", environment: config.get("environment") ?? "dev" },
});

export const tableName = orders.name;
export const tableArn = orders.arn;
export const keyArn = orders.keyArn;
