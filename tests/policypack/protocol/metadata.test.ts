import * as assert from "assert";
import { PACK_ARGS, policies } from "../../../policypack/pack";
import { PRACTICES_DOC_URL } from "../../../policypack/rules/practice";
import { packLevelInfo, usePack } from "./packHarness";

// What Pulumi Cloud shows of the pack and its policies comes from GetAnalyzerInfo: asked over gRPC here, of the
// compiled pack the engine runs.
describe("policy pack: Pulumi Cloud metadata over GetAnalyzerInfo", function () {
  const pack = usePack();

  it("every policy has a display name, its practice's docs, a framework, remediation steps and tags", async () => {
    const info = await pack().getAnalyzerInfo();
    assert.deepStrictEqual(
      info.policies.map((p) => p.name),
      policies.map((p) => p.name),
    );
    for (const p of info.policies) {
      assert.ok(p.displayName && p.displayName !== p.name, `${p.name}: displayName`);
      assert.ok(p.remediationSteps, `${p.name}: remediationSteps`);
      assert.ok(p.url.startsWith(PRACTICES_DOC_URL), `${p.name}: url ${p.url}`);
      assert.ok(p.framework, `${p.name}: framework`);
      for (const [field, value] of Object.entries(p.framework))
        assert.ok(value, `${p.name}: framework.${field}`);
      assert.ok(
        p.tags.some((t) => /^practice-\d+$/.test(t)),
        `${p.name}: tags`,
      );
    }
    const byName = new Map(info.policies.map((p) => [p.name, p]));
    assert.strictEqual(byName.get("dynamodb-point-in-time-recovery")!.url, `${PRACTICES_DOC_URL}#practice-2`);
    assert.deepStrictEqual(byName.get("dynamodb-point-in-time-recovery")!.framework, {
      name: "AWS Foundational Security Best Practices",
      version: "1.0.0",
      reference: "DynamoDB.2",
      specification:
        "https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html#dynamodb-2",
    });
    assert.deepStrictEqual(byName.get("dynamodb-dax-encryption")!.tags, ["practice-8", "encryption", "dax"]);
  });

  it("the pack has a display name, description, readme listing every policy, provider, tags and repository", async () => {
    const info = await pack().getAnalyzerInfo();
    assert.strictEqual(info.displayName, "DynamoDB hardened");
    assert.match(info.description, /DynamoDB security practices/);
    const level = await packLevelInfo(pack());
    assert.strictEqual(level.provider, "aws");
    assert.deepStrictEqual(level.tags, PACK_ARGS.tags);
    assert.strictEqual(level.repository, "https://github.com/dynamodb-hardened/dynamodb-hardened");
    for (const p of policies) assert.ok(level.readme.includes(`\`${p.name}\``), `readme lists ${p.name}`);
    assert.ok(level.readme.includes(PRACTICES_DOC_URL));
  });
});
