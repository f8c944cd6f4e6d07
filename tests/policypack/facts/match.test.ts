import * as assert from "assert";
import {
  arnEndsWith,
  arnEquals,
  arnStartsWith,
  dataResourceMatches,
  tableMatches,
} from "../../../policypack/facts/match";
import { UNKNOWN } from "../../../policypack/facts/value";
import { id } from "../rules/helpers";

describe("pack facts: ARN patterns", () => {
  it("IAM and AWS Backup resource patterns", () => {
    assert.strictEqual(tableMatches("*", id), "yes");
    assert.strictEqual(tableMatches("arn:aws:dynamodb:*:*:table/*", id), "yes");
    assert.strictEqual(tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/ord*", id), "yes");
    assert.strictEqual(tableMatches("arn:aws:dynamodb:eu-west-1:*:table/orders", id), "no");
    assert.strictEqual(
      tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/orders/index/*", id),
      "no",
    );
    assert.strictEqual(
      tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/orders/index/*", id, true),
      "yes",
    );
    assert.strictEqual(tableMatches("arn:aws:s3:::orders", id), "no");
    assert.strictEqual(
      tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/orders", { ...id, account: undefined }),
      "unknown",
    );
    assert.strictEqual(tableMatches(UNKNOWN, id), "unknown");
  });
  it("CloudTrail values and advanced selector string tests", () => {
    assert.strictEqual(dataResourceMatches("arn:aws:dynamodb", id), "yes");
    assert.strictEqual(dataResourceMatches("arn:aws:dynamodb:eu-west-1:", id), "no");
    assert.strictEqual(arnEquals("arn:aws:dynamodb:us-east-1:111111111111:table/orders", id), "yes");
    assert.strictEqual(arnStartsWith("arn:aws:dynamodb:us-east-1:", { ...id, account: undefined }), "yes");
    assert.strictEqual(
      arnStartsWith("arn:aws:dynamodb:us-east-1:111111111111:table/ord", { ...id, account: undefined }),
      "unknown",
    );
    assert.strictEqual(arnEndsWith("/orders", { ...id, account: undefined }), "yes");
    assert.strictEqual(arnEndsWith("/other", id), "no");
  });
});
