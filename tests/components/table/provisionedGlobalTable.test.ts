import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HardenedTable, HardenedTableArgs } from "../../../components";
import { assertChildInvariants } from "../../harness/childInvariants";
import { RecordedResource, byType, one, parsePolicy, record } from "../../harness/record";
import * as rejection from "../../harness/rejection";

// A provisioned global table deploys (issue 14.1): DynamoDB refuses a replica of a provisioned table whose
// write capacity is not autoscaled yet, so the replicas are TableReplica resources created after the
// table's autoscaling targets and policies, not inline replicas created with the table.

const ACCOUNT = "111111111111";
const READER = "arn:aws:iam::222222222222:role/analytics-reader";
const TABLE = "aws:dynamodb/table:Table";
const REPLICA = "aws:dynamodb/tableReplica:TableReplica";
const TARGET = "aws:appautoscaling/target:Target";
const POLICY = "aws:appautoscaling/policy:Policy";

const provisionedGlobal: HardenedTableArgs = {
  name: "orders",
  region: "us-east-1",
  hashKey: "pk",
  attributes: [
    { name: "pk", type: "S" },
    { name: "status", type: "S" },
  ],
  globalSecondaryIndexes: [{ name: "byStatus", hashKey: "status", projectionType: "KEYS_ONLY" }],
  billingMode: "PROVISIONED",
  autoscaling: { minReadCapacity: 5, maxReadCapacity: 100, minWriteCapacity: 5, maxWriteCapacity: 100 },
  // Each replica's resource policy names its own region's gateway endpoint.
  replicas: [
    { region: "eu-west-1", sourceVpce: "vpce-0a1b2c3d4e5f60709" },
    { region: "ap-southeast-2", pointInTimeRecovery: false, sourceVpce: "vpce-0a1b2c3d4e5f6070a" },
  ],
  allowPointInTimeRecoveryDisabled: true,
  tags: { team: "payments" },
  access: {
    readerPrincipals: [READER],
    sourceVpce: "vpce-0a1b2c3d4e5f60708",
  },
};

async function outputs(component: HardenedTable): Promise<Record<string, Record<string, string>>> {
  const [tableArns, keyArns, streamArns] = await new Promise<Record<string, string>[]>((resolve) =>
    pulumi.all([component.tableArns, component.keyArns, component.streamArns]).apply(resolve),
  );
  return { tableArns, keyArns, streamArns };
}

