import * as assert from "assert";
import { Finding } from "../../../policypack/rules/finding";
import { leadingKeysStackFindings } from "../../../policypack/rules/p04LeastPrivilege";
import { dataEventFindings } from "../../../policypack/rules/p06DataEvents";
import { backupCoverageFindings } from "../../../policypack/rules/p09Backup";
import { StackInput, StackModel, dependencyLists } from "../../../policypack/facts/stack";

const ACCOUNT = "111111111111";
const N = 3000;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function input(type: string, name: string, props: Record<string, unknown>): StackInput {
  return {
    type,
    urn: `urn:pulumi:s::p::${type}::${name}`,
    name,
    props: { region: "us-east-1", ...props },
    providerProps: { region: "us-east-1" },
    dependencies: dependencyLists([], {}),
  };
}

const table = (i: number, tags: Record<string, string> = {}) =>
  input("aws:dynamodb/table:Table", `t${i}`, { name: `t${i}`, hashKey: "id", tags });
const selection = (i: number, resource: string) =>
  input("aws:backup/selection:Selection", `s${i}`, { name: `s${i}`, planId: "p", resources: [resource] });
const trail = (i: number, value: string) =>
  input("aws:cloudtrail/trail:Trail", `trail${i}`, {
    isMultiRegionTrail: true,
    eventSelectors: [{ dataResources: [{ type: "AWS::DynamoDB::Table", values: [value] }] }],
  });

/** Every table has exactly one finding: the coverage finding, or an honest "could not decide". */
function onePerTable(findings: Finding[], covered: RegExp): { undecided: number } {
  assert.strictEqual(findings.length, N);
  assert.strictEqual(new Set(findings.map((f) => f.subject.urn)).size, N);
  let undecided = 0;
  for (const f of findings) {
    if (f.problem.startsWith("the pack could not decide")) undecided++;
    else assert.match(f.problem, covered);
  }
  return { undecided };
}

describe("policy pack: stack checks stay linear in the stack's size, whatever its shape", function () {
  // Before indexing, each of these took minutes (selections and trails compared with every table).
  this.timeout(60000);

  it("backup selections with wildcard names are found by their literal prefix", () => {
    const model = StackModel.build([
      ...range(N).map((i) => table(i)),
      ...range(N).map((i) => selection(i, `arn:aws:dynamodb:us-east-1:*:table/none-${i}-*`)),
      selection(N, `arn:aws:dynamodb:us-east-1:*:table/t1*`),
    ]);
    const findings = backupCoverageFindings(model, { requireCopy: false });
    // t1, t10..t19, t100..t199, t1000..t1999 are covered by the last selection.
    assert.strictEqual(findings.length, N - 1111);
    assert.ok(findings.every((f) => /no AWS Backup selection/.test(f.problem)));
  });

  it("wildcards no index can narrow end in can't-decide findings, never in silence or a hang", () => {
    const model = StackModel.build([
      ...range(N).map((i) => table(i)),
      ...range(N).map((i) => selection(i, `arn:aws:dynamodb:us-east-1:*:table/*none-${i}`)),
    ]);
    const { undecided } = onePerTable(
      backupCoverageFindings(model, { requireCopy: false }),
      /no AWS Backup selection/,
    );
    assert.ok(undecided > 0 && undecided < N, `${undecided} undecided`);
  });

  it("trails with wildcard data resources: one finding per table, decided or honestly not", () => {
    const model = StackModel.build([
      ...range(N).map((i) => table(i)),
      ...range(N).map((i) => trail(i, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/*none-${i}`)),
    ]);
    const { undecided } = onePerTable(dataEventFindings(model), /no trail in this stack records/);
    assert.ok(undecided > 0);
  });

  it("role policies on wildcard table ARNs reach multi-tenant tables through a sorted index", () => {
    const tenant = { "dynamodb-hardened:multi-tenant": "true" };
    const policy = (i: number, resource: string) =>
      input("aws:iam/rolePolicy:RolePolicy", `p${i}`, {
        role: "app",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [resource] }],
        }),
      });
    const model = StackModel.build([
      ...range(N).map((i) => table(i, tenant)),
      ...range(N).map((i) => policy(i, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/none-${i}-*`)),
      policy(N, `arn:aws:dynamodb:us-east-1:*:table/t12*`),
    ]);
    const findings = leadingKeysStackFindings(model, { resourcePolicies: true });
    assert.strictEqual(findings.length, 1);
    assert.match(findings[0].problem, /without a dynamodb:LeadingKeys condition/);
    assert.match(findings[0].problem, /"t12", /);
  });
});
