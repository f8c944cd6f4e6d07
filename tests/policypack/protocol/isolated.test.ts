import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AnalyzerClient } from "../../../preview/analyzerClient";
import { policies } from "../../../policypack/pack";
import { awsTable, classicTable, edit } from "./fixtures";
import { PACK_DIR, ensureBuilt, expectFindings, expectNoCantRun } from "./packHarness";

const REPO = path.join(PACK_DIR, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The directory of package `name` as Node would find it from `from`. */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Every installed package the pack's `dependencies` need, transitively (the production install of the pack). */
function dependencyClosure(): string[] {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const found = findPackage(name, dir);
      if (found) visit(found);
      else assert.ok(pkg.optionalDependencies?.[name], `${name} (needed by ${dir}) is not installed`);
    }
  };
  const pack = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
  for (const name of Object.keys(pack.dependencies)) visit(findPackage(name, PACK_DIR)!);
  return [...seen];
}

/** Hard-links (or copies, across devices) a package's files, leaving its nested node_modules to the closure. */
function mirror(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) mirror(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else {
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
      }
    }
  }
}

// The pack as `pulumi policy publish` uploads it (npm pack of the directory), alone in an empty temporary
// directory, with its own dependencies installed. By default they are mirrored from this repository's
// install (same lockfile versions, same npm layout, hard links), so the test needs no network and takes
// seconds; PACK_TEST_REGISTRY=1 runs `npm install --omit=dev` from the registry instead. Either way, nothing
// outside the temporary directory is on the pack's module path: a require hook records every module it loads.
describe("policy pack: copied alone into an empty directory", function () {
  this.timeout(300000);
  let dir: string;
  let client: AnalyzerClient | undefined;
  let trace: string;

  before(function () {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dynamodb-hardened-pack-"));
    execFileSync(npm, ["pack", "--silent", "--pack-destination", dir], {
      cwd: PACK_DIR,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = fs.readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    execFileSync("tar", ["-xzf", tarball], { cwd: dir });
    const packDir = path.join(dir, "package");
    if (process.env.PACK_TEST_REGISTRY === "1") {
      execFileSync(npm, ["install", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts"], {
        cwd: packDir,
        stdio: "inherit",
      });
    } else {
      for (const pkg of dependencyClosure()) {
        const relative = path.relative(REPO, pkg);
        assert.ok(
          relative.startsWith("node_modules"),
          `${pkg} is installed outside the repository's node_modules`,
        );
        mirror(pkg, path.join(packDir, relative));
      }
    }
    trace = path.join(dir, "loaded.txt");
    fs.writeFileSync(
      path.join(dir, "trace.js"),
      `const Module = require("module"); const fs = require("fs"); const path = require("path");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolve.apply(this, args);
  if (path.isAbsolute(file)) fs.appendFileSync(${JSON.stringify(trace)}, fs.realpathSync(file) + "\\n");
  return file;
};\n`,
    );
  });

  after(async () => {
    await client?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("holds what the engine needs: PulumiPolicy.yaml, package.json with its dependencies, compiled main", () => {
    const packDir = path.join(dir, "package");
    const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
    assert.ok(fs.existsSync(path.join(packDir, pkg.main)), `main ${pkg.main} is in the published directory`);
    assert.match(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8"), /runtime: nodejs/);
    // The AWS SDK's partition data and ARN parser: regions and partitions without hand-written patterns.
    assert.deepStrictEqual(Object.keys(pkg.dependencies).sort(), [
      "@aws-sdk/util-arn-parser",
      "@aws-sdk/util-endpoints",
      "@pulumi/policy",
      "@pulumi/pulumi",
    ]);
    for (const version of Object.values(pkg.dependencies) as string[])
      assert.match(version, /^\d+\.\d+\.\d+$/, "pinned, from the registry");
  });

  it("starts as the engine starts it and answers Analyze and AnalyzeStack, loading nothing from outside its directory", async () => {
    client = await AnalyzerClient.start(path.join(dir, "package"), {
      env: { NODE_OPTIONS: `--require ${path.join(dir, "trace.js")}` },
    });
    const info = await client.getAnalyzerInfo();
    assert.strictEqual(info.policies.length, policies.length);
    const result = await client.analyze(awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery)));
    expectNoCantRun(result);
    expectFindings(result, "dynamodb-point-in-time-recovery", 1);
    expectFindings(await client.analyzeStack([awsTable()]), "dynamodb-stack", 2);
    const loaded = [...new Set(fs.readFileSync(trace, "utf8").split("\n").filter(Boolean))];
    const outside = loaded.filter((file) => !file.startsWith(fs.realpathSync(dir)));
    assert.deepStrictEqual(outside, [], "modules loaded from outside the pack's directory");
    assert.ok(
      loaded.some((file) => file.endsWith(path.join("package", "bin", "index.js"))),
      "the compiled main was loaded",
    );
  });
});
