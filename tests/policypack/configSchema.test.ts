import * as assert from "assert";
import Ajv from "ajv";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { configProblems, SchemaNode } from "../../policypack/configValidation";
import { CONFIG_SCHEMA_FILE, policyConfigFileSchema } from "../../policypack/configSchema";
import { PACK_NAME, policies } from "../../policypack/pack";

const ROOT = path.join(__dirname, "..", "..");
const PACK_DIR = path.join(ROOT, "policypack");
const SCHEMA_PATH = path.join(PACK_DIR, CONFIG_SCHEMA_FILE);
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

/** The JSON examples of a policy configuration in a Markdown document (fenced `json` blocks). */
function jsonBlocks(doc: string): unknown[] {
  const text = fs.readFileSync(path.join(ROOT, doc), "utf8");
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]));
}

const future = "2999-01-01";

/** Configurations the pack's own tests send (tests/policypack/protocol), as a user would write them. */
const VALID: Record<string, unknown>[] = [
  {},
  { all: "disabled" },
  { all: { enforcementLevel: "advisory" }, "dynamodb-stack": "mandatory" },
  { "dynamodb-point-in-time-recovery": "advisory" },
  { "dynamodb-stack": { enforcementLevel: "mandatory", requireBackup: false } },
  { "dynamodb-stack": { requireBackup: false, requireDataEvents: false } },
  { "dynamodb-point-in-time-recovery": { enforcementLevel: "mandatory", minimumRecoveryPeriodDays: 30 } },
  {
    "dynamodb-resource-policy-not-public": {
      enforcementLevel: "mandatory",
      trustedAccountIds: ["444444444444"],
      organizationId: "o-abcdefghij",
    },
  },
  { "dynamodb-stream-least-privilege": { enforcementLevel: "advisory", maximumRetryAttempts: 100 } },
  { "dynamodb-stack-critical": { enforcementLevel: "mandatory", leadingKeysInResourcePolicies: false } },
  { "dynamodb-stack-medium": { requireAutoscaling: false } },
  {
    "dynamodb-point-in-time-recovery": {
      enforcementLevel: "remediate",
      exemptions: [
        { urn: "urn:pulumi:test::pack::*::legacy-*", reason: "r", expires: future },
        { name: "legacy-*", reason: "r", expires: "2999-01-01T12:00:00Z" },
        { tags: { backup: "required" }, reason: "r", expires: future },
      ],
    },
    "dynamodb-deletion-protection": "remediate",
  },
];

/** Each with the mistake it makes: the schema must refuse it. */
const INVALID: [string, Record<string, unknown>][] = [
  ["an unknown policy name", { "dynamodb-pitr": "mandatory" }],
  ["a misspelt setting", { "dynamodb-point-in-time-recovery": { minimumRecoveryDays: 30 } }],
  [
    "a misspelt exemption matcher",
    { "dynamodb-stack": { exemptions: [{ nmae: "legacy-*", reason: "r", expires: future }] } },
  ],
  ["an exemption without a reason", { "dynamodb-stack": { exemptions: [{ name: "x", expires: future }] } }],
  ["a number given as a string", { "dynamodb-point-in-time-recovery": { minimumRecoveryPeriodDays: "30" } }],
  ["a number out of range", { "dynamodb-point-in-time-recovery": { minimumRecoveryPeriodDays: 0 } }],
  ["a fraction where an integer goes", { "dynamodb-stream-least-privilege": { maximumRetryAttempts: 1.5 } }],
  ["a boolean given as a string", { "dynamodb-stack": { requireBackup: "no" } }],
  [
    "a list given as a string",
    { "dynamodb-resource-policy-not-public": { trustedAccountIds: "444444444444" } },
  ],
  [
    "an account id that is not 12 digits",
    { "dynamodb-resource-policy-not-public": { trustedAccountIds: ["4444"] } },
  ],
  [
    "an organization id of the wrong form",
    { "dynamodb-resource-policy-not-public": { organizationId: "org-1" } },
  ],
  ["an unknown enforcement level", { "dynamodb-stack": "warn" }],
  ["an enforcement level in an object, unknown", { "dynamodb-stack": { enforcementLevel: "error" } }],
  ["settings under `all` (the engine only reads its level)", { all: { requireBackup: false } }],
  ["a policy entry that is neither a level nor an object", { "dynamodb-stack": true }],
];

