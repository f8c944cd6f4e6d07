import * as assert from "assert";
import { policyDoc } from "../../../policypack/facts/iam";
import { publicAccessFindings, restrictsPrincipal } from "../../../policypack/rules/p07PublicAccess";
import { table } from "./helpers";

describe("practice 7 rules: Block Public Access", () => {
  it("practice 7: Block Public Access trusted keys, operators and fixed values", () => {
    const c = (operator: string, key: string, values: string[]) => ({
      operator,
      key: key.toLowerCase(),
      values,
    });
    assert.ok(restrictsPrincipal(c("StringEquals", "aws:SourceVpce", ["vpce-1"])));
    assert.ok(restrictsPrincipal(c("ForAnyValue:StringEquals", "aws:PrincipalOrgPaths", ["o-a/r-b/"])));
    assert.ok(!restrictsPrincipal(c("StringEqualsIfExists", "aws:SourceVpce", ["vpce-1"])));
    assert.ok(!restrictsPrincipal(c("StringNotEquals", "aws:PrincipalAccount", ["1"])));
    assert.ok(!restrictsPrincipal(c("StringEquals", "aws:SourceVpce", ["vpce-*"])));
    assert.ok(!restrictsPrincipal(c("StringEquals", "aws:CurrentTime", ["x"])));
    assert.ok(!restrictsPrincipal(c("Bool", "aws:PrincipalIsAWSService", ["false"])));
    assert.ok(restrictsPrincipal(c("Bool", "aws:PrincipalIsAWSService", ["true"])));
    const subject = table({}).subject;
    const nonPublic = [
      {
        label: "p",
        doc: policyDoc({
          Statement: [{ Effect: "Allow", Principal: { AWS: ["111111111111"] }, Action: "dynamodb:GetItem" }],
        }),
      },
    ];
    assert.deepStrictEqual(
      publicAccessFindings(subject, nonPublic, { trustedAccountIds: [] }, undefined),
      [],
    );
    assert.strictEqual(
      publicAccessFindings(subject, nonPublic, { trustedAccountIds: ["222222222222"] }, undefined).length,
      1,
    );
    assert.deepStrictEqual(
      publicAccessFindings(subject, nonPublic, { trustedAccountIds: ["222222222222"] }, "111111111111"),
      [],
      "the own account is trusted",
    );
  });
});
