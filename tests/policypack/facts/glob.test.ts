import * as assert from "assert";
import { checkExemption, parseExemptions } from "../../../policypack/exemptions";
import { globMatch } from "../../../policypack/facts/glob";
import { tableMatches } from "../../../policypack/facts/match";
import { Subject } from "../../../policypack/facts/model";
import { random } from "../../harness/random";

/** The definition of the wildcards, by dynamic programming over (pattern, text) prefixes: obviously right, and slow. */
function reference(pattern: string, text: string): boolean {
  let row = Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = Array<boolean>(text.length + 1).fill(false);
    if (p === "*") {
      next[0] = row[0];
      for (let j = 1; j <= text.length; j++) next[j] = row[j] || next[j - 1];
    } else {
      for (let j = 1; j <= text.length; j++) next[j] = row[j - 1] && (p === "?" || p === text[j - 1]);
    }
    row = next;
  }
  return row[text.length];
}

function pick(rand: () => number, alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
}

const subject = (name: string): Subject => ({
  urn: `urn:pulumi:prod::shop::aws:dynamodb/table:Table::${name}`,
  name,
  type: "aws:dynamodb/table:Table",
  tags: new Map(),
  tagsUnknown: false,
});

describe("policy pack: wildcard matching is exact and linear", () => {
  it("agrees with the definition of * and ? on 20,000 generated patterns and texts", () => {
    const rand = random(19);
    for (let i = 0; i < 20000; i++) {
      const pattern = pick(rand, "ab*?:", Math.floor(rand() * 9));
      const text = pick(rand, "ab:", Math.floor(rand() * 9));
      assert.strictEqual(globMatch(pattern, text), reference(pattern, text), `${pattern} ~ ${text}`);
    }
  });

  it("ignores case only when asked (IAM actions), and ? stays one character", () => {
    assert.ok(globMatch("DynamoDB:get?TEM", "dynamodb:GetItem", true));
    assert.ok(!globMatch("DynamoDB:get?TEM", "dynamodb:GetItem"));
    assert.ok(!globMatch("dynamodb:Get?", "dynamodb:GetItem", true));
    assert.ok(globMatch("*", ""));
    assert.ok(!globMatch("?", ""));
  });

  // Under a backtracking matcher each of these takes longer than the test suite (groups x 2 more per group).
  const PATHOLOGICAL = [10, 20, 40, 200].map((groups) => `${"*a".repeat(groups)}*b`);

  it("answers the issue's pathological patterns at once", function () {
    this.timeout(5000);
    const name = "a".repeat(40);
    for (const pattern of PATHOLOGICAL) {
      assert.strictEqual(globMatch(pattern, name), false, pattern);
      assert.strictEqual(globMatch(pattern, `${name}b`), pattern.length <= 82, pattern);
      assert.strictEqual(
        tableMatches(`arn:aws:dynamodb:us-east-1:*:table/${pattern}`, {
          name,
          region: "us-east-1",
          account: "111111111111",
          partition: "aws",
        }),
        "no",
      );
    }
    assert.ok(globMatch(`${"*a".repeat(10000)}*`, "a".repeat(10000)));
    assert.ok(!globMatch(`${"*a".repeat(10000)}*`, "a".repeat(9999)));
  });

  it("answers an exemption name or URN pattern of the same shape at once", function () {
    this.timeout(5000);
    const name = "a".repeat(40);
    for (const pattern of PATHOLOGICAL) {
      const exemptions = parseExemptions([
        { name: pattern, reason: "x", expires: "2999-01-01" },
        { urn: `urn:pulumi:*${pattern}`, reason: "x", expires: "2999-01-01" },
      ]);
      const result = checkExemption(subject(name), exemptions, new Date());
      assert.deepStrictEqual(result, { exempt: false, notes: [] });
    }
    const covering = parseExemptions([{ name: "*a*a*", reason: "x", expires: "2999-01-01" }]);
    assert.deepStrictEqual(checkExemption(subject(name), covering, new Date()), { exempt: true });
  });
});
