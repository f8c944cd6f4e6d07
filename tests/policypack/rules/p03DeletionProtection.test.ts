import * as assert from "assert";
import { deletionProtectionFindings } from "../../../policypack/rules/p03DeletionProtection";
import { U, table } from "./helpers";

const NATIVE_GLOBAL = "aws-native:dynamodb:GlobalTable";

// [case, type, props, findings, a fragment every finding has]
const CASES: [string, string, Record<string, unknown>, number, string?][] = [
  ["off by default on a table", "aws:dynamodb/table:Table", {}, 1, "one DeleteTable call"],
  ["on", "aws:dynamodb/table:Table", { deletionProtectionEnabled: true }, 0],
  ["unknown at preview", "aws:dynamodb/table:Table", { deletionProtectionEnabled: U }, 0],
  [
    "on for the table, off on an inline replica",
    "aws:dynamodb/table:Table",
    { deletionProtectionEnabled: true, replicas: [{ regionName: "eu-west-1" }] },
    1,
    "on this replica",
  ],
  ["a standalone replica without it", "aws:dynamodb/tableReplica:TableReplica", {}, 1, "on this replica"],
  [
    "aws-native: set per replica, one of two off",
    NATIVE_GLOBAL,
    {
      replicas: [
        { region: "us-east-1", deletionProtectionEnabled: true },
        { region: "eu-west-1", deletionProtectionEnabled: false },
      ],
    },
    1,
  ],
  [
    "a 2017 global table has no copies to protect here (practice 12 reports it)",
    "aws:dynamodb/globalTable:GlobalTable",
    {},
    0,
  ],
];

describe("practice 3 rules: deletion protection", () => {
  for (const [label, type, props, count, fragment] of CASES) {
    it(label, () => {
      const findings = deletionProtectionFindings(table(props, type));
      assert.strictEqual(findings.length, count, JSON.stringify(findings.map((f) => f.problem)));
      for (const f of findings) {
        assert.strictEqual(f.practice.number, 3);
        assert.match(f.fix, /^set (replicas\[\d+\]\.)?deletionProtectionEnabled to true\.$/);
        if (fragment) assert.ok(f.problem.includes(fragment), f.problem);
      }
    });
  }
});
