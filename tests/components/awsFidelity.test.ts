import * as assert from "assert";
import {
  HardenedTable,
  HardenedTableArgs,
  OrganizationGuardrails,
  TableBackupPlan,
  daxTrustPolicy,
} from "../../components";
import { evaluateJourney } from "../journeys/harness/layers";
import { byType, record } from "../harness/record";
import { assertRejects, deferredError } from "../harness/rejection";

// Configurations our mocks accepted but AWS would reject at deploy, or that would deploy and not work
// (issue 14). Each test fails on the code before the fix.

const READER = "arn:aws:iam::222222222222:role/orders-reader";
const base: HardenedTableArgs = {
  name: "orders",
  region: "us-east-1",
  hashKey: "pk",
  attributes: [{ name: "pk", type: "S" }],
};

describe("AWS fidelity: cross-account `access` gets use of the table's keys (#14.3)", () => {
  it("grants each named principal its key operations on every regional key, bound to the table's encryption context", async () => {
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...base,
          access: {
            readerPrincipals: [READER],
            writerPrincipals: ["arn:aws:iam::222222222222:role/orders-writer"],
          },
          replicas: [{ region: "eu-west-1" }],
        }),
    );
    const grants = byType(resources, "aws:kms/grant:Grant").map((g) => g.inputs);
    assert.strictEqual(grants.length, 4, "two principals x two regional keys");
    const reader = grants.find((g) => g.granteePrincipal === READER && g.region === "eu-west-1")!;
    assert.deepStrictEqual(reader.operations, ["Decrypt", "DescribeKey"]);
    assert.match(String(reader.keyId), /^arn:aws:kms:eu-west-1:/);
    assert.deepStrictEqual(reader.constraints, [
      {
        encryptionContextSubset: {
          "aws:dynamodb:tableName": "orders",
          "aws:dynamodb:subscriberId": "111111111111",
        },
      },
    ]);
  });

  it("refuses a principal of another account on a table encrypted with the AWS-managed key", async () => {
    const error = await deferredError(
      () =>
        new HardenedTable("orders", {
          ...base,
          kmsKeyArn: "alias/aws/dynamodb",
          allowAwsManagedKey: true,
          access: { readerPrincipals: [READER] },
        }),
    );
    assert.strictEqual(error.propertyPath, "access.readerPrincipals[0]");
    assert.match(error.message, /cannot be shared with other accounts/);
  });
});

