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

  it("the root Pulumi.yaml runs the multi-account program", () => {
    const root = loadProject(ROOT);
    assert.strictEqual(root.main, path.join(EXAMPLES, "multi-account"));
  });
});
