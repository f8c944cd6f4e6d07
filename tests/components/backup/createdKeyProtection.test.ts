import * as assert from "assert";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { CentralBackupVault, DynamoDbDataEventsTrail, TableBackupPlan } from "../../../components";
import { byType, one, parsePolicy, record } from "../../harness/record";
import { assertRejects, deferredRejectionOf } from "../../harness/rejection";

// The keys TableBackupPlan and DynamoDbDataEventsTrail create are protected like CentralBackupVault's
// (issue 14: "keys the component creates are protected like the table they encrypt"): with a break-glass or
// key administrator role, nobody else may delete, disable or stop rotating the key, and only those roles
// may change its policy. Evaluated with a real IAM engine.

const ACCOUNT = "111111111111";
const OTHER_ACCOUNT = "444444444444";
const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
const BREAK_GLASS = role("break-glass");
const DEPLOYER = role("deployer");
const ANYONE = role("ops-admin");
const KEY = "aws:kms/key:Key";
const DESTRUCTIVE = [
  "kms:ScheduleKeyDeletion",
  "kms:DisableKey",
  "kms:DeleteImportedKeyMaterial",
  "kms:DisableKeyRotation",
];
const protection = { breakGlassRoleArn: BREAK_GLASS, keyAdminRoleArns: [DEPLOYER] };

/** Whether `principal`, whose own IAM policies allow everything, may do `action` on a key with `policy`. */
async function decide(policy: unknown, principal: string, action: string): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-k`, accountId: ACCOUNT },
        contextVariables: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": ACCOUNT },
      },
      identityPolicies: [
        {
          name: "admin",
          policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  if (result.resultType !== "single") throw new Error(`simulation failed: ${JSON.stringify(result)}`);
  return result.overallResult;
}

const COMPONENTS = {
  TableBackupPlan: (args: object = {}) =>
    new TableBackupPlan("orders", { region: "us-east-1", allowNoCopy: true, ...args }),
  DynamoDbDataEventsTrail: (args: object = {}) =>
    new DynamoDbDataEventsTrail("audit", { region: "us-east-1", ...args }),
};

async function keyPolicy(build: () => unknown): Promise<{ Statement: Record<string, unknown>[] }> {
  return parsePolicy(one(await record(build), KEY).inputs.policy);
}

for (const [component, build] of Object.entries(COMPONENTS)) {
  describe(`${component}: the key it creates, with breakGlassRoleArn and keyAdminRoleArns`, () => {
    let policy: { Statement: Record<string, unknown>[] };
    before(async () => {
      policy = await keyPolicy(() => build(protection));
    });

    for (const action of DESTRUCTIVE) {
      it(`lets only the break-glass role ${action}`, async () => {
        assert.strictEqual(await decide(policy, BREAK_GLASS, action), "Allowed");
        assert.notStrictEqual(await decide(policy, DEPLOYER, action), "Allowed", "key administrator");
        assert.notStrictEqual(
          await decide(policy, ANYONE, action),
          "Allowed",
          "another admin of the account",
        );
      });
    }

    it("lets only the break-glass role and the key administrators change the key policy", async () => {
      assert.strictEqual(await decide(policy, BREAK_GLASS, "kms:PutKeyPolicy"), "Allowed");
      assert.strictEqual(await decide(policy, DEPLOYER, "kms:PutKeyPolicy"), "Allowed");
      assert.notStrictEqual(await decide(policy, ANYONE, "kms:PutKeyPolicy"), "Allowed");
    });

    it("has exactly the protective statements of CentralBackupVault's key for the same roles", async () => {
      const vault = await record(
        () =>
          new CentralBackupVault("central", {
            region: "us-east-1",
            sourceAccountIds: ["222222222222"],
            breakGlassRoleArn: BREAK_GLASS,
            vaultAdminRoleArns: [DEPLOYER],
          }),
      );
      const vaultKey = parsePolicy(one(vault, KEY).inputs.policy);
      const denies = (p: { Statement: Record<string, unknown>[] }) =>
        p.Statement.filter((s) => s.Effect === "Deny");
      assert.strictEqual(denies(policy).length, 2);
      assert.deepStrictEqual(denies(policy), denies(vaultKey));
    });
  });

  describe(`${component}: key protection arguments`, () => {
    it("keeps today's key policy, with no deny, when neither role is given", async () => {
      const policy = await keyPolicy(() => build());
      assert.deepStrictEqual(
        policy.Statement.filter((s) => s.Effect === "Deny"),
        [],
      );
      assert.strictEqual(await decide(policy, ANYONE, "kms:PutKeyPolicy"), "Allowed");
    });

    it("refuses a wildcard break-glass role", () =>
      assertRejects(() => build({ breakGlassRoleArn: role("*") }), "breakGlassRoleArn", /wildcard/));

    it("refuses a key administrator that is not a role ARN", () =>
      assertRejects(
        () => build({ keyAdminRoleArns: [`arn:aws:iam::${ACCOUNT}:user/alice`] }),
        "keyAdminRoleArns[0]",
        /not an IAM role ARN/,
      ));

    it("refuses the roles with kmsKeyArn: they protect only the key the component creates", () =>
      assertRejects(
        () =>
          build({
            ...protection,
            kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
          }),
        "breakGlassRoleArn",
        /kmsKeyArn/,
      ));

    it("fails the deployment, creating no key, when a role is in another account than the key", async () => {
      const { error, resources } = await deferredRejectionOf(() =>
        build({ breakGlassRoleArn: role("break-glass", OTHER_ACCOUNT) }),
      );
      assert.strictEqual(error.propertyPath, "breakGlassRoleArn");
      assert.match(error.reason, /account 444444444444/);
      assert.deepStrictEqual(byType(resources, KEY), []);
    });
  });
}

describe("TableBackupPlan: a key role in another account than accountId", () => {
  it("is refused at construction", () =>
    assertRejects(
      () => COMPONENTS.TableBackupPlan({ accountId: ACCOUNT, keyAdminRoleArns: [role("d", OTHER_ACCOUNT)] }),
      "keyAdminRoleArns[0]",
      /another account cannot manage the key/,
    ));
});
