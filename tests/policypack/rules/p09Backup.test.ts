import * as assert from "assert";
import { PlanFacts } from "../../../policypack/facts/model";
import { Node } from "../../../policypack/facts/stack";
import { backupCoverageFindings, planCopiesElsewhere } from "../../../policypack/rules/p09Backup";
import { U, stack } from "./helpers";

describe("practice 9 rules: AWS Backup", () => {
  it("practice 9: selection semantics (resources OR tags, AND conditions, minus notResources) and plan copies", () => {
    const tableInput = {
      urn: "urn:table",
      type: "aws:dynamodb/table:Table",
      props: { name: "orders", region: "us-east-1", tags: { backup: "required", env: "prod" } },
    };
    const selection = (props: Record<string, unknown>) => ({
      urn: "urn:sel",
      type: "aws:backup/selection:Selection",
      props: { region: "us-east-1", ...props },
    });
    const covered = (props: Record<string, unknown>) =>
      backupCoverageFindings(stack(tableInput, selection(props)), { requireCopy: false }).length === 0;
    assert.ok(covered({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "required" }] }));
    assert.ok(
      covered({
        resources: ["*"],
        conditions: [{ stringEquals: [{ key: "aws:ResourceTag/env", value: "prod" }] }],
      }),
    );
    assert.ok(
      !covered({
        resources: ["*"],
        conditions: [{ stringEquals: [{ key: "aws:ResourceTag/env", value: "dev" }] }],
      }),
    );
    assert.ok(
      !covered({
        resources: ["*"],
        conditions: [{ stringNotEquals: [{ key: "aws:ResourceTag/env", value: "prod" }] }],
      }),
    );
    assert.ok(
      covered({
        resources: ["*"],
        conditions: [{ stringLikes: [{ key: "aws:ResourceTag/env", value: "pr*" }] }],
      }),
    );
    assert.ok(!covered({ resources: ["*"], notResources: ["arn:aws:dynamodb:*:*:table/orders"] }));
    assert.ok(covered({ resources: [U] }), "an unknown ARN may be this table: no false alarm");
    const plan = (copies: unknown[], region = "us-east-1") =>
      stack({
        urn: "urn:plan",
        type: "aws:backup/plan:Plan",
        props: { region, rules: [{ ruleName: "r", targetVaultName: "v", copyActions: copies }] },
      }).get("urn:plan") as Node<PlanFacts>;
    const model = stack();
    assert.strictEqual(
      planCopiesElsewhere(
        model,
        plan([{ destinationVaultArn: "arn:aws:backup:eu-west-1:111111111111:backup-vault:x" }]),
      ),
      "yes",
    );
    assert.strictEqual(planCopiesElsewhere(model, plan([])), "no");
    assert.strictEqual(planCopiesElsewhere(model, plan([{ destinationVaultArn: U }])), "unknown");
  });
});
