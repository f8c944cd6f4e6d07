import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** The shell commands in the README's first code block: what a new user runs first. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const block = /```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "the README opens with a sh code block");
  return block[1]
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

// CI (`.ci/run`) starts from a clean clone and runs exactly these commands, so the suite never runs itself again.
describe("the README's first commands", () => {
  it("are npm ci && npm start, then npm ci && npm test", () => {
    assert.deepStrictEqual(readmeCommands(), ["npm ci && npm start", "npm ci && npm test"]);
  });
});

describe("npm start, as the README runs it", function () {
  this.timeout(180_000);

  it("previews the default multi-account program with no mandatory violation", () => {
    const run = spawnSync("npm", ["start", "--silent"], { cwd: ROOT, encoding: "utf8" });
    assert.strictEqual(run.status, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    assert.match(run.stdout, /No mandatory policy violations/);
    assert.match(run.stdout, /dynamodb-hardened:index:HardenedTable/);
  });
});
