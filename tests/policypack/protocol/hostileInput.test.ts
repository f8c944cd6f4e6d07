import * as assert from "assert";
import { AnalyzeResult, AnalyzerResource } from "../../../preview/analyzerClient";
import { awsTable, classicTable, edit } from "./fixtures";
import {
  concat,
  field,
  nestedValue,
  stackRequest,
  stringValue,
  struct,
  withProperties,
} from "./encodedInput";
import { diags, expectNoCantRun, messages, res, usePack } from "./packHarness";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

/** A resource's properties as an encoded Struct, plus one more property given already encoded. */
function propertiesWith(resource: AnalyzerResource, key: string, value: Uint8Array): Uint8Array {
  return concat(Struct.fromJavaScript(resource.properties).serializeBinary(), struct([[key, value]]));
}

const TABLE_POLICIES = [
  "dynamodb-customer-managed-key",
  "dynamodb-point-in-time-recovery",
  "dynamodb-deletion-protection",
  "dynamodb-global-table-replicas",
];

function expectUndecided(result: AnalyzeResult, policies: string[], ...fragments: string[]): void {
  for (const policy of policies) {
    const found = diags(result, policy).filter((d) => d.message.includes("[undecided]"));
    assert.strictEqual(found.length, 1, `${policy}: one "can't decide" finding, got:\n${messages(result)}`);
    for (const f of fragments)
      assert.ok(found[0].message.includes(f), `"${f}" missing from ${found[0].message}`);
  }
  // Fail closed, but not as a crash: nothing reports an internal error.
  expectNoCantRun(result);
}

describe("policy pack: input too deep or too large to read (issue 19)", function () {
  this.timeout(180000);
  const pack = usePack();
  const noPitr = awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery));

  for (const [depth, lists] of [
    [3000, false],
    [10000, true],
  ] as const) {
    it(`Analyze: a table property nested ${depth.toLocaleString("en-US")} deep${lists ? " (objects and lists)" : ""} is a "can't decide" finding, not a gRPC error`, async () => {
      const table = awsTable(classicTable, "deep");
      const bytes = withProperties(
        pack().encodeAnalyze(table),
        propertiesWith(table, "extra", nestedValue(depth, "a", stringValue("x"), lists)),
      );
      const result = await pack().analyzeEncoded(bytes);
      expectUndecided(result, TABLE_POLICIES, 'aws:dynamodb/table:Table "deep"', "nested more deeply");
      // The pack is still healthy: the next resource gets its ordinary findings.
      const next = await pack().analyze(noPitr);
      assert.strictEqual(diags(next, "dynamodb-point-in-time-recovery").length, 1, messages(next));
      assert.ok(!messages(next).includes("[undecided]"));
    });
  }

  it("Analyze: nesting the SDK decodes but cannot convert (1,000 to 2,500 levels) never fails the call", async () => {
    for (const depth of [1000, 1500, 2000, 2500]) {
      const table = awsTable(classicTable, "deep");
      const bytes = withProperties(
        pack().encodeAnalyze(table),
        propertiesWith(table, "extra", nestedValue(depth, "a", stringValue("x"))),
      );
      const result = await pack().analyzeEncoded(bytes);
      expectNoCantRun(result);
      // Read in full (no finding: the table is compliant) or not at all (can't decide), never half.
      const undecided = diags(result).filter((d) => d.message.includes("[undecided]"));
      assert.ok(undecided.length === 0 || undecided.length >= TABLE_POLICIES.length, messages(result));
    }
  });

  it("Analyze: a provider whose settings nest 3,000 deep makes the resource undecided", async () => {
    const table = awsTable(classicTable, "deep-provider");
    const provider = concat(
      field(1, new Uint8Array(Buffer.from("pulumi:providers:aws"))),
      field(
        2,
        struct([
          ["region", stringValue("us-east-1")],
          ["x", nestedValue(3000, "a", stringValue("x"))],
        ]),
      ),
      field(3, new Uint8Array(Buffer.from("urn:pulumi:test::pack::pulumi:providers:aws::deep"))),
      field(4, new Uint8Array(Buffer.from("deep"))),
    );
    const bytes = concat(pack().encodeAnalyze(table), field(6, provider));
    expectUndecided(await pack().analyzeEncoded(bytes), TABLE_POLICIES, "its provider's settings");
  });

  it("Analyze: a deep resource of a type the pack does not check gets no finding", async () => {
    const object = res("aws:s3/bucketObjectv2:BucketObjectv2", "blob", { bucket: "b" });
    const bytes = withProperties(
      pack().encodeAnalyze(object),
      propertiesWith(object, "extra", nestedValue(3000, "a", stringValue("x"))),
    );
    assert.deepStrictEqual(diags(await pack().analyzeEncoded(bytes)), []);
  });

  it("AnalyzeStack: the deep resource is undecided by every stack policy; the others are still checked", async () => {
    const deep = awsTable(classicTable, "deep");
    const plain = awsTable(classicTable, "orders");
    const bytes = stackRequest([
      withProperties(
        pack().encodeStackResource(deep),
        propertiesWith(deep, "extra", nestedValue(3000, "a", stringValue("x"))),
      ),
      pack().encodeStackResource(plain),
    ]);
    const result = await pack().analyzeStackEncoded(bytes);
    for (const policy of ["dynamodb-stack", "dynamodb-stack-critical", "dynamodb-stack-medium"]) {
      const undecided = diags(result, policy).filter((d) => d.message.includes("[undecided]"));
      assert.deepStrictEqual(
        undecided.map((d) => d.urn),
        [deep.urn],
        `${policy}:\n${messages(result)}`,
      );
    }
    // "orders" has no backup selection and no trail: still found, and "deep" is not named there.
    const backup = diags(result, "dynamodb-stack").filter((d) => d.message.includes("[practice 9:"));
    assert.ok(
      backup.length && backup.every((d) => d.message.includes('"orders"') && !d.message.includes('"deep"')),
    );
    expectNoCantRun(result);
  });

  it("Remediate: a deep resource is left alone, not failed", async () => {
    await pack().configure({ "dynamodb-point-in-time-recovery": "remediate" });
    try {
      const table = awsTable(
        edit(classicTable, (p) => delete p.pointInTimeRecovery),
        "deep",
      );
      const request = withProperties(
        pack().encodeAnalyze(table),
        propertiesWith(table, "extra", nestedValue(3000, "a", stringValue("x"))),
      );
      const result = await pack().remediateEncoded(request);
      assert.deepStrictEqual(result.remediations, []);
    } finally {
      await pack().configure({});
    }
  });

  it('a 50 MB property bag is a "can\'t decide" finding, in Analyze and AnalyzeStack', async () => {
    const table = awsTable(classicTable, "huge");
    const properties = propertiesWith(table, "extra", stringValue("x".repeat(50 * 1024 * 1024)));
    const single = await pack().analyzeEncoded(withProperties(pack().encodeAnalyze(table), properties));
    expectUndecided(single, TABLE_POLICIES, 'aws:dynamodb/table:Table "huge"', "50.0 MB");
    const stack = await pack().analyzeStackEncoded(
      stackRequest([
        withProperties(pack().encodeStackResource(table), properties),
        pack().encodeStackResource(awsTable()),
      ]),
    );
    const undecided = diags(stack, "dynamodb-stack").filter((d) => d.message.includes("[undecided]"));
    assert.deepStrictEqual(
      undecided.map((d) => d.urn),
      [table.urn],
    );
  });
});
