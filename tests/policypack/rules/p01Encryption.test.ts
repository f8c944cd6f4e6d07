import * as assert from "assert";
import { cmkFindings } from "../../../policypack/rules/p01Encryption";
import { U, table } from "./helpers";

describe("practice 1 rules: customer-managed keys", () => {
  it("practice 1 accepts unknown keys", () => {
    assert.deepStrictEqual(cmkFindings(table({ serverSideEncryption: { enabled: true, kmsKeyArn: U } })), []);
  });
});
