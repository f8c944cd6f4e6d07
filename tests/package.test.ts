import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// What a user gets from the registry: `npm pack` output installed into an empty project and used
// from plain JavaScript, with no TypeScript tooling.
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
    npm(["install", path.join(work, tarball), "--prefer-offline", "--no-audit", "--no-fund"], project);
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
