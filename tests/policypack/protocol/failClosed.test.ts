import * as assert from "assert";
import * as path from "path";
import { awsTable } from "./fixtures";
import { usePack } from "./packHarness";

// docs/policy-pack.md: should a rule ever throw, its policy reports an `[internal]` violation at its own level
// instead of failing the call. That covers turning a finding into its message too (exemption check, text).
describe("policy pack: a finding whose message throws fails closed", function () {
  const pack = usePack(path.join(__dirname, "failClosedPack"));

  it("Analyze reports it as an internal violation at the policy's level, next to the other findings", async () => {
    const result = await pack().analyze(awsTable());
    const found = result.diagnostics.filter((d) => d.policyName === "message-throws");
    assert.strictEqual(found.length, 2, JSON.stringify(found, null, 2));
    const internal = found.find((d) => d.message.includes("[internal] message-throws"));
    assert.ok(internal, "the unprintable finding is reported as internal");
    assert.match(internal.message, /message exploded/);
    assert.strictEqual(internal.enforcementLevel, "mandatory");
    assert.ok(found.some((d) => d.message.includes("a printable finding.")));
  });

  it("AnalyzeStack reports it against the resource it is about", async () => {
    const table = awsTable();
    const result = await pack().analyzeStack([table]);
    const found = result.diagnostics.filter((d) => d.policyName === "stack-message-throws");
    assert.strictEqual(found.length, 2, JSON.stringify(found, null, 2));
    const internal = found.find((d) => d.message.includes("[internal] stack-message-throws"));
    assert.ok(internal);
    assert.strictEqual(internal.urn, table.urn);
  });
});
