import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const NESTED = "DYNAMODB_HARDENED_README_TEST";

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

// A fresh clone, the README's commands as written, nothing else installed: what a new user (and CI) does.
// Skipped inside its own nested `npm test`, which it would otherwise start again.
(process.env[NESTED] ? describe.skip : describe)("the README's first commands on a fresh clone", function () {
  this.timeout(40 * 60_000);
  let clone: string;

  before(() => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "ddbh-clone-"));
    clone = path.join(work, "main");
    const git = spawnSync("git", ["clone", "--quiet", ROOT, clone], { encoding: "utf8" });
    assert.strictEqual(git.status, 0, git.stderr);
    const shared = path.resolve(ROOT, "..", "shared");
    if (fs.existsSync(shared)) fs.symlinkSync(shared, path.join(work, "shared"));
  });

  it("are npm ci && npm start, then npm ci && npm test", () => {
    assert.deepStrictEqual(readmeCommands(), ["npm ci && npm start", "npm ci && npm test"]);
  });

  for (const command of readmeCommands()) {
    it(`${command} works`, () => {
      const run = spawnSync("bash", ["-c", command], {
        cwd: clone,
        encoding: "utf8",
        env: { ...process.env, [NESTED]: "1", npm_config_prefer_offline: "true" },
        maxBuffer: 64 * 1024 * 1024,
      });
      const tail = `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`;
      assert.strictEqual(run.status, 0, tail);
      if (command.endsWith("npm start")) {
        assert.match(run.stdout, /No mandatory policy violations/);
        assert.match(run.stdout, /dynamodb-hardened:index:HardenedTable/);
      } else {
        assert.match(run.stdout, /\d+ passing/);
        assert.doesNotMatch(run.stdout, /\d+ failing/);
      }
    });
  }
});
