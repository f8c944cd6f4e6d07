import * as assert from "assert";
import { daxFindings } from "../../../policypack/rules/p08DaxEncryption";
import { U, factsOf } from "./helpers";

// [case, cluster props, the Security Hub control of each finding]
const CASES: [string, Record<string, unknown>, string[]][] = [
  ["neither at rest nor in transit (the defaults)", {}, ["DynamoDB.3", "DynamoDB.7"]],
  ["both", { serverSideEncryption: { enabled: true }, clusterEndpointEncryptionType: "TLS" }, []],
  [
    "at rest only",
    { serverSideEncryption: { enabled: true }, clusterEndpointEncryptionType: "NONE" },
    ["DynamoDB.7"],
  ],
  [
    "TLS only",
    { serverSideEncryption: { enabled: false }, clusterEndpointEncryptionType: "tls" },
    ["DynamoDB.3"],
  ],
  ["both unknown at preview", { serverSideEncryption: U, clusterEndpointEncryptionType: U }, []],
];

describe("practice 8 rules: DAX encryption", () => {
  for (const [label, props, controls] of CASES) {
    it(label, () => {
      const findings = daxFindings(factsOf("dax", "aws:dax/cluster:Cluster", props));
      assert.deepStrictEqual(
        findings.map((f) => f.controls?.find((c) => c.startsWith("Security Hub"))),
        controls.map((c) => `Security Hub ${c}`),
      );
    });
  }
});
