import * as assert from "assert";
import { PACK_ARGS, PRACTICES, policies } from "../../policypack/pack";
import { PackResourcePolicy } from "../../policypack/policies";
import { PRACTICE_MODULES } from "../../policypack/rules";
import { PRACTICES_DOC_URL, REPOSITORY_URL } from "../../policypack/rules/practice";
import { typesOfKinds } from "../../policypack/facts/registry";

const resourcePolicies = policies.filter((p): p is PackResourcePolicy => "validateResource" in p);
const stackPolicies = policies.filter((p) => "validateStack" in p);

describe("policy pack: every policy and practice carries its metadata", () => {
  it("practices are numbered 1..n in order, each with a title, controls and its anchor in docs/practices.md", () => {
    assert.deepStrictEqual(
      PRACTICES.map((p) => p.number),
      PRACTICES.map((_, i) => i + 1),
    );
    for (const p of PRACTICES) {
      assert.ok(p.title && p.controls.length && p.topics.length, `practice ${p.number}`);
      assert.strictEqual(p.url, `${PRACTICES_DOC_URL}#practice-${p.number}`);
      for (const id of p.securityHub) assert.match(id, /^DynamoDB\.\d+$/, `practice ${p.number}`);
    }
  });

  it("every practice is checked by a resource policy or a stack check", () => {
    const checked = new Set(policies.flatMap((p) => p.practices));
    for (const p of PRACTICES) assert.ok(checked.has(p.number), `practice ${p.number} is checked by nothing`);
  });

  it("every policy has a unique name and the metadata Pulumi Cloud shows", () => {
    assert.strictEqual(new Set(policies.map((p) => p.name)).size, policies.length);
    for (const p of policies) {
      assert.match(p.name, /^dynamodb-[a-z0-9-]+$/);
      for (const field of ["displayName", "description", "remediationSteps", "url"] as const)
        assert.ok(typeof p[field] === "string" && p[field]!.length > 0, `${p.name}: ${field}`);
      assert.ok(p.enforcementLevel && p.severity, p.name);
      assert.ok(p.practices.length, p.name);
      for (const n of p.practices) {
        assert.ok(
          PRACTICES.some((practice) => practice.number === n),
          `${p.name}: practice ${n}`,
        );
        assert.ok(p.tags!.includes(`practice-${n}`), `${p.name}: tag practice-${n}`);
      }
      assert.ok(p.url!.startsWith(PRACTICES_DOC_URL), p.name);
      const f = p.framework!;
      assert.ok(f.name && f.version && f.reference && f.specification, `${p.name}: framework`);
      assert.ok(p.configSchema?.properties.exemptions, `${p.name}: exemptions schema`);
    }
  });

  it("a policy of one practice links its anchor; Security Hub controls are the framework where AWS has them", () => {
    const byName = new Map(policies.map((p) => [p.name, p]));
    assert.strictEqual(byName.get("dynamodb-deletion-protection")!.url, `${PRACTICES_DOC_URL}#practice-3`);
    assert.deepStrictEqual(byName.get("dynamodb-point-in-time-recovery")!.framework, {
      name: "AWS Foundational Security Best Practices",
      version: "1.0.0",
      reference: "DynamoDB.2",
      specification:
        "https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html#dynamodb-2",
    });
    assert.strictEqual(byName.get("dynamodb-dax-encryption")!.framework!.reference, "DynamoDB.3, DynamoDB.7");
    // No Security Hub control checks a vault's key or least privilege: the framework is the project's own.
    for (const name of ["dynamodb-backup-vault-customer-key", "dynamodb-no-wildcard-actions"])
      assert.strictEqual(byName.get(name)!.framework!.name, "dynamodb-hardened practices", name);
    assert.strictEqual(byName.get("dynamodb-stack")!.framework!.reference, "DynamoDB.4");
    assert.strictEqual(byName.get("dynamodb-stack-medium")!.framework!.reference, "DynamoDB.1");
  });

  it("every resource policy validates at least one type, and its practice module lists it", () => {
    const listed = new Set(PRACTICE_MODULES.flatMap((m) => m.policies ?? []));
    for (const p of resourcePolicies) {
      assert.ok(typesOfKinds(p.kinds).length > 0, `${p.name} reads kinds no type yields`);
      assert.ok(listed.has(p), p.name);
    }
  });

  it("stack policies by seed 003 severity, with a default-on switch per stack check and the practices of its checks", () => {
    assert.deepStrictEqual(
      stackPolicies.map((p) => [p.name, p.severity]),
      [
        ["dynamodb-stack-critical", "critical"],
        ["dynamodb-stack", "high"],
        ["dynamodb-stack-medium", "medium"],
      ],
    );
    const checks = PRACTICE_MODULES.flatMap((m) => m.stackChecks ?? []);
    for (const c of checks) {
      const [stack] = stackPolicies.filter((p) => p.severity === c.practice.severity);
      const setting = stack.configSchema!.properties[c.setting] as { type: string; default: boolean };
      assert.deepStrictEqual([setting.type, setting.default], ["boolean", true], c.setting);
      assert.ok(stack.practices.includes(c.practice.number), c.setting);
    }
    assert.deepStrictEqual(
      stackPolicies.flatMap((p) => p.practices).sort((a, b) => a - b),
      [...new Set(checks.map((c) => c.practice.number))].sort((a, b) => a - b),
    );
  });

  it("the pack names its repository, provider and tags, and its readme lists every policy", () => {
    assert.strictEqual(PACK_ARGS.repository, REPOSITORY_URL);
    assert.strictEqual(PACK_ARGS.provider, "aws");
    assert.ok(PACK_ARGS.tags!.includes("dynamodb"));
    for (const p of policies) assert.ok(PACK_ARGS.readme!.includes(`\`${p.name}\``), p.name);
    assert.strictEqual(PACK_ARGS.policies, policies);
  });
});
