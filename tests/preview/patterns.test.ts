import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureBuilt } from "../policypack/protocol/packHarness";
import { JsonReport, PROGRAMS, ROOT, Run, inParallel, preview, stillRunning } from "./cliRun";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function report(run: Run): JsonReport {
  try {
    return JSON.parse(run.stdout) as JsonReport;
  } catch {
    assert.fail(
      `stdout is not JSON (exit ${run.code}):\n${run.stdout.slice(0, 500)}\nstderr:\n${run.stderr}`,
    );
  }
}

function findings(r: JsonReport, level?: string): string[] {
  return r.diagnostics
    .filter((d) => !level || d.enforcementLevel === level)
    .map((d) => `${d.policyName} ${d.urn.split("::").pop()}`)
    .sort();
}

function noFailedPolicy(r: JsonReport): void {
  const failed = r.diagnostics.filter((d) =>
    /Error validating|can't run|\[internal\]|could not evaluate/.test(d.message),
  );
  assert.deepStrictEqual(failed, []);
}

const program = (name: string) => path.join(PROGRAMS, name);

describe("offline preview: one program per pattern", function () {
  this.timeout(600_000);
  const runs = new Map<string, Run>();
  const secretValue = "hunter2-external-id";

  before(async () => {
    ensureBuilt();
    const jobs: [string, string[]][] = [
      ["resource-references", [program("resource-references"), "--json"]],
      ["closure", [program("closure"), "--json"]],
      ["availability-zones", [program("availability-zones"), "--json"]],
      ["policy-document", [program("policy-document"), "--json"]],
      ["stack-config", [program("stack-config"), "--json"]],
      [
        "stack-config-secret",
        [program("stack-config"), "--json", "--stack", "dev", "--config-secret", `externalId=${secretValue}`],
      ],
      [
        "stack-config-shown",
        [program("stack-config"), "--json", "--config-secret", `externalId=${secretValue}`, "--show-secrets"],
      ],
      ["stack-config-override", [program("stack-config"), "--json", "-c", "tableName=orders-override"]],
      ["logging", [program("logging"), "--json"]],
      ["esm", [program("esm"), "--json"]],
      ["invalid-component", [program("invalid-component")]],
    ];
    const results = await inParallel(
      jobs.map(
        ([, args]) =>
          () =>
            preview([...args, "--timeout", "1200"]),
      ),
    );
    jobs.forEach(([name], i) => runs.set(name, results[i]));
  });

  it("runs on Node.js 22 or later (the SDK's closure serialization needs it)", () => {
    console.log(`      node ${process.version}`);
    assert.ok(Number(process.versions.node.split(".")[0]) >= 22, process.version);
  });

  it("resource references: the pack receives the role's ID and decides the policy (no failed call)", () => {
    const run = runs.get("resource-references")!;
    const r = report(run);
    noFailedPolicy(r);
    assert.deepStrictEqual(
      findings(r, "mandatory"),
      [
        // The attachment (role: role) is decided too: the AWS-managed policy it attaches names no table.
        "dynamodb-data-actions-name-resources read-only",
        "dynamodb-no-wildcard-actions everything",
      ],
      run.stderr,
    );
    assert.strictEqual(run.code, 1);
  });

  it("closure-serialized functions (table.onEvent, CallbackFunction) preview, and the table's findings show", () => {
    const run = runs.get("closure")!;
    const r = report(run);
    assert.doesNotMatch(run.stderr, /glob|is not a function/);
    assert.strictEqual(r.resources.filter((x) => x.type === "aws:lambda/function:Function").length, 2);
    assert.ok(r.resources.some((x) => x.type === "aws:lambda/eventSourceMapping:EventSourceMapping"));
    assert.ok(findings(r, "mandatory").includes("dynamodb-point-in-time-recovery events"));
    noFailedPolicy(r);
  });

  it("availability zones are AWS-shaped; an invoke the preview cannot answer is unknown", () => {
    const r = report(runs.get("availability-zones")!);
    const table = r.resources.find((x) => x.type === "aws:dynamodb/table:Table")!;
    assert.deepStrictEqual(table.inputs.tags, {
      zone: "us-east-1a",
      zoneId: "use1-az1",
      zoneCount: "6",
      vpc: UNKNOWN,
    });
  });

  it("a policy built with aws.iam.getPolicyDocument is checked like the same JSON written by hand", () => {
    const r = report(runs.get("policy-document")!);
    noFailedPolicy(r);
    assert.deepStrictEqual(findings(r, "mandatory"), ["dynamodb-no-wildcard-actions everything"]);
    const scoped = r.resources.find((x) => x.name === "scoped")!;
    assert.deepStrictEqual(JSON.parse(String(scoped.inputs.policy)).Statement[0].Action, [
      "dynamodb:Query",
      "dynamodb:GetItem",
    ]);
  });

  it("stack configuration: the only Pulumi.<stack>.yaml is selected, its values and secrets reach the program", () => {
    const run = runs.get("stack-config")!;
    const r = report(run);
    assert.strictEqual(r.stack, "dev");
    const table = r.resources.find((x) => x.type === "aws:dynamodb/table:Table")!;
    assert.match(table.urn, /^urn:pulumi:dev::preview-stack-config::/);
    assert.strictEqual(table.inputs.name, "orders-dev");
    assert.deepStrictEqual(table.inputs.tags, { externalId: "[secret]" });
    assert.match(run.stderr, /externalId is encrypted in Pulumi\.dev\.yaml/);
  });

  it("--config overrides the stack's value", () => {
    const r = report(runs.get("stack-config-override")!);
    assert.strictEqual(r.resources.find((x) => x.name === "orders")!.inputs.name, "orders-override");
  });

  it("secrets are [secret] in every output unless --show-secrets", () => {
    const hidden = runs.get("stack-config-secret")!;
    assert.ok(!hidden.stdout.includes(secretValue) && !hidden.stderr.includes(secretValue), hidden.stdout);
    assert.deepStrictEqual(report(hidden).resources.find((x) => x.name === "orders")!.inputs.tags, {
      externalId: "[secret]",
    });
    const shown = runs.get("stack-config-shown")!;
    assert.deepStrictEqual(report(shown).resources.find((x) => x.name === "orders")!.inputs.tags, {
      externalId: secretValue,
    });
  });

  it("--json stays pure JSON when the program logs: its output goes to stderr", () => {
    const run = runs.get("logging")!;
    report(run);
    assert.match(run.stderr, /building the orders table/);
    assert.match(run.stderr, /plain console output from the program/);
  });

  it("ES-module programs run (top-level await included)", () => {
    const run = runs.get("esm")!;
    const table = report(run).resources.find((x) => x.type === "aws:dynamodb/table:Table")!;
    assert.deepStrictEqual(table.inputs.tags, { zone: "us-east-1a" });
  });

  it("a component's construction error is shown whole, every problem it lists", () => {
    const run = runs.get("invalid-component")!;
    assert.strictEqual(run.code, 2, run.stderr);
    assert.match(run.stderr, /error: .*HardenedTable "orders" has invalid arguments:/);
    assert.match(run.stderr, /- hashKey: "id" is not defined in attributes/);
    assert.match(run.stderr, /- attributes\[0\]\.name: "pk"/);
    assert.match(run.stderr, /- pointInTimeRecovery:/);
  });
});

