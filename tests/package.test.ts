import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/**
 * A Pulumi SDK newer than the one package-lock.json pins, as a project started after our release has.
 * Read from the npm cache (`--prefer-offline`); `npm cache add @pulumi/pulumi@<version>` fills it.
 */
const NEWER_SDK = "3.276.0";

/** Every installed copy of `name` under `dir`'s node_modules, nested ones included, by path. */
function installedCopies(dir: string, name: string): Map<string, string> {
  const copies = new Map<string, string>();
  const walk = (nodeModules: string) => {
    if (!fs.existsSync(nodeModules)) return;
    for (const entry of fs.readdirSync(nodeModules)) {
      const packages = entry.startsWith("@")
        ? fs.readdirSync(path.join(nodeModules, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const pkg of packages) {
        const pkgDir = path.join(nodeModules, pkg);
        if (pkg === name) {
          copies.set(pkgDir, JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version);
        }
        walk(path.join(pkgDir, "node_modules"));
      }
    }
  };
  walk(path.join(dir, "node_modules"));
  return copies;
}

// What a user gets from the registry: `npm pack` output installed into a project that already has a
// newer @pulumi/pulumi, and used from plain JavaScript, with no TypeScript tooling.
describe("the published package", function () {
  this.timeout(300_000);
  let project: string;

  before(() => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-pack-"));
    const tarball = npm(["pack", "--silent", "--pack-destination", work], ROOT).trim().split("\n").pop()!;
    project = path.join(work, "consumer");
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "consumer", version: "1.0.0", private: true }),
    );
    const install = ["--prefer-offline", "--no-audit", "--no-fund"];
    npm(["install", `@pulumi/pulumi@${NEWER_SDK}`, ...install], project);
    npm(["install", path.join(work, tarball), ...install], project);
  });

  it("shares the project's newer @pulumi/pulumi: one SDK copy in the whole tree", () => {
    const locked = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")).packages[
      "node_modules/@pulumi/pulumi"
    ].version;
    assert.notStrictEqual(locked, NEWER_SDK, "the test needs an SDK newer than the lock file's");
    const copies = installedCopies(project, "@pulumi/pulumi");
    assert.deepStrictEqual(
      [...copies.entries()].map(([dir, version]) => [path.relative(project, dir), version]),
      [[path.join("node_modules", "@pulumi", "pulumi"), NEWER_SDK]],
    );
  });

  it("declares compatible ranges for the Pulumi SDKs and pins what it tests in package-lock.json", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")).packages;
    for (const sdk of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/policy"]) {
      const range: string = manifest.dependencies[sdk];
      assert.match(range, /^\^\d+\.\d+\.\d+$/, `${sdk}: a caret range, not ${range}`);
      assert.strictEqual(
        lock[`node_modules/${sdk}`].version,
        range.slice(1),
        `${sdk}: the lock file pins the floor`,
      );
    }
  });

  it("carries its licence, changelog and repository links", () => {
    const pkg = path.join(project, "node_modules", "dynamodb-hardened");
    assert.match(fs.readFileSync(path.join(pkg, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
    assert.ok(fs.existsSync(path.join(pkg, "CHANGELOG.md")), "CHANGELOG.md is shipped");
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));
    assert.match(manifest.repository.url, /github\.com\/dynamodb-hardened\/dynamodb-hardened/);
    assert.ok(manifest.homepage && manifest.bugs.url, "homepage and bugs are set");
  });

  it("ships compiled JavaScript with type declarations, and no sources or tests", () => {
    const pkg = path.join(project, "node_modules", "dynamodb-hardened");
    assert.ok(fs.existsSync(path.join(pkg, "dist/components/index.js")));
    assert.ok(fs.existsSync(path.join(pkg, "dist/components/index.d.ts")));
    assert.ok(!fs.existsSync(path.join(pkg, "components")), "TypeScript sources are not shipped");
    assert.ok(!fs.existsSync(path.join(pkg, "tests")), "tests are not shipped");
  });

  it("builds a HardenedTable from plain JavaScript", () => {
    const script = `
      const pulumi = require("@pulumi/pulumi");
      const seen = [];
      pulumi.runtime.setMocks({
        newResource: (a) => { seen.push(a.type); return { id: a.name, state: a.inputs }; },
        call: (a) => ({ accountId: "111111111111", partition: "aws", region: "us-east-1" }),
      }, "p", "s", false);
      const { HardenedTable } = require("dynamodb-hardened");
      new HardenedTable("t", { region: "us-east-1", hashKey: "id", attributes: [{ name: "id", type: "S" }] });
      setTimeout(() => console.log(JSON.stringify(seen.sort())), 300);
    `;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" });
    assert.deepStrictEqual(JSON.parse(out), [
      "aws:dynamodb/table:Table",
      "aws:kms/key:Key",
      "dynamodb-hardened:index:HardenedTable",
    ]);
  });

  it("installs the dynamodb-hardened command, which previews a JavaScript program with the bundled pack", () => {
    assert.ok(fs.existsSync(path.join(project, "node_modules", ".bin", "dynamodb-hardened")));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(project, "index.js"),
      `const { HardenedTable } = require("dynamodb-hardened");
       new HardenedTable("orders", { region: "us-east-1", hashKey: "id", attributes: [{ name: "id", type: "S" }] });`,
    );
    const run = spawnSync(path.join(project, "node_modules", ".bin", "dynamodb-hardened"), ["preview", "."], {
      cwd: project,
      encoding: "utf8",
    });
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /dynamodb-hardened:index:HardenedTable\s+orders/);
    assert.match(run.stdout, /No mandatory policy violations/);
  });

  it("previews a TypeScript program with nothing but the package and its SDKs installed (the SDK's vendored TypeScript)", () => {
    const dir = path.join(project, "ts-program");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: consumer-ts\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import { HardenedTable } from "dynamodb-hardened";
       const attributes: { name: string; type: "S" }[] = [{ name: "id", type: "S" }];
       new HardenedTable("orders", { region: "us-east-1", hashKey: "id", attributes });`,
    );
    assert.ok(!fs.existsSync(path.join(project, "node_modules", "ts-node")), "no ts-node installed");
    const run = spawnSync(path.join(project, "node_modules", ".bin", "dynamodb-hardened"), ["preview", dir], {
      cwd: project,
      encoding: "utf8",
    });
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /dynamodb-hardened:index:HardenedTable\s+orders/);
  });
});
