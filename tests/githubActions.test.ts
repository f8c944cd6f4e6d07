import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "yaml";
import { readPolicyConfig } from "../preview/policyConfig";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, "examples", "github-actions");

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

function workflow(file: string): { steps: Step[]; doc: Workflow } {
  const doc = yaml.parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
  return { doc, steps: Object.values(doc.jobs).flatMap((j) => j.steps) };
}

const action = (steps: Step[], name: string) => steps.find((s) => s.uses?.split("@")[0] === name);
const lines = (value: unknown) =>
  String(value ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

describe("examples/github-actions", () => {
  it("pins every action to a major version", () => {
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"))) {
      for (const step of workflow(file).steps.filter((s) => s.uses)) {
        assert.match(step.uses!, /^[\w-]+\/[\w/-]+@v\d+$/, `${file}: ${step.uses}`);
      }
    }
  });

  describe("pulumi-policy-preview.yml", () => {
    const { doc, steps } = workflow("pulumi-policy-preview.yml");
    const pulumi = action(steps, "pulumi/actions")!;

    it("runs pulumi preview through pulumi/actions with this repository's pack and a config for it", () => {
      assert.ok(pulumi, "a pulumi/actions step");
      assert.equal(pulumi.with?.command, "preview");
      const workDir = path.join(ROOT, String(pulumi.with?.["work-dir"] ?? "./"));
      assert.ok(fs.existsSync(path.join(workDir, "Pulumi.yaml")), "work-dir is a Pulumi project");
      const packs = lines(pulumi.with?.policyPacks);
      const configs = lines(pulumi.with?.policyPackConfigs);
      assert.ok(packs.length > 0 && packs.length === configs.length, "one config per pack");
      for (const pack of packs) assert.ok(fs.existsSync(path.join(workDir, pack, "PulumiPolicy.yaml")), pack);
      for (const config of configs) {
        // The file the CLI reads with --policy-pack-config; the offline previewer reads the same format.
        assert.ok(readPolicyConfig(path.join(workDir, config)), config);
      }
    });

    it("builds the pack before previewing and logs in with a token and short-lived AWS credentials", () => {
      const npmCi = steps.findIndex((s) => s.run?.trim() === "npm ci");
      assert.ok(npmCi >= 0 && npmCi < steps.indexOf(pulumi), "npm ci (prepare builds the pack) first");
      assert.equal(pulumi.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
      assert.ok(action(steps, "aws-actions/configure-aws-credentials")?.with?.["role-to-assume"]);
      assert.equal(doc.permissions["id-token"], "write");
      assert.equal(doc.permissions["pull-requests"], "write", "comment-on-pr needs it");
    });
  });

  describe("offline-preview-sarif.yml", () => {
    const { doc, steps } = workflow("offline-preview-sarif.yml");
    const preview = steps.find((s) => s.run?.includes(" preview "))!;
    const upload = action(steps, "github/codeql-action/upload-sarif")!;

    it("runs the package's own command on a Pulumi project and writes SARIF", () => {
      const [bin, command, dir, ...flags] = preview.run!.trim().split(/\s+/).slice(1);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
      assert.equal(bin, pkg.bin["dynamodb-hardened"], "the bin package.json installs");
      assert.equal(command, "preview");
      assert.ok(fs.existsSync(path.join(ROOT, dir, "Pulumi.yaml")), `${dir} is a Pulumi project`);
      const sarif = flags[flags.indexOf("--sarif") + 1];
      assert.ok(sarif, "--sarif FILE");
      assert.equal(upload.with?.sarif_file, sarif, "uploads the file it wrote");
    });

    it("uploads even when mandatory violations fail the preview, with code-scanning permissions", () => {
      assert.ok(steps.indexOf(upload) > steps.indexOf(preview));
      assert.match(String(upload.if), /failure\(\)|always\(\)/);
      assert.equal(doc.permissions["security-events"], "write");
      assert.ok(upload.with?.category, "a category keeps these results apart from other analyses");
    });
  });
});
