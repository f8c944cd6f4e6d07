import * as assert from "assert";
import { StackInput, dependencyLists } from "../../../policypack/facts/stack";
import { globalTableFindings, replicaKeyRegionFindings } from "../../../policypack/rules/p12GlobalTables";
import { U, stack, table } from "./helpers";

const key = (region: string) => `arn:aws:kms:${region}:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const withReplica = (tableKey: unknown, replicaKey: unknown) => ({
  region: "us-east-1",
  serverSideEncryption: { enabled: true, kmsKeyArn: tableKey },
  replicas: [{ regionName: "eu-west-1", kmsKeyArn: replicaKey }],
});

// [case, type, props, the problem of each finding, in part]
const CASES: [string, string, Record<string, unknown>, string[]][] = [
  ["a 2017 global table", "aws:dynamodb/globalTable:GlobalTable", {}, ["version 2017.11.29"]],
  [
    "every copy keyed in its own region",
    "aws:dynamodb/table:Table",
    withReplica(key("us-east-1"), key("eu-west-1")),
    [],
  ],
  [
    "a replica keyed in the table's region",
    "aws:dynamodb/table:Table",
    withReplica(key("us-east-1"), key("us-east-1")),
    ["from us-east-1 for data in eu-west-1"],
  ],
  ["keys unknown at preview", "aws:dynamodb/table:Table", withReplica(U, U), []],
];

// A table whose replica's key is created in the same stack (unknown ARN), and that key's region.
const keyedInStack = (keyRegion: string): Partial<StackInput>[] => [
  {
    urn: "urn:table",
    type: "aws:dynamodb/table:Table",
    props: withReplica(U, U),
    dependencies: dependencyLists(["urn:key"], { replicas: ["urn:key"] }),
  },
  { urn: "urn:key", type: "aws:kms/key:Key", props: { region: keyRegion } },
];

describe("practice 12 rules: global tables", () => {
  for (const [label, type, props, problems] of CASES) {
    it(label, () => {
      const findings = globalTableFindings(table(props, type));
      assert.strictEqual(findings.length, problems.length, JSON.stringify(findings.map((f) => f.problem)));
      problems.forEach((p, i) => assert.ok(findings[i].problem.includes(p), findings[i].problem));
    });
  }
  it("stack: a replica whose key, created in the stack, is in another region", () => {
    const [finding, ...rest] = replicaKeyRegionFindings(stack(...keyedInStack("us-east-1")));
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(finding.where, "replica eu-west-1");
    assert.ok(finding.problem.includes('comes from "us-east-1", not eu-west-1'), finding.problem);
  });
  it("stack: a replica whose key, created in the stack, is in its region", () => {
    assert.deepStrictEqual(replicaKeyRegionFindings(stack(...keyedInStack("eu-west-1"))), []);
  });
});
