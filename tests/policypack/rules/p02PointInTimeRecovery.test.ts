import * as assert from "assert";
import { pitrFindings } from "../../../policypack/rules/p02PointInTimeRecovery";
import { table } from "./helpers";

describe("practice 2 rules: point-in-time recovery", () => {
  it("practice 2 reads the configured minimum", () => {
    const t = table({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 10 } });
    assert.strictEqual(pitrFindings(t, 7).length, 0);
    assert.strictEqual(pitrFindings(t, 14).length, 1);
  });
});
