import { strict as assert } from "assert";
import { Subject } from "../../../policypack/facts/model";
import { managedDataFindings, managedWildcardFindings } from "../../../policypack/rules/p04BroadGrants";

const role: Subject = {
  urn: "urn:pulumi:test::p::aws:iam/rolePolicyAttachment:RolePolicyAttachment::a",
  name: "a",
  type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  tags: new Map(),
  tagsUnknown: false,
};

function findings(arn: string) {
  const attachments = [{ arn, path: "policyArn" }];
  return [...managedWildcardFindings(role, attachments), ...managedDataFindings(role, attachments)];
}

describe("practice 4: AWS-managed policies attached by ARN", () => {
  const cases: [string, number][] = [
    // AWS Backup's own service-role policies: AWS Backup, not code of yours, uses the grant.
    ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", 0],
    ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores", 0],
    // Policies that run with your code's identity stay findings.
    ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", 1],
    ["arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole", 1],
  ];
  for (const [arn, expected] of cases) {
    it(`${arn.split("/").pop()}: ${expected ? "a finding" : "no finding"}`, () => {
      assert.equal(
        findings(arn).length > 0,
        expected > 0,
        JSON.stringify(findings(arn).map((f) => f.problem)),
      );
    });
  }
});
