import * as assert from "assert";
import { findingMessage } from "../../../policypack/rules/finding";
import { pitrFindings } from "../../../policypack/rules/p02PointInTimeRecovery";
import { table } from "./helpers";

describe("pack findings", () => {
  it("a finding names its practice, controls, resource, problem and fix", () => {
    const [f] = pitrFindings(table({}), 7);
    const message = findingMessage(f);
    for (const part of [
      "[practice 2",
      "Security Hub DynamoDB.2",
      'aws:dynamodb/table:Table "t"',
      "(table)",
      "Fix: set pointInTimeRecovery.enabled",
    ])
      assert.ok(message.includes(part), message);
    assert.ok(!message.includes("component"));
    const [child] = pitrFindings(table({ tags: { "dynamodb-hardened:managed-by": "HardenedTable" } }), 7);
    assert.ok(
      findingMessage(child).endsWith(
        "made by the HardenedTable component: change the component's arguments, not the child.",
      ),
    );
  });
});