describe("policypack/config.schema.json (the schema of the policy configuration file)", () => {
  const schema = readJson(SCHEMA_PATH);
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);
  const errorsOf = (config: unknown) =>
    validate(config) ? "" : ajv.errorsText(validate.errors, { separator: "\n" });

  it("is what the generator makes of the policies now (run `npm run schema:pack-config` after a change)", () => {
    assert.deepStrictEqual(schema, JSON.parse(JSON.stringify(policyConfigFileSchema(PACK_NAME, policies))));
  });

  it("is draft-07, the draft the engine's validator reads, and names every policy and `all`", () => {
    assert.strictEqual(schema.$schema, "http://json-schema.org/draft-07/schema#");
    assert.deepStrictEqual(
      Object.keys(schema.properties).sort(),
      ["all", ...policies.map((p) => p.name)].sort(),
    );
    assert.strictEqual(schema.additionalProperties, false);
  });

  it("offers every setting each policy declares, with its type", () => {
    for (const policy of policies) {
      const object = schema.properties[policy.name].oneOf[1];
      const declared = Object.keys(policy.configSchema?.properties ?? {});
      assert.deepStrictEqual(Object.keys(object.properties).sort(), ["enforcementLevel", ...declared].sort());
    }
  });

  it("accepts the repository's example configurations (GitHub Actions recipe, docs)", () => {
    const examples: [string, unknown][] = [
      [
        "examples/github-actions/policy-config.json",
        readJson(path.join(ROOT, "examples/github-actions/policy-config.json")),
      ],
      ...jsonBlocks("docs/policy-pack.md").map((c, i): [string, unknown] => [`docs/policy-pack.md #${i}`, c]),
    ];
    assert.ok(examples.length >= 2, "the docs show a configuration");
    for (const [where, config] of examples) assert.strictEqual(errorsOf(config), "", where);
  });

  it("accepts the configurations the pack's protocol tests send", () => {
    for (const config of VALID) assert.strictEqual(errorsOf(config), "", JSON.stringify(config));
  });

  for (const [mistake, config] of INVALID) {
    it(`rejects ${mistake}`, () => {
      assert.notStrictEqual(errorsOf(config), "", JSON.stringify(config));
    });
  }

  it("agrees with the pack's own check of each policy's settings (a finding there is a schema error here)", () => {
    const byName = new Map(policies.map((p) => [p.name, p]));
    for (const config of [...VALID, ...INVALID.map(([, c]) => c)]) {
      for (const [name, entry] of Object.entries(config)) {
        const policy = byName.get(name);
        if (!policy || !entry || typeof entry !== "object") continue;
        const packSays = configProblems(
          policy.configSchema!.properties as Record<string, SchemaNode>,
          entry as Record<string, unknown>,
        );
        const schemaSays = errorsOf({ [name]: { ...entry, enforcementLevel: "advisory" } });
        assert.strictEqual(schemaSays === "", packSays.length === 0, `${name}: ${JSON.stringify(entry)}`);
      }
    }
  });

  it("is shipped with the pack and referenced from its docs", () => {
    const listing = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: PACK_DIR,
        encoding: "utf8",
      }),
    ) as { files: { path: string }[] }[];
    assert.ok(
      listing[0].files.some((f) => f.path === CONFIG_SCHEMA_FILE),
      "in the pack's npm tarball",
    );
    const root = readJson(path.join(ROOT, "package.json")) as { files: string[] };
    assert.ok(root.files.includes(`policypack/${CONFIG_SCHEMA_FILE}`), "in the package's files");
    for (const doc of ["README.md", "docs/policy-pack.md"])
      assert.ok(
        fs.readFileSync(path.join(ROOT, doc), "utf8").includes(`policypack/${CONFIG_SCHEMA_FILE}`),
        doc,
      );
  });
});
