import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadProject } from "../preview/project";
import { runProgram } from "../preview/runProgram";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLES = path.join(ROOT, "examples");

function nodeExamples(): string[] {
  return fs
    .readdirSync(EXAMPLES)
    .filter((d) => fs.existsSync(path.join(EXAMPLES, d, "Pulumi.yaml")))
    .filter((d) =>
      /runtime:\s*\n\s+name:\s*nodejs|runtime:\s*nodejs/.test(
        fs.readFileSync(path.join(EXAMPLES, d, "Pulumi.yaml"), "utf8"),
      ),
    );
}

describe("example programs", function () {
  this.timeout(120_000);

  it("include the multi-account, single-account and noncompliant programs", () => {
    for (const name of ["multi-account", "single-account", "noncompliant"])
      assert.ok(nodeExamples().includes(name), name);
  });

  for (const example of nodeExamples()) {
    it(`${example} constructs under mocks without error, with a README`, async () => {
      const project = loadProject(path.join(EXAMPLES, example));
      const recording = await runProgram(project);
      assert.deepStrictEqual(recording.errors.map(String), []);
      assert.ok(
        recording.resources.some((r) => r.custom),
        "it creates resources",
      );
      assert.ok(fs.existsSync(path.join(EXAMPLES, example, "README.md")), "it has a README");
    });
  }

  for (const example of ["multi-account", "single-account"]) {
    it(`${example} previews with zero mandatory violations`, () => {
      const run = spawnSync(
        process.execPath,
        [
          "-r",
          "ts-node/register/transpile-only",
          path.join(ROOT, "bin/start.ts"),
          "preview",
          `examples/${example}`,
          "--json",
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      assert.strictEqual(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as {
        summary: { mandatory: number };
        diagnostics: { enforcementLevel: string; message: string }[];
      };
      assert.strictEqual(
        report.summary.mandatory,
        0,
        JSON.stringify(
          report.diagnostics.filter((d) => d.enforcementLevel === "mandatory"),
          null,
          2,
        ),
      );
    });
  }

  describe("noncompliant: every misconfiguration row of the seed is caught", () => {
    // [resource, policy, what the finding says], one or more per row of seed 003's table.
    const expected: [string, string, RegExp][] = [
      ["row01-aws-owned-key", "dynamodb-customer-managed-key", /AWS-owned|customer-managed/i],
      ["row01-aws-managed-key", "dynamodb-customer-managed-key", /aws\/dynamodb|AWS-managed/i],
      ["row01-native-aws-owned-key", "dynamodb-customer-managed-key", /AWS-owned|customer-managed/i],
      ["row01-key-without-rotation", "dynamodb-stack-critical", /does not rotate its key material/],
      ["row02-pitr-disabled", "dynamodb-point-in-time-recovery", /point-in-time recovery is off/i],
      ["row02-native-pitr-disabled", "dynamodb-point-in-time-recovery", /point-in-time recovery/i],
      ["row03-deletion-protection-disabled", "dynamodb-deletion-protection", /deletion protection/i],
      ["row03-native-deletion-protection-disabled", "dynamodb-deletion-protection", /deletion protection/i],
      ["row04-wildcard-identity-policy", "dynamodb-no-wildcard-actions", /dynamodb:\*/],
      ["row04-wildcard-inline-policy", "dynamodb-no-wildcard-actions", /dynamodb:\*/],
      ["row05-vpc-function-without-endpoint", "dynamodb-stack", /gateway endpoint/i],
      ["row09-not-in-backup-plan", "dynamodb-stack", /data events/i],
      ["row07-dax-unencrypted-at-rest", "dynamodb-dax-encryption", /not encrypted at rest/i],
      ["row07-public-resource-policy", "dynamodb-resource-policy-not-public", /\*/],
      ["row08-dax-without-tls", "dynamodb-dax-encryption", /in transit/i],
      ["row09-not-in-backup-plan", "dynamodb-stack", /backup/i],
      ["row09-vault-without-cmk", "dynamodb-backup-vault-customer-key", /customer-managed/i],
      ["row10-provisioned-without-autoscaling", "dynamodb-stack", /autoscal/i],
      ["row10-native-provisioned-without-autoscaling", "dynamodb-stack", /autoscal/i],
      ["row11-new-and-old-images-without-reason", "dynamodb-stack", /NEW_AND_OLD_IMAGES/],
      ["row11-consumer-without-failure-handling", "dynamodb-stack", /on-failure destination/i],
      ["row11-stream-policy-beyond-reads", "dynamodb-stream-least-privilege", /dynamodb:PutItem/],
      ["row12-replica-without-cmk-or-pitr", "dynamodb-point-in-time-recovery", /replica|eu-west-1/i],
      ["row12-native-replica-without-pitr", "dynamodb-point-in-time-recovery", /eu-west-1/],
      ["row12-legacy-2017-global-table", "dynamodb-global-table-replicas", /2017/],
    ];
    let diagnostics: { urn: string; policyName: string; message: string }[];
    before(() => {
      const run = spawnSync(
        process.execPath,
        [
          "-r",
          "ts-node/register/transpile-only",
          path.join(ROOT, "bin/start.ts"),
          "preview",
          "examples/noncompliant",
          "--json",
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      assert.strictEqual(run.status, 1, run.stderr);
      diagnostics = JSON.parse(run.stdout).diagnostics;
    });
    for (const [resource, policy, says] of expected) {
      it(`${resource}: ${policy}`, () => {
        const found = diagnostics.filter((d) => d.urn.endsWith(`::${resource}`) && d.policyName === policy);
        assert.ok(
          found.some((d) => says.test(d.message)),
          JSON.stringify(
            found.map((d) => d.message),
            null,
            2,
          ),
        );
      });
    }
  });

  it("the root Pulumi.yaml runs the multi-account program", () => {
    const root = loadProject(ROOT);
    assert.strictEqual(root.main, path.join(EXAMPLES, "multi-account"));
  });
});
