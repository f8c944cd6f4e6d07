import * as assert from "assert";
import { StackInput } from "../../../policypack/facts/stack";
import { dataEventFindings } from "../../../policypack/rules/p06DataEvents";
import { U, stack } from "./helpers";

const table: Partial<StackInput> = {
  type: "aws:dynamodb/table:Table",
  props: { name: "orders", region: "us-east-1" },
};
const trail = (props: Record<string, unknown>): Partial<StackInput> => ({
  type: "aws:cloudtrail/trail:Trail",
  props: { region: "us-east-1", ...props },
});
const classic = (values: unknown) => ({
  eventSelectors: [{ dataResources: [{ type: "AWS::DynamoDB::Table", values }] }],
});

// [case, resources, findings, a fragment of the first finding]
const CASES: [string, Partial<StackInput>[], number, string?][] = [
  ["a table and no trail", [table], 1, "no CloudTrail trail"],
  ["a trail logging every table's data events", [table, trail(classic(["arn:aws:dynamodb"]))], 0],
  [
    "a trail logging another table only",
    [table, trail(classic(["arn:aws:dynamodb:us-east-1:111111111111:table/other"]))],
    1,
    "no trail in this stack records",
  ],
  [
    "a trail that does not log",
    [table, trail({ enableLogging: false, ...classic(["arn:aws:dynamodb"]) })],
    1,
  ],
  [
    "an advanced selector for DynamoDB table data events",
    [
      table,
      trail({
        advancedEventSelectors: [
          {
            fieldSelectors: [
              { field: "eventCategory", equals: ["Data"] },
              { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
            ],
          },
        ],
      }),
    ],
    0,
  ],
  ["selectors unknown at preview", [table, trail({ eventSelectors: U })], 0],
  ["no table in the stack", [trail({})], 0],
];

describe("practice 6 rules: CloudTrail data events", () => {
  for (const [label, resources, count, fragment] of CASES) {
    it(label, () => {
      const findings = dataEventFindings(stack(...resources));
      assert.strictEqual(findings.length, count, JSON.stringify(findings.map((f) => f.problem)));
      // Without any trail, one stack-wide finding names the tables (its problem is worded for those not exempt).
      const text = (f: (typeof findings)[number]) =>
        f.group ? f.group.problem(f.group.subjects.map((s) => `"${s.name}"`)) : f.problem;
      if (fragment) assert.ok(text(findings[0]).includes(fragment), text(findings[0]));
      for (const f of findings)
        for (const subject of f.group ? f.group.subjects : [f.subject])
          assert.strictEqual(subject.type, "aws:dynamodb/table:Table");
    });
  }
});
