import * as assert from "assert";
import { U, table } from "../rules/helpers";

describe("pack facts: tables", () => {
  it("classic tables: absent settings are the AWS defaults (AWS-owned key, PITR off, provisioned billing)", () => {
    const t = table({});
    assert.strictEqual(t.copies[0].key.kind, "aws-owned");
    assert.strictEqual(t.copies[0].pitr, "no");
    assert.strictEqual(t.provisioned, "yes");
  });
  it("the region comes from the resource, else from its provider", () => {
    assert.strictEqual(
      table({}, "aws-native:dynamodb:Table", { region: "eu-west-1" }).placement.region,
      "eu-west-1",
    );
    assert.strictEqual(
      table({ region: "us-east-2" }, "aws:dynamodb/table:Table", { region: "eu-west-1" }).placement.region,
      "us-east-2",
    );
    assert.strictEqual(
      table({}, "aws:dynamodb/table:Table", { allowedAccountIds: '["222222222222"]' }).placement.account,
      "222222222222",
    );
  });
  it("a replica without a key inherits the table's AWS-owned key, else gets the AWS-managed key", () => {
    assert.strictEqual(table({ replicas: [{ regionName: "eu-west-1" }] }).copies[1].key.kind, "aws-owned");
    assert.strictEqual(
      table({
        serverSideEncryption: { enabled: true, kmsKeyArn: U },
        replicas: [{ regionName: "eu-west-1" }],
      }).copies[1].key.kind,
      "aws-managed",
    );
  });
});
