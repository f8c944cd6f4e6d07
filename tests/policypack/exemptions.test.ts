import * as assert from "assert";
import { checkExemption, parseExemptions } from "../../policypack/exemptions";

describe("pack exemptions", () => {
  it("parse, match, expire", () => {
    const parsed = parseExemptions([
      { name: "a*", reason: "r", expires: "2999-01-01" },
      { name: "b*", reason: "r", expires: "2000-01-01" },
      { name: "c*", expires: "2999-01-01" },
      { reason: "no matcher", expires: "2999-01-01" },
      "junk",
    ]);
    assert.strictEqual(parsed.valid.length, 2);
    assert.strictEqual(parsed.invalid.length, 2);
    const subject = (name: string) => ({
      urn: `urn:${name}`,
      name,
      type: "t",
      tags: new Map(),
      tagsUnknown: false,
    });
    const now = new Date();
    assert.deepStrictEqual(checkExemption(subject("abc"), parsed, now), { exempt: true });
    const expired = checkExemption(subject("bcd"), parsed, now);
    assert.ok(!expired.exempt && expired.notes[0].includes("expired on 2000-01-01"));
    const invalid = checkExemption(subject("cde"), parsed, now);
    assert.ok(!invalid.exempt && invalid.notes[0].includes("has no reason"));
  });
});
