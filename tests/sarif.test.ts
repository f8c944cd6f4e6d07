import { strict as assert } from "assert";
import Ajv from "ajv-draft-04";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { AnalyzerInfo, Diagnostic, PolicyInfo } from "../preview/analyzerClient";
import type { RecordedResource } from "../preview/recorder";
import type { PreviewReport } from "../preview/report";
import { practicesOf, toSarif } from "../preview/sarif";

const ROOT = path.resolve(__dirname, "..");
const PRACTICES = fs.readFileSync(path.join(ROOT, "docs", "practices.md"), "utf8");

/* eslint-disable @typescript-eslint/no-explicit-any */
type Sarif = any;

function validator() {
  const schema = JSON.parse(
    fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
  );
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(schema);
}

/**
 * What GitHub code scanning needs to ingest a result and place it ("SARIF support for code scanning",
 * docs.github.com): SARIF 2.1.0, a tool name, rules with descriptions and help, results with a rule id,
 * a message and a physical location (a repository-relative file and a start line), fingerprints to
 * follow a result across runs, `security-severity` between 0 and 10 on security rules, at most 20 tags
 * per rule and 1,000 locations per result.
 */
function githubProblems(sarif: Sarif): string[] {
  const problems: string[] = [];
  if (sarif.version !== "2.1.0") problems.push(`version ${sarif.version}`);
  for (const run of sarif.runs) {
    if (!run.tool?.driver?.name) problems.push("no tool.driver.name");
    for (const rule of run.tool.driver.rules) {
      for (const field of ["shortDescription", "fullDescription", "help"]) {
        if (!rule[field]?.text) problems.push(`${rule.id}: no ${field}.text`);
      }
      const severity = Number(rule.properties?.["security-severity"]);
      if (!(severity > 0 && severity <= 10)) problems.push(`${rule.id}: security-severity ${severity}`);
      if (!rule.properties?.tags?.includes("security")) problems.push(`${rule.id}: not tagged security`);
      if ((rule.properties?.tags?.length ?? 0) > 20) problems.push(`${rule.id}: more than 20 tags`);
      if (!/^https:\/\//.test(rule.helpUri ?? "")) problems.push(`${rule.id}: no helpUri`);
    }
    for (const result of run.results) {
      const where = `${result.ruleId} on ${result.locations?.[0]?.logicalLocations?.[0]?.name}`;
      if (!result.ruleId || !result.message?.text) problems.push(`${where}: no ruleId or message`);
      if (!result.locations?.length || result.locations.length > 1000) problems.push(`${where}: locations`);
      const physical = result.locations?.[0]?.physicalLocation;
      if (!physical?.artifactLocation?.uri) problems.push(`${where}: no file`);
      else if (/^(file:|\/)/.test(physical.artifactLocation.uri)) problems.push(`${where}: absolute path`);
      if (!(physical?.region?.startLine >= 1)) problems.push(`${where}: no start line`);
      if (!Object.keys(result.partialFingerprints ?? {}).length) problems.push(`${where}: no fingerprint`);
    }
  }
  return problems;
}

function previewSarif(program: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        path.join(ROOT, "bin/start.ts"),
        "preview",
        program,
        "--sarif",
        out,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
        stdio: "pipe",
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) =>
      code === 0 || code === 1 ? resolve() : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}

