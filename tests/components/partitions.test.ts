import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { DynamoDbGatewayEndpoint, HardenedTable, HardenedTableArgs, TableAccessRole } from "../../components";
import { EXTRA_REGIONS_ENV } from "../../components/shared/partitions";
import { byType, one, parsePolicy, record } from "../harness/record";
import { assertProblemOn, constructionError } from "../harness/rejection";

// Regions and ARNs come from the AWS SDK's partition data, not from hand-written patterns (issue 14.6).

/** One region of each partition the AWS SDK knows today. */
const PARTITION_REGIONS: Record<string, string> = {
  aws: "eu-central-2",
  "aws-cn": "cn-northwest-1",
  "aws-us-gov": "us-gov-east-1",
  "aws-iso": "us-iso-east-1",
  "aws-iso-b": "us-isob-east-1",
  "aws-iso-e": "eu-isoe-west-1",
  "aws-iso-f": "us-isof-south-1",
  "aws-eusc": "eusc-de-east-1",
};

const base: HardenedTableArgs = {
  name: "orders",
  hashKey: "pk",
  attributes: [{ name: "pk", type: "S" }],
};

const ACCOUNT = "111111111111";

function viaServiceOf(policy: unknown): unknown {
  const statement = parsePolicy(policy).Statement.find(
    (s) =>
      (s.Condition as Record<string, Record<string, unknown>> | undefined)?.StringEquals?.["kms:ViaService"],
  );
  assert.ok(statement, "a statement conditioned on kms:ViaService");
  return (statement.Condition as Record<string, Record<string, unknown>>).StringEquals["kms:ViaService"];
}

describe("partitions and regions from the AWS SDK's data", () => {
  it("accepts a HardenedTable in a region of every partition and places it there", async () => {
    for (const [partition, region] of Object.entries(PARTITION_REGIONS)) {
      const resources = await record(() => new HardenedTable(`orders-${partition}`, { ...base, region }));
      assert.strictEqual(one(resources, "aws:dynamodb/table:Table").inputs.region, region, partition);
    }
  });

  it("accepts table, key and principal ARNs of the aws-eusc and aws-iso-f partitions", async () => {
    for (const [partition, region] of [
      ["aws-eusc", "eusc-de-east-1"],
      ["aws-iso-f", "us-isof-south-1"],
    ]) {
      const resources = await record(
        () =>
          new TableAccessRole(`orders-${partition}`, {
            tableArn: `arn:${partition}:dynamodb:${region}:${ACCOUNT}:table/orders`,
            kmsKeyArn: `arn:${partition}:kms:${region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
            trustedPrincipals: [`arn:${partition}:iam::222222222222:role/app`],
            externalId: "orders-7f3a9c",
          }),
      );
      const policy = parsePolicy(one(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
      assert.ok(
        policy.Statement.some(
          (s) => s.Resource === `arn:${partition}:dynamodb:${region}:${ACCOUNT}:table/orders`,
        ),
        JSON.stringify(policy),
      );
    }
  });

  it("refuses a plausible region AWS does not have, naming the nearest ones and the escape hatch", async () => {
    const error = await constructionError(
      () => new HardenedTable("orders", { ...base, region: "us-north-1" }),
    );
    assertProblemOn(error, "region", /"us-north-1" is not an AWS region/);
    const reason = error.errors.find((e) => e.propertyPath === "region")!.reason;
    assert.match(reason, /eu-north-1/, "names the nearest region");
    assert.match(reason, /us-east-1, us-east-2, us-west-1, us-west-2/, "lists the regions of us");
    assert.ok(reason.includes(EXTRA_REGIONS_ENV), reason);
  });

  it(`accepts a region newer than the SDK's data when ${EXTRA_REGIONS_ENV} lists it`, async () => {
    const newer = "us-isof-north-1";
    const error = await constructionError(() => new HardenedTable("orders", { ...base, region: newer }));
    assertProblemOn(error, "region", /not an AWS region/);
    const before = process.env[EXTRA_REGIONS_ENV];
    process.env[EXTRA_REGIONS_ENV] = `ap-east-9, ${newer}`;
    try {
      const resources = await record(() => new HardenedTable("orders", { ...base, region: newer }));
      assert.strictEqual(one(resources, "aws:dynamodb/table:Table").inputs.region, newer);
    } finally {
      if (before === undefined) delete process.env[EXTRA_REGIONS_ENV];
      else process.env[EXTRA_REGIONS_ENV] = before;
    }
  });

  it("lists both DNS forms of kms:ViaService in a China region's key policy and role policy", async () => {
    const forms = ["dynamodb.cn-north-1.amazonaws.com", "dynamodb.cn-north-1.amazonaws.com.cn"];
    const table = await record(() => new HardenedTable("orders", { ...base, region: "cn-north-1" }));
    const keys = byType(table, "aws:kms/key:Key");
    assert.strictEqual(keys.length, 1);
    assert.deepStrictEqual(viaServiceOf(keys[0].inputs.policy), forms);

    const role = await record(
      () =>
        new TableAccessRole("orders-cn", {
          tableArn: `arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/orders`,
          kmsKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
          trustedPrincipals: ["arn:aws-cn:iam::222222222222:role/app"],
          externalId: "orders-7f3a9c",
        }),
    );
    assert.deepStrictEqual(viaServiceOf(one(role, "aws:iam/rolePolicy:RolePolicy").inputs.policy), forms);

    // Where the DNS suffix is amazonaws.com (GovCloud too), the one documented value stays alone.
    const gov = await record(() => new HardenedTable("orders", { ...base, region: "us-gov-west-1" }));
    assert.strictEqual(
      viaServiceOf(one(gov, "aws:kms/key:Key").inputs.policy),
      "dynamodb.us-gov-west-1.amazonaws.com",
    );
  });

  it("names the DynamoDB gateway service com.amazonaws.<region>.dynamodb in China too", async () => {
    const resources = await record(() => {
      const provider = new aws.Provider("china", { region: "cn-north-1" });
      return new DynamoDbGatewayEndpoint(
        "edge",
        {
          region: "cn-north-1",
          vpcId: "vpc-0a1b2c3d4e5f67890",
          routeTableIds: ["rtb-0a1b2c3d"],
          tableArns: [`arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/orders`],
        },
        { provider },
      );
    });
    assert.strictEqual(
      one(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs.serviceName,
      "com.amazonaws.cn-north-1.dynamodb",
    );
  });
});
