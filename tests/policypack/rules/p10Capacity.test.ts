import * as assert from "assert";
import { StackInput } from "../../../policypack/facts/stack";
import { autoscalingFindings } from "../../../policypack/rules/p10Capacity";
import { stack } from "./helpers";

const table = (props: Record<string, unknown> = {}): Partial<StackInput> => ({
  type: "aws:dynamodb/table:Table",
  props: { name: "orders", region: "us-east-1", billingMode: "PROVISIONED", ...props },
});
const scaling = (kind: "target" | "policy", resourceId: string, dimension: string): Partial<StackInput> => ({
  type: kind === "target" ? "aws:appautoscaling/target:Target" : "aws:appautoscaling/policy:Policy",
  props: {
    region: "us-east-1",
    serviceNamespace: "dynamodb",
    resourceId,
    scalableDimension: `dynamodb:${resourceId.includes("/index/") ? "index" : "table"}:${dimension}CapacityUnits`,
  },
});
const both = (kind: "target" | "policy", resourceId: string) => [
  scaling(kind, resourceId, "Read"),
  scaling(kind, resourceId, "Write"),
];

// [case, resources, the problem of each finding, in part]
const CASES: [string, Partial<StackInput>[], string[]][] = [
  ["on-demand capacity", [table({ billingMode: "PAY_PER_REQUEST" })], []],
  ["provisioned without autoscaling", [table()], ["for table read, table write"]],
  [
    "provisioned, with targets and policies for both dimensions",
    [table(), ...both("target", "table/orders"), ...both("policy", "table/orders")],
    [],
  ],
  [
    "targets without policies",
    [table(), ...both("target", "table/orders")],
    ["without a scaling policy for table read, table write"],
  ],
  [
    "the table scales, its GSI does not",
    [
      table({ globalSecondaryIndexes: [{ name: "byCustomer" }] }),
      ...both("target", "table/orders"),
      ...both("policy", "table/orders"),
    ],
    ["index byCustomer read, index byCustomer write"],
  ],
  [
    "targets in another region do not count",
    [
      table(),
      ...both("target", "table/orders").map((t) => ({ ...t, props: { ...t.props, region: "eu-west-1" } })),
    ],
    ["for table read, table write"],
  ],
];

describe("practice 10 rules: autoscaling or on-demand capacity", () => {
  for (const [label, resources, problems] of CASES) {
    it(label, () => {
      const findings = autoscalingFindings(stack(...resources));
      assert.strictEqual(findings.length, problems.length, JSON.stringify(findings.map((f) => f.problem)));
      problems.forEach((p, i) => assert.ok(findings[i].problem.includes(p), findings[i].problem));
    });
  }
});