describe("HardenedTable: a provisioned global table", () => {
  let resources: RecordedResource[];
  let component: HardenedTable;
  before(async () => {
    resources = await record(() => (component = new HardenedTable("orders", provisionedGlobal)));
  });
  const replicaIn = (region: string) => byType(resources, REPLICA).find((r) => r.inputs.region === region)!;

  it("constructs, with no inline replicas on the table and the table ignoring `replicas`", () => {
    const table = one(resources, TABLE);
    assert.strictEqual(table.inputs.billingMode, "PROVISIONED");
    assert.strictEqual(table.inputs.replicas, undefined);
    assert.ok(table.ignoreChanges.includes("replicas"), `ignoreChanges: ${table.ignoreChanges.join(", ")}`);
    // Autoscaling still owns the capacities.
    assert.ok(table.ignoreChanges.includes("writeCapacity"));
    // Replication still needs full images on the table's stream.
    assert.strictEqual(table.inputs.streamEnabled, true);
    assert.strictEqual(table.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
  });

  it("creates one TableReplica per replica region, of the table, under the key created in its own region", () => {
    const replicas = byType(resources, REPLICA);
    assert.deepStrictEqual(replicas.map((r) => r.inputs.region).sort(), ["ap-southeast-2", "eu-west-1"]);
    const keysByRegion = new Map(
      byType(resources, "aws:kms/replicaKey:ReplicaKey").map((k) => [k.inputs.region, k.name]),
    );
    for (const replica of replicas) {
      const region = String(replica.inputs.region);
      assert.strictEqual(replica.inputs.globalTableArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`);
      assert.strictEqual(
        replica.inputs.kmsKeyArn,
        `arn:aws:kms:${region}:${ACCOUNT}:key/mrk-${keysByRegion.get(region)}`,
      );
    }
  });

  it("gives each replica its PITR and deletion protection, the component's tags, protect, and the component as parent", () => {
    const component = one(resources, "dynamodb-hardened:index:HardenedTable");
    const eu = replicaIn("eu-west-1");
    const ap = replicaIn("ap-southeast-2");
    assert.strictEqual(eu.inputs.pointInTimeRecovery, true);
    assert.strictEqual(ap.inputs.pointInTimeRecovery, false, "the replica's own setting wins");
    for (const replica of [eu, ap]) {
      assert.strictEqual(replica.inputs.deletionProtectionEnabled, true);
      assert.strictEqual(replica.parent, component.urn);
      assert.strictEqual(replica.protect, true, "protected like the table");
      assert.strictEqual((replica.inputs.tags as Record<string, string>).team, "payments");
    }
    assertChildInvariants(resources, {
      tags: { team: "payments" },
      regions: ["us-east-1", "eu-west-1", "ap-southeast-2"],
    });
  });

  it("creates each replica after every autoscaling target and policy of the table", () => {
    const targets = byType(resources, TARGET);
    const policies = byType(resources, POLICY);
    assert.strictEqual(targets.length, 4, "table and index, read and write");
    assert.strictEqual(policies.length, 4);
    for (const replica of byType(resources, REPLICA)) {
      for (const scaling of [...targets, ...policies]) {
        assert.ok(replica.dependencies.includes(scaling.urn), `${replica.name} waits for ${scaling.name}`);
      }
    }
  });

  it("registers no autoscaling in replica regions: DynamoDB passes the table's settings to its replicas", () => {
    const regions = new Set(
      [...byType(resources, TARGET), ...byType(resources, POLICY)].map((r) => r.inputs.region),
    );
    assert.deepStrictEqual([...regions], ["us-east-1"]);
  });

  it("still publishes every region's table, key and stream ARN, each replica's stream read from its region", async () => {
    const { tableArns, keyArns, streamArns } = await outputs(component);
    const regions = ["ap-southeast-2", "eu-west-1", "us-east-1"];
    assert.deepStrictEqual(Object.keys(tableArns).sort(), regions);
    assert.deepStrictEqual(Object.keys(keyArns).sort(), regions);
    assert.deepStrictEqual(Object.keys(streamArns).sort(), regions);
    for (const region of regions) {
      assert.match(
        streamArns[region],
        new RegExp(`^arn:aws:dynamodb:${region}:${ACCOUNT}:table/orders/stream/`),
      );
    }
  });

  it("puts a resource policy on each replica once that replica exists, naming its region's endpoint", () => {
    const policies = byType(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy");
    assert.strictEqual(policies.length, 3);
    for (const region of ["eu-west-1", "ap-southeast-2"]) {
      const policy = policies.find((p) => p.inputs.region === region)!;
      assert.strictEqual(policy.inputs.resourceArn, `arn:aws:dynamodb:${region}:${ACCOUNT}:table/orders`);
      assert.ok(
        policy.dependencies.includes(replicaIn(region).urn),
        `the ${region} policy waits for its replica`,
      );
      const vpce = region === "eu-west-1" ? "vpce-0a1b2c3d4e5f60709" : "vpce-0a1b2c3d4e5f6070a";
      assert.ok(JSON.stringify(parsePolicy(policy.inputs.policy)).includes(vpce));
    }
  });

  it("gives stream readers a grant in every region, replicas included", async () => {
    const grants = await record(() => {
      const t = new HardenedTable("orders", provisionedGlobal);
      t.grantStreamRead("consumer", ["arn:aws:iam::222222222222:role/consumer"]);
    });
    const streamPolicies = byType(grants, "aws:dynamodb/resourcePolicy:ResourcePolicy").filter((p) =>
      String(p.inputs.resourceArn).includes("/stream/"),
    );
    assert.deepStrictEqual(streamPolicies.map((p) => p.inputs.region).sort(), [
      "ap-southeast-2",
      "eu-west-1",
      "us-east-1",
    ]);
  });
});

describe("HardenedTable: an on-demand global table keeps its replicas inline", () => {
  it("creates no TableReplica and does not ignore `replicas`", async () => {
    const { billingMode: _b, autoscaling: _a, ...onDemand } = provisionedGlobal;
    void _b;
    void _a;
    const resources = await record(() => new HardenedTable("orders", onDemand));
    assert.deepStrictEqual(byType(resources, REPLICA), []);
    const table = one(resources, TABLE);
    assert.strictEqual((table.inputs.replicas as unknown[]).length, 2);
    assert.ok(!table.ignoreChanges.includes("replicas"));
  });
});

describe("HardenedTable: strong consistency on a provisioned table", () => {
  it("is refused, naming consistency and billingMode", () =>
    rejection.assertRejects(
      () =>
        new HardenedTable("orders", {
          ...provisionedGlobal,
          access: undefined,
          replicas: [{ region: "us-east-2" }, { region: "us-west-2" }],
          consistency: "strong",
        }),
      "consistency",
      /billingMode "PROVISIONED".*TableReplica/,
    ));
});