describe("AWS fidelity: `access.sourceVpce` and replicas (#14.4)", () => {
  const withVpce = (replica: Record<string, unknown>): HardenedTableArgs => ({
    ...base,
    access: { readerPrincipals: [READER], sourceVpce: "vpce-0a1b2c3d4e5f60001" },
    replicas: [{ region: "eu-west-1", ...replica }],
  });

  it("refuses a replica without its own region's endpoint, saying why", () =>
    assertRejects(
      () => new HardenedTable("orders", withVpce({})),
      "replicas[0].sourceVpce",
      /serves only its own region/,
    ));

  it("refuses the table's endpoint given again for a replica", () =>
    assertRejects(
      () => new HardenedTable("orders", withVpce({ sourceVpce: "vpce-0a1b2c3d4e5f60001" })),
      "replicas[0].sourceVpce",
      /table's own endpoint/,
    ));

  it("puts each region's endpoint in that region's policy", async () => {
    const resources = await record(
      () => new HardenedTable("orders", withVpce({ sourceVpce: "vpce-0a1b2c3d4e5f60002" })),
    );
    const policies = byType(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy");
    const vpceOf = (region: string) =>
      JSON.stringify(JSON.parse(String(policies.find((p) => p.inputs.region === region)!.inputs.policy)));
    assert.match(vpceOf("us-east-1"), /vpce-0a1b2c3d4e5f60001/);
    assert.doesNotMatch(vpceOf("us-east-1"), /vpce-0a1b2c3d4e5f60002/);
    assert.match(vpceOf("eu-west-1"), /vpce-0a1b2c3d4e5f60002/);
    assert.doesNotMatch(vpceOf("eu-west-1"), /vpce-0a1b2c3d4e5f60001/);
  });
});

describe("AWS fidelity: what protects backups cannot be turned off around them (#19.5)", () => {
  it("the organization SCP refuses turning PITR off (UpdateContinuousBackups) to all but break-glass roles", async () => {
    const resources = await record(
      () =>
        new OrganizationGuardrails("guard", {
          organizationId: "o-a1b2c3d4e5",
          targetIds: ["r-root"],
          breakGlassRoleArns: ["arn:aws:iam::111111111111:role/break-glass"],
        }),
    );
    const scp = JSON.parse(
      String(
        byType(resources, "aws:organizations/policy:Policy").find(
          (p) => p.inputs.type === "SERVICE_CONTROL_POLICY",
        )!.inputs.content,
      ),
    );
    const attempt = (principal: string) =>
      evaluateJourney([
        {
          layer: "UpdateContinuousBackups",
          principal,
          action: "dynamodb:UpdateContinuousBackups",
          resource: "arn:aws:dynamodb:us-east-1:111111111111:table/orders",
          resourceAccount: "111111111111",
          identityPolicies: [{ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }],
          serviceControlPolicies: [scp],
          context: { "aws:PrincipalArn": principal },
        },
      ]);
    assert.ok(!(await attempt("arn:aws:iam::111111111111:role/Admin")).allowed);
    assert.ok((await attempt("arn:aws:iam::111111111111:role/break-glass")).allowed);
  });

  it("the backup service role and the DAX role trust their service only for their own account", async () => {
    const resources = await record(
      () =>
        new TableBackupPlan("orders", {
          region: "us-east-1",
          copies: [{ destinationVaultArn: "arn:aws:backup:us-east-1:999999999999:backup-vault:central" }],
        }),
    );
    const trust = JSON.parse(String(byType(resources, "aws:iam/role:Role")[0].inputs.assumeRolePolicy));
    assert.deepStrictEqual(trust.Statement[0].Condition, {
      StringEqualsIfExists: { "aws:SourceAccount": "111111111111" },
    });
    assert.deepStrictEqual(daxTrustPolicy("111111111111").Statement[0].Condition, {
      StringEqualsIfExists: { "aws:SourceAccount": "111111111111" },
    });
  });
});

describe("AWS fidelity: the table's keys are not silently replaced (#14.5)", () => {
  const keysOf = async (args: Partial<HardenedTableArgs>) =>
    (
      await record(
        () => new HardenedTable("orders", { ...base, replicas: [{ region: "eu-west-1" }], ...args }),
      )
    ).filter((r) => r.type === "aws:kms/key:Key" || r.type === "aws:kms/replicaKey:ReplicaKey");

  it("protects every key it creates like the table, so pulumi up refuses a change that would replace one", async () => {
    for (const strategy of ["multiRegion", "perRegion"]) {
      const keys = await keysOf({ replicaKeyStrategy: strategy });
      assert.strictEqual(keys.length, 2);
      for (const key of keys) assert.strictEqual(key.protect, true, `${strategy} ${key.name}`);
    }
  });

  it("follows the table's protect and retainOnDelete", async () => {
    for (const key of await keysOf({ protect: false, retainOnDelete: true })) {
      assert.strictEqual(key.protect, false);
      assert.strictEqual(key.retainOnDelete, true);
    }
  });

  it("allows a replacement only when asked by name, and then keeps the old key in AWS", async () => {
    for (const key of await keysOf({ allowKeyReplacement: true })) {
      assert.strictEqual(key.protect, false);
      assert.strictEqual(key.retainOnDelete, true);
    }
  });
});

describe("AWS fidelity: a provisioned table with replicas (#14.1)", () => {
  it("adds its replicas only after the table's write capacity is autoscaled, which DynamoDB requires", async () => {
    // Otherwise: "ValidationException: Table write capacity should either be Pay-Per-Request or AutoScaled."
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...base,
          billingMode: "PROVISIONED",
          autoscaling: { minReadCapacity: 5, maxReadCapacity: 50, minWriteCapacity: 5, maxWriteCapacity: 50 },
          replicas: [{ region: "eu-west-1" }],
        }),
    );
    assert.strictEqual(byType(resources, "aws:dynamodb/table:Table")[0].inputs.replicas, undefined);
    const [replica] = byType(resources, "aws:dynamodb/tableReplica:TableReplica");
    const writeScaling = [
      ...byType(resources, "aws:appautoscaling/target:Target"),
      ...byType(resources, "aws:appautoscaling/policy:Policy"),
    ].filter((r) => r.inputs.scalableDimension === "dynamodb:table:WriteCapacityUnits");
    assert.strictEqual(writeScaling.length, 2);
    for (const r of writeScaling) assert.ok(replica.dependencies.includes(r.urn), r.name);
  });
});

describe("AWS fidelity: smaller limits AWS enforces (#14.6)", () => {
  it("refuses a PITR window other than 35 days on a global table, whose replicas would get 35", () =>
    assertRejects(
      () =>
        new HardenedTable("orders", {
          ...base,
          recoveryPeriodInDays: 7,
          replicas: [{ region: "eu-west-1" }],
        }),
      "recoveryPeriodInDays",
      /35-day/,
    ));

  it("accepts a shorter window when no replica keeps PITR", async () => {
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...base,
          recoveryPeriodInDays: 7,
          allowPointInTimeRecoveryDisabled: true,
          replicas: [{ region: "eu-west-1", pointInTimeRecovery: false }],
        }),
    );
    assert.strictEqual(byType(resources, "aws:dynamodb/table:Table").length, 1);
  });

  it("refuses a table resource policy over DynamoDB's 20 KB", async () => {
    const readers = Array.from(
      { length: 400 },
      (_, i) => `arn:aws:iam::222222222222:role/reader-with-a-long-name-${String(i).padStart(4, "0")}`,
    );
    const error = await deferredError(
      () => new HardenedTable("orders", { ...base, access: { readerPrincipals: readers } }),
    );
    assert.strictEqual(error.propertyPath, "access");
    assert.match(error.message, /at most 20480/);
  });
});
