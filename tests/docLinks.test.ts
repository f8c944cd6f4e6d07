import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const REPO_URL = "https://github.com/dynamodb-hardened/dynamodb-hardened";

/** The Markdown a reader of the repository, the npm package or the published pack sees. */
function documents(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md"));
  const examples = fs
    .readdirSync(path.join(ROOT, "examples"))
    .map((e) => path.join("examples", e, "README.md"))
    .filter((f) => fs.existsSync(path.join(ROOT, f)));
  return ["README.md", "CHANGELOG.md", "policypack/README.md", ...docs.map((d) => `docs/${d}`), ...examples];
}

/** Markdown outside fenced code blocks. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "");
}

/** Link targets of `[text](target)` and `<a href="target">`, in prose. */
function links(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  const html = [...text.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  return [...inline, ...html];
}

/** The anchors GitHub gives a Markdown file: heading slugs (with -1, -2 for repeats) and explicit ids. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\- _]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    found.add(n === 0 ? slug : `${slug}-${n}`);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(id);
  return found;
}

/** Where a link lands inside the repository, or why it does not. */
function resolveTarget(
  fromFile: string,
  target: string,
): { file?: string; anchor?: string; outside?: string } {
  const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
  if (target.startsWith(`${REPO_URL}/blob/main/`) || target.startsWith(`${REPO_URL}/tree/main/`)) {
    return { file: pathPart.slice(`${REPO_URL}/blob/main/`.length), anchor };
  }
  if (/^[a-z]+:/i.test(target)) return {};
  const file =
    pathPart === ""
      ? fromFile
      : path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), pathPart));
  if (file.startsWith("../") || path.posix.isAbsolute(file)) return { outside: file };
  return { file, anchor };
}

describe("links in the README and docs", () => {
  const files = documents();

  it("covers the README, the changelog, the pack's README, every doc and example README", () => {
    for (const f of ["README.md", "CHANGELOG.md", "policypack/README.md", "docs/practices.md"]) {
      assert.ok(files.includes(f), f);
    }
  });

  it("never send the reader outside the repository (no ../shared, no seeds)", () => {
    const problems: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      if (/\.\.\/shared|seeds\/|\bseed 0\d\d\b/i.test(text)) problems.push(`${file}: refers to the seeds`);
      for (const target of links(text)) {
        const { outside } = resolveTarget(file, target);
        if (outside) problems.push(`${file}: ${target} leaves the repository`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("point at files that exist and anchors those files define", () => {
    const problems: string[] = [];
    for (const file of files) {
      for (const target of links(fs.readFileSync(path.join(ROOT, file), "utf8"))) {
        const { file: landed, anchor } = resolveTarget(file, target);
        if (!landed) continue;
        const absolute = path.join(ROOT, landed);
        if (!fs.existsSync(absolute)) {
          problems.push(`${file}: ${target} (no ${landed})`);
          continue;
        }
        if (anchor && landed.endsWith(".md") && !anchors(fs.readFileSync(absolute, "utf8")).has(anchor)) {
          problems.push(`${file}: ${target} (no #${anchor} in ${landed})`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it("name no release tag that the repository does not have", () => {
    let tags: string[] = [];
    try {
      tags = execFileSync("git", ["tag", "--list"], { cwd: ROOT, encoding: "utf8" })
        .split("\n")
        .filter(Boolean);
    } catch {
      // Not a Git checkout (an unpacked tarball): no tag exists.
    }
    const problems: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const [, tag] of text.matchAll(/dynamodb-hardened@(v?\d+\.\d+\.\d+)\b/g)) {
        if (!tags.includes(tag)) problems.push(`${file}: @${tag}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe("docs/practices.md", () => {
  const text = fs.readFileSync(path.join(ROOT, "docs", "practices.md"), "utf8");

  it("has an anchor practice-1 to practice-12, each on a section naming its Security Hub controls", () => {
    const ids = anchors(text);
    for (let n = 1; n <= 12; n++) {
      assert.ok(ids.has(`practice-${n}`), `practice-${n}`);
      const section = text.split(`<a id="practice-${n}"></a>`)[1].split('<a id="practice-')[0];
      assert.match(section, new RegExp(`^\\s*## ${n}\\. `), `practice ${n} heading`);
      assert.match(section, /\*\*Security Hub:\*\*/, `practice ${n} names its controls (or none)`);
    }
  });

  it("maps the seven DynamoDB Security Hub controls as AWS titles them", () => {
    // https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html
    const expected: Record<string, [number, string]> = {
      "DynamoDB.1": [10, "DynamoDB tables should automatically scale capacity with demand"],
      "DynamoDB.2": [2, "DynamoDB tables should have point-in-time recovery enabled"],
      "DynamoDB.3": [8, "DynamoDB Accelerator (DAX) clusters should be encrypted at rest"],
      "DynamoDB.4": [9, "DynamoDB tables should be present in a backup plan"],
      "DynamoDB.6": [3, "DynamoDB tables should have deletion protection enabled"],
      "DynamoDB.7": [8, "DynamoDB Accelerator clusters should be encrypted in transit"],
    };
    for (const [control, [practice, title]] of Object.entries(expected)) {
      const section = text.split(`<a id="practice-${practice}"></a>`)[1].split('<a id="practice-')[0];
      assert.ok(
        section.includes(`[${control}]`) && section.includes(`"${title}"`),
        `${control} under practice ${practice}`,
      );
    }
  });

  it("is linked from the README and the pack's README", () => {
    assert.match(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), /\]\(docs\/practices\.md\)/);
    assert.ok(
      fs
        .readFileSync(path.join(ROOT, "policypack", "README.md"), "utf8")
        .includes(`${REPO_URL}/blob/main/docs/practices.md`),
    );
  });
});
