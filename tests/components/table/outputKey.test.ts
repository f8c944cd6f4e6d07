import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HardenedTable, HardenedTableArgs } from "../../../components";
import { byType, one, record, recordErrors } from "../../harness/record";

// `PULUMI_ERROR_OUTPUT_STRING=1` makes `String(output)` throw instead of returning a warning text. The SDK
// reads the variable once, at load, into this flag; the tests set the flag as the variable would.
const sdkUtils: { errorOutputString: boolean } = require("@pulumi/pulumi/utils");

const KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const REPLICA_KEY = "arn:aws:kms:eu-west-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef";
const CONSUMER = "arn:aws:iam::222222222222:role/orders-indexer";

const base: HardenedTableArgs = {
  region: "us-east-1",
  hashKey: "orderId",
  attributes: [{ name: "orderId", type: "S" }],
  stream: { viewType: "KEYS_ONLY" },
};

describe("HardenedTable given keys as Outputs, with PULUMI_ERROR_OUTPUT_STRING=1", () => {
  let previous: boolean;
  before(() => {
    previous = sdkUtils.errorOutputString;
    sdkUtils.errorOutputString = true;
  });
  after(() => {
    sdkUtils.errorOutputString = previous;
  });

  it("the flag is in force: turning an Output into a string throws", () => {
    assert.throws(() => String(pulumi.output(KEY)));
  });

  it("registers the table encrypted with the given key, and creates no key of its own", async () => {
    const { errors, resources } = await recordErrors(
      () => new HardenedTable("orders", { ...base, kmsKeyArn: pulumi.output(KEY) }),
    );
    assert.deepStrictEqual(errors.map(String), []);
    const table = one(resources, "aws:dynamodb/table:Table");
    assert.deepStrictEqual(table.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: KEY });
    assert.deepStrictEqual(byType(resources, "aws:kms/key:Key"), []);
  });

  it("a replica key given as an Output is used in its region, and stream grants use each region's key", async () => {
    const resources = await record(() => {
      const table = new HardenedTable("orders", {
        ...base,
        stream: undefined,
        kmsKeyArn: pulumi.output(KEY),
        replicaKeyStrategy: "perRegion",
        replicas: [{ region: "eu-west-1", kmsKeyArn: pulumi.output(REPLICA_KEY) }],
      });
      table.grantStreamRead("indexer", [CONSUMER]);
    });
    const table = one(resources, "aws:dynamodb/table:Table");
    assert.strictEqual((table.inputs.replicas as Record<string, unknown>[])[0].kmsKeyArn, REPLICA_KEY);
    const grantKeys = byType(resources, "aws:kms/grant:Grant").map((g) => g.inputs.keyId);
    assert.deepStrictEqual(grantKeys.sort(), [REPLICA_KEY, KEY].sort());
  });
});