describe("offline preview: programs that never finish, exit early or are interrupted", function () {
  this.timeout(300_000);

  const stopped = async (run: Run) => {
    assert.ok(run.children.length >= 2, `the pack and the program were started: ${run.children}`);
    assert.deepStrictEqual(await stillRunning(run.children), [], "no child outlives the CLI");
  };

  for (const name of ["never-resolves", "unresolved-input", "busy-loop"]) {
    it(`${name}: stopped at --timeout with a clear error, exit 2, pack and program stopped`, async () => {
      const run = await preview([program(name), "--timeout", "45"]);
      assert.strictEqual(run.code, 2, run.stderr);
      assert.match(run.stderr, /error: .*(did not finish within 45 s|never resolves)/);
      await stopped(run);
    });
  }

  it("a program calling process.exit(0) early fails the run (exit 2) and says so", async () => {
    const run = await preview([program("exits-early"), "--timeout", "1200"]);
    assert.strictEqual(run.code, 2, run.stderr);
    assert.match(run.stderr, /error: .*called process\.exit\(0\) before it finished/);
    assert.doesNotMatch(run.stdout, /violations/);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as NodeJS.Signals[]) {
    it(`${signal} stops the pack and the program and exits 128+N`, async () => {
      const run = await preview([program("busy-loop"), "--timeout", "100"], { killWith: signal });
      assert.strictEqual(run.code, signal === "SIGTERM" ? 143 : 130, run.stderr);
      await stopped(run);
    });
  }
});

describe("offline preview: command line", function () {
  this.timeout(600_000);

  it("--version prints the package version", async () => {
    const run = await preview(["--version"]);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    assert.strictEqual(run.stdout.trim(), `dynamodb-hardened ${version}`);
    assert.strictEqual(run.code, 0);
  });

  it("refuses an older Node.js with a clear message", function () {
    const older = ["/usr/bin/node", "/usr/local/bin/node"].find((n) => {
      if (!fs.existsSync(n)) return false;
      const v = spawnSync(n, ["--version"], { encoding: "utf8" }).stdout.trim();
      return Number(v.slice(1).split(".")[0]) < 22;
    });
    if (!older) this.skip();
    const run = spawnSync(older!, [path.join(ROOT, "dist", "bin", "start.js"), "--version"], {
      encoding: "utf8",
    });
    if (!fs.existsSync(path.join(ROOT, "dist", "bin", "start.js"))) this.skip();
    assert.strictEqual(run.status, 2);
    assert.match(run.stderr, /needs Node\.js 22 or later; this is Node\.js v\d+/);
  });

  it("bad --timeout and --color values are named with what is allowed", async () => {
    for (const [args, message] of [
      [["--timeout", "soon"], /--timeout soon: expected a positive number of seconds/],
      [["--color", "pink"], /--color pink: use always, never or auto/],
      [
        ["--stack", "prod", program("stack-config")],
        /--stack prod: .* has no Pulumi\.prod\.yaml; its stacks are dev/,
      ],
    ] as [string[], RegExp][]) {
      const run = await preview(args);
      assert.strictEqual(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
  });

  it("policy configuration: a wrongly typed value is refused with the engine's message", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-policy-config-"));
    const file = path.join(dir, "config.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ "dynamodb-point-in-time-recovery": { minimumRecoveryPeriodDays: "14" } }),
    );
    const run = await preview([program("logging"), "--policy-pack-config", file, "--timeout", "1200"]);
    assert.strictEqual(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /validating policy config for "dynamodb-hardened": dynamodb-point-in-time-recovery: minimumRecoveryPeriodDays: Invalid type\. Expected: integer, given: string/,
    );
  });

  it("policy configuration: an entry without enforcementLevel keeps the policy's default level", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-policy-config-"));
    const file = path.join(dir, "config.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ "dynamodb-point-in-time-recovery": { minimumRecoveryPeriodDays: 14 } }),
    );
    const run = await preview([
      program("logging"),
      "--json",
      "--policy-pack-config",
      file,
      "--timeout",
      "1200",
    ]);
    assert.ok(
      findings(report(run), "mandatory").includes("dynamodb-point-in-time-recovery logged"),
      run.stdout,
    );
    assert.strictEqual(run.code, 1);
  });

  it("colours the text report with --color always, and not with --color never", async () => {
    const [coloured, plain] = await Promise.all([
      preview([program("logging"), "--color", "always", "--timeout", "1200"]),
      preview([program("logging"), "--color", "never", "--timeout", "1200"]),
    ]);
    const ESC = String.fromCharCode(27);
    assert.ok(coloured.stdout.includes(`${ESC}[31m✖ mandatory${ESC}[0m`), coloured.stdout);
    assert.ok(!plain.stdout.includes(ESC), plain.stdout);
  });
});
