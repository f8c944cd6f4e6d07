import * as assert from "assert";
import { policyDoc } from "../../../policypack/facts/iam";
import { wildcardActionFindings } from "../../../policypack/rules/p04LeastPrivilege";
import { table } from "./helpers";

describe("practice 4 rules: least privilege", () => {
  it("practice 4: wildcards only count on DynamoDB resources (or in resource policies)", () => {
    const subject = table({}).subject;
    const doc = (resource: string, action = "*") => [
      {
        label: "p",
        doc: policyDoc({ Statement: [{ Effect: "Allow", Action: action, Resource: resource }] }),
      },
    ];
    assert.strictEqual(wildcardActionFindings(subject, doc("arn:aws:s3:::b"), false).length, 0);
    assert.strictEqual(wildcardActionFindings(subject, doc("*"), false).length, 1);
    assert.strictEqual(wildcardActionFindings(subject, doc("arn:aws:s3:::b", "dynamodb:*"), false).length, 1);
    assert.strictEqual(wildcardActionFindings(subject, doc("arn:aws:s3:::b"), true).length, 1);
    const deny = [
      { label: "p", doc: policyDoc({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }) },
    ];
    assert.strictEqual(wildcardActionFindings(subject, deny, false).length, 0);
  });
});
