import * as assert from "assert";
import { withPath } from "../../policypack/remediation";
import { U } from "./rules/helpers";

describe("pack remediation helpers", () => {
  it("withPath copies along the path and refuses to go through unknown or secret values", () => {
    const secret = { value: 1 };
    Object.defineProperty(secret, "constructor", { value: class Secret {} });
    const bag = { a: { b: false, keep: 1 }, list: [{ x: 1 }], unknown: U, other: secret };
    assert.deepStrictEqual(withPath(bag, "a.b", true), { ...bag, a: { b: true, keep: 1 } });
    assert.deepStrictEqual(withPath(bag, "list[0].y", true), { ...bag, list: [{ x: 1, y: true }] });
    assert.strictEqual(withPath(bag, "unknown.enabled", true), undefined);
    assert.strictEqual(withPath(bag, "list[3].y", true), undefined);
    assert.strictEqual(bag.a.b, false, "the input is not changed");
  });
});
