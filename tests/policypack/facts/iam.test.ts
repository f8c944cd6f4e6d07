import * as assert from "assert";
import { policyDoc } from "../../../policypack/facts/iam";
import { U } from "../rules/helpers";

describe("pack facts: policy documents", () => {
  it("policy documents: strings or objects, single statements, unknown parts", () => {
    assert.strictEqual(policyDoc(U).unknown, true);
    assert.strictEqual(policyDoc("{not json").invalid, true);
    const single = policyDoc({ Statement: { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" } });
    assert.strictEqual(single.statements.length, 1);
    assert.deepStrictEqual(single.statements[0].actions, ["dynamodb:GetItem"]);
    const partly = policyDoc({
      Statement: [
        U,
        { Effect: "Allow", Principal: { AWS: [U, "123456789012"] }, Action: "x", Resource: "*" },
      ],
    });
    assert.strictEqual(partly.unknown, true);
    assert.strictEqual(partly.statements[0].principals.unknown, true);
  });
});
