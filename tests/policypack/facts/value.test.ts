import * as assert from "assert";
import { UNKNOWN, bool, isUnknown, str, tagsOf } from "../../../policypack/facts/value";
import { U } from "../rules/helpers";

describe("pack facts: reading raw values", () => {
  it("every sentinel is unknown; wrong types are absent, never thrown", () => {
    for (const s of [
      U,
      "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
      "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
      UNKNOWN,
    ])
      assert.ok(isUnknown(s));
    assert.strictEqual(bool("TRUE"), true);
    assert.strictEqual(bool(1), undefined);
    assert.strictEqual(
      str({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" }),
      "x",
      "secrets are unwrapped",
    );
    assert.deepStrictEqual([...tagsOf([{ key: "a", value: "b" }, null, 7]).tags], [["a", "b"]]);
    assert.strictEqual(tagsOf(U).unknown, true);
  });
});
