import * as assert from "assert";
import * as components from "../../components";
import * as contract from "../../policypack/contract";

// The pack is published alone and cannot import the components, so it keeps copies of what both must agree
// on. Each one must equal the constant of the same name that the components' package exports.
describe("policy pack: the contract shared with the components", () => {
  for (const [name, value] of Object.entries(contract)) {
    it(`${name} is the components' ${name}`, () => {
      assert.ok(name in components, `components/index.ts exports no ${name}`);
      assert.deepStrictEqual(value, (components as Record<string, unknown>)[name]);
    });
  }
});