describe("SARIF from the offline preview of examples/noncompliant, run twice", function () {
  this.timeout(300_000);
  let first: Sarif;
  let second: Sarif;

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-sarif-"));
    const files = [path.join(dir, "first.sarif"), path.join(dir, "second.sarif")];
    await Promise.all(files.map((f) => previewSarif("examples/noncompliant", f)));
    [first, second] = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
  });

  it("validates against the SARIF 2.1.0 schema", () => {
    const validate = validator();
    assert.ok(validate(first), JSON.stringify(validate.errors?.slice(0, 5)));
  });

  it("meets GitHub code scanning's documented requirements", () => {
    assert.ok(first.runs[0].results.length > 20, "the example violates many policies");
    assert.deepEqual(githubProblems(first), []);
  });

  it("places every result on the program line that constructs its resource", () => {
    for (const result of first.runs[0].results) {
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      assert.equal(artifactLocation.uri, "examples/noncompliant/index.ts");
      assert.equal(artifactLocation.uriBaseId, "%SRCROOT%");
      const lines = fs.readFileSync(path.join(ROOT, artifactLocation.uri), "utf8").split("\n");
      const name = result.locations[0].logicalLocations[0].name;
      assert.match(lines[region.startLine - 1], /\bnew \w+(\.\w+)+\(/, `${name}: a constructor call`);
      assert.ok(
        lines
          .slice(region.startLine - 1, region.startLine + 2)
          .join("\n")
          .includes(`"${name}"`),
        `${name} at line ${region.startLine}: ${lines[region.startLine - 1]}`,
      );
    }
  });

  it("gives every finding its own fingerprint, the same in both runs", () => {
    const fingerprints = (sarif: Sarif) =>
      new Map<string, string>(
        sarif.runs[0].results.map((r: any) => [
          JSON.stringify(r.partialFingerprints),
          `${r.ruleId} ${r.locations[0].logicalLocations[0].fullyQualifiedName}`,
        ]),
      );
    const a = fingerprints(first);
    assert.equal(a.size, first.runs[0].results.length, "no two findings share a fingerprint");
    assert.deepEqual([...fingerprints(second).entries()].sort(), [...a.entries()].sort());
  });

  it("links each rule's help to the section of docs/practices.md for its practice", () => {
    for (const rule of first.runs[0].tool.driver.rules) {
      const practices: number[] = rule.properties.practices;
      assert.ok(practices?.length, `${rule.id} names its practices`);
      for (const n of practices) {
        assert.ok(PRACTICES.includes(`<a id="practice-${n}"></a>`), `docs/practices.md#practice-${n}`);
        assert.ok(
          rule.help.markdown.includes(`docs/practices.md#practice-${n}`),
          `${rule.id} help links practice ${n}`,
        );
      }
      assert.match(rule.helpUri, new RegExp(`docs/practices\\.md#practice-${practices[0]}$`));
    }
  });

  it("names the tool with its real home page and version", () => {
    const driver = first.runs[0].tool.driver;
    assert.equal(driver.name, "dynamodb-hardened");
    assert.match(driver.informationUri, /^https:\/\/github\.com\/dynamodb-hardened\/dynamodb-hardened\//);
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
  });
});

