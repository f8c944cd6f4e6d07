import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv-draft-04";

const ROOT = path.resolve(__dirname, "..");
const FIXTURES = path.join(__dirname, "fixtures");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function preview(args: string[]): Run {
  const r = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(ROOT, "bin/start.ts"), "preview", ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    },
  );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  summary: { resources: number; mandatory: number; advisory: number };
  resources: { urn: string; type: string; name: string }[];
  diagnostics: { policyName: string; enforcementLevel: string; urn: string; message: string }[];
}

describe("offline preview", function () {
  this.timeout(180_000);

  describe("the noncompliant example", () => {
    let run: Run;
    let report: JsonReport;
    let sarifFile: string;
    before(() => {
      sarifFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-sarif-")), "report.sarif");
      run = preview(["examples/noncompliant", "--json", "--sarif", sarifFile]);
      report = JSON.parse(run.stdout);
    });

    it("exits 1 because mandatory policies are violated", () => {
      assert.strictEqual(run.code, 1, run.stderr);
      assert.ok(report.summary.mandatory > 0);
    });

    it("records every resource with its URN", () => {
      assert.ok(report.resources.some((r) => r.type === "aws-native:dynamodb:Table"));
      assert.ok(
        report.resources.every((r) =>
          r.urn.startsWith("urn:pulumi:offline::dynamodb-hardened-noncompliant::"),
        ),
      );
    });

    it("writes SARIF 2.1.0 that validates against the schema, one result per violation", () => {
      const schema = JSON.parse(
        fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
      );
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
      const validate = ajv.compile(schema);
      const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8")) as {
        runs: {
          results: { ruleId: string; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[];
          tool: { driver: { rules: { id: string }[] } };
        }[];
      };
      assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5)));
      const run0 = sarif.runs[0];
      assert.strictEqual(run0.results.length, report.diagnostics.length);
      const ruleIds = run0.tool.driver.rules.map((r: { id: string }) => r.id);
      assert.strictEqual(new Set(ruleIds).size, ruleIds.length, "one rule per policy");
      for (const result of run0.results) {
        assert.ok(ruleIds.includes(result.ruleId));
        assert.match(result.locations[0].logicalLocations[0].fullyQualifiedName, /^urn:pulumi:/);
      }
    });
  });

  describe("bad input gets a one-line error and exit code 2", () => {
    const cases: [string, string[], RegExp][] = [
      [
        "a directory that is not a Pulumi project",
        [path.join(FIXTURES, "not-a-project")],
        /not a Pulumi project/,
      ],
      ["a program that throws", [path.join(FIXTURES, "throwing-program")], /program .* failed: .*us-north-9/],
      [
        "a policy pack that fails to start",
        ["examples/single-account", "--policy-pack", path.join(FIXTURES, "broken-pack")],
        /policy pack .* failed to start/,
      ],
      [
        "a config file that does not parse",
        [
          "examples/single-account",
          "--policy-pack-config",
          path.join(FIXTURES, "broken-pack/PulumiPolicy.yaml"),
        ],
        /not valid JSON/,
      ],
      ["an unknown option", ["--frobnicate"], /unknown option --frobnicate/],
    ];
    for (const [label, args, message] of cases) {
      it(label, () => {
        const run = preview(args);
        assert.strictEqual(run.code, 2, run.stdout + run.stderr);
        const errorLines = run.stderr.split("\n").filter((l) => l.startsWith("error:"));
        assert.strictEqual(errorLines.length, 1, run.stderr);
        assert.match(errorLines[0], message);
      });
    }
  });

  it("applies a --policy-pack-config file: a disabled policy reports nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-config-"));
    const file = path.join(dir, "config.json");
    fs.writeFileSync(file, JSON.stringify({ all: "disabled" }));
    const run = preview(["examples/noncompliant", "--json", "--policy-pack-config", file]);
    assert.strictEqual(run.code, 0, run.stderr);
    assert.strictEqual(JSON.parse(run.stdout).diagnostics.length, 0);
  });
});