describe("toSarif places findings it cannot read from a direct constructor call", () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-sarif-unit-"));
  fs.mkdirSync(path.join(project, ".git"));
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
  const program = path.join(project, "index.ts");
  const library = path.join(project, "node_modules", "dynamodb-hardened", "dist", "components", "table.js");
  const at = (file: string, line: number) => ({ uri: pathToFileURL(file).toString(), line, column: 5 });
  const urn = (type: string, name: string) => `urn:pulumi:offline::p::${type}::${name}`;
  const resource = (over: Partial<RecordedResource>): RecordedResource => ({
    type: "aws:dynamodb/table:Table",
    name: "t",
    urn: "",
    custom: true,
    parent: "",
    provider: "",
    protect: false,
    retainOnDelete: false,
    ignoreChanges: [],
    dependencies: [],
    propertyDependencies: {},
    wireInputs: {},
    inputs: {},
    ...over,
  });
  const component = resource({
    type: "dynamodb-hardened:index:HardenedTable",
    urn: urn("dynamodb-hardened:index:HardenedTable", "orders"),
    custom: false,
    stackTrace: [at(program, 7)],
  });
  const child = resource({
    urn: urn("dynamodb-hardened:index:HardenedTable$aws:dynamodb/table:Table", "orders"),
    parent: component.urn,
    stackTrace: [at(library, 40), at(library, 12), at(program, 7)],
  });
  const lateChild = resource({
    name: "late",
    urn: urn("dynamodb-hardened:index:HardenedTable$aws:dynamodb/table:Table", "late"),
    parent: component.urn,
    stackTrace: [at(library, 88)],
  });
  const policy: PolicyInfo = {
    name: "dynamodb-point-in-time-recovery",
    displayName: "Point-in-time recovery",
    description: "Practice 2 (Security Hub DynamoDB.2): PITR is on.",
    enforcementLevel: "mandatory",
    severity: "high",
    type: "resource",
    remediationSteps: "Turn PITR on.",
    url: "",
    tags: [],
  };
  const info: AnalyzerInfo = {
    name: "pack",
    displayName: "pack",
    version: "1.2.3",
    description: "",
    supportsConfig: true,
    policies: [policy],
  };
  const diagnostic = (u: string, message: string): Diagnostic =>
    ({
      policyName: policy.name,
      policyPackName: "pack",
      policyPackVersion: "1.2.3",
      description: policy.description,
      message,
      urn: u,
      enforcementLevel: "mandatory",
    }) as Diagnostic;
  const report = (diagnostics: Diagnostic[]): PreviewReport => ({
    project: "p",
    pack: { name: "pack", version: "1.2.3" },
    resources: [component, child, lateChild],
    diagnostics,
    elapsedMs: 0,
  });
  const place = (sarif: Sarif, i: number) => {
    const { artifactLocation, region } = sarif.runs[0].results[i].locations[0].physicalLocation;
    return `${artifactLocation.uri}:${region.startLine}`;
  };

  it("a component's child: the program line that constructed the component, not the library's", () => {
    const sarif = toSarif(report([diagnostic(child.urn, "PITR is off")]), info, { projectDir: project });
    assert.equal(place(sarif, 0), "index.ts:7");
  });

  it("a resource no program line created: its nearest parent's line; a stack finding: Pulumi.yaml", () => {
    const sarif = toSarif(report([diagnostic(lateChild.urn, "late"), diagnostic("", "stack-wide")]), info, {
      projectDir: project,
    });
    assert.equal(place(sarif, 0), "index.ts:7");
    assert.equal(place(sarif, 1), "Pulumi.yaml:1");
    assert.deepEqual(githubProblems(sarif), []);
  });

  it("fingerprints depend on the finding, not on its position in the report", () => {
    const one = diagnostic(child.urn, "PITR is off");
    const two = diagnostic(lateChild.urn, "PITR is off");
    const a = toSarif(report([one, two]), info, { projectDir: project }) as Sarif;
    const b = toSarif(report([two, one]), info, { projectDir: project }) as Sarif;
    assert.deepEqual(a.runs[0].results[0].partialFingerprints, b.runs[0].results[1].partialFingerprints);
    assert.notDeepEqual(a.runs[0].results[0].partialFingerprints, a.runs[0].results[1].partialFingerprints);
  });

  it("rates security-severity from the policy's severity", () => {
    const rated = (severity: string) =>
      Number(
        (toSarif(report([]), { ...info, policies: [{ ...policy, severity }] }) as Sarif).runs[0].tool.driver
          .rules[0].properties["security-severity"],
      );
    assert.ok(rated("critical") >= 9 && rated("high") >= 7 && rated("high") < 9);
    assert.ok(rated("medium") >= 4 && rated("medium") < 7 && rated("low") < 4);
  });

  it("reads practice numbers from policy descriptions", () => {
    assert.deepEqual(practicesOf({ description: "Practice 2 (Security Hub DynamoDB.2): ..." }), [2]);
    assert.deepEqual(
      practicesOf({ description: "Practices 4, 5, 6, 9, 10, 11, 12 across resources" }),
      [4, 5, 6, 9, 10, 11, 12],
    );
    assert.deepEqual(practicesOf({ description: "No practice here" }), []);
  });
});
