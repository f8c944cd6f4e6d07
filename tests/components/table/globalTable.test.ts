import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HardenedTable, HardenedTableArgs } from "../../../components";
import { assertChildInvariants } from "../../harness/childInvariants";
import { evaluate } from "../../harness/iam";
import { RecordedResource, UNKNOWN, byType, one, parsePolicy, record } from "../../harness/record";
import * as rejection from "../../harness/rejection";

const ACCOUNT = "111111111111";
const READER = "arn:aws:iam::222222222222:role/analytics-reader";

const base: HardenedTableArgs = {
  region: "us-east-1",
  hashKey: "pk",
  attributes: [{ name: "pk", type: "S" }],
  tags: { team: "payments" },
};
const twoReplicas: HardenedTableArgs = {
  ...base,
  replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-2" }],
};
const threeReplicas: HardenedTableArgs = {
  ...base,
  replicas: [{ region: "us-west-2" }, { region: "eu-west-1" }, { region: "ap-northeast-1" }],
  access: { readerPrincipals: [READER] },
};

function tableOf(resources: RecordedResource[]): RecordedResource {
  return one(resources, "aws:dynamodb/table:Table");
}

function replicasOf(resources: RecordedResource[]): Record<string, unknown>[] {
  return tableOf(resources).inputs.replicas as Record<string, unknown>[];
}

async function outputs(component: HardenedTable): Promise<Record<string, Record<string, string>>> {
  const [tableArns, keyArns, streamArns] = await new Promise<Record<string, string>[]>((resolve) =>
    pulumi.all([component.tableArns, component.keyArns, component.streamArns]).apply(resolve),
  );
  return { tableArns, keyArns, streamArns };
}

const assertRejects = (args: HardenedTableArgs, property: string, mentions?: RegExp) =>
  rejection.assertRejects(() => new HardenedTable("orders", args), property, mentions);

for (const [label, args] of Object.entries({
  "two replicas": twoReplicas,
  "three replicas": threeReplicas,
})) {
  const regions = args.replicas!.map((r) => r.region);

  describe(`global table with ${label}`, () => {
    let resources: RecordedResource[];
    let component: HardenedTable;
    before(async () => {
      resources = await record(() => (component = new HardenedTable("orders", args)));
    });

    it("creates a multi-Region key in the table's region and a replica key in each replica region", () => {
      const primary = one(resources, "aws:kms/key:Key");
      assert.strictEqual(primary.inputs.multiRegion, true);
      assert.strictEqual(primary.inputs.region, "us-east-1");
      const replicaKeys = byType(resources, "aws:kms/replicaKey:ReplicaKey");
      assert.deepStrictEqual(replicaKeys.map((k) => k.inputs.region).sort(), [...regions].sort());
      for (const key of replicaKeys) {
        assert.strictEqual(key.inputs.primaryKeyArn, `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-orders-key`);
        const use = parsePolicy(key.inputs.policy).Statement.find(
          (s) => s.Sid === "DynamoDbUseInRegionOnly",
        )!;
        assert.deepStrictEqual(
          (use.Condition as Record<string, Record<string, string>>).StringEquals["kms:ViaService"],
          `dynamodb.${key.inputs.region}.amazonaws.com`,
        );
      }
    });

    it("points every replica at the key created in its own region", () => {
      const keysByRegion = new Map(
        byType(resources, "aws:kms/replicaKey:ReplicaKey").map((k) => [
          k.inputs.region,
          `arn:aws:kms:${k.inputs.region}:${ACCOUNT}:key/mrk-${k.name}`,
        ]),
      );
      for (const replica of replicasOf(resources)) {
        assert.strictEqual(replica.kmsKeyArn, keysByRegion.get(replica.regionName as string));
        assert.ok(String(replica.kmsKeyArn).includes(`:kms:${replica.regionName}:`));
      }
    });

    it("turns on PITR, deletion protection and tag propagation on every replica", () => {
      const replicas = replicasOf(resources);
      assert.deepStrictEqual(
        replicas.map((r) => r.regionName),
        regions,
      );
      for (const replica of replicas) {
        assert.strictEqual(replica.pointInTimeRecovery, true);
        assert.strictEqual(replica.deletionProtectionEnabled, true);
        assert.strictEqual(replica.propagateTags, true);
      }
    });

    it("enables the stream replication needs and records why", () => {
      const t = tableOf(resources);
      assert.strictEqual(t.inputs.streamEnabled, true);
      assert.strictEqual(t.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
      assert.strictEqual(
        (t.inputs.tags as Record<string, string>)["dynamodb-hardened:stream-reason"],
        "global-table-replication",
      );
    });

    it("keys its outputs by region", async () => {
      const { tableArns, keyArns, streamArns } = await outputs(component);
      assert.deepStrictEqual(Object.keys(tableArns).sort(), ["us-east-1", ...regions].sort());
      assert.deepStrictEqual(Object.keys(keyArns).sort(), ["us-east-1", ...regions].sort());
      assert.deepStrictEqual(Object.keys(streamArns).sort(), ["us-east-1", ...regions].sort());
      for (const r of regions) {
        assert.match(tableArns[r], new RegExp(`^arn:aws:dynamodb:${r}:${ACCOUNT}:table/orders-`));
        assert.match(keyArns[r], new RegExp(`^arn:aws:kms:${r}:`));
        assert.match(streamArns[r], new RegExp(`^arn:aws:dynamodb:${r}:.*/stream/`));
      }
    });

    it("keeps every child parented, in its region and tagged", () => {
      assertChildInvariants(resources, {
        tags: { team: "payments", backup: "required" },
        regions: ["us-east-1", ...regions],
      });
    });
  });
}

describe("global table resource policies", () => {
  let resources: RecordedResource[];
  before(async () => {
    resources = await record(() => new HardenedTable("orders", threeReplicas));
  });

  it("creates one resource policy per region, each on that region's replica", () => {
    const policies = byType(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy");
    const regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"];
    assert.deepStrictEqual(policies.map((p) => p.inputs.region).sort(), [...regions].sort());
    for (const policy of policies) {
      assert.match(
        String(policy.inputs.resourceArn),
        new RegExp(`^arn:aws:dynamodb:${policy.inputs.region}:${ACCOUNT}:table/`),
      );
    }
  });

  it("grants the reader on each replica and never denies the replication service", async () => {
    for (const policy of byType(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy")) {
      const document = parsePolicy(policy.inputs.policy);
      assert.ok(
        document.Statement.every((s) => s.Effect !== "Deny" || JSON.stringify(s.Principal) !== '"*"'),
      );
      const result = await evaluate({
        principal: READER,
        action: "dynamodb:GetItem",
        resource: String(policy.inputs.resourceArn),
        resourceAccount: ACCOUNT,
        resourcePolicy: document,
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }],
          },
        ],
      });
      assert.strictEqual(result, "Allowed", `reader on ${policy.inputs.region}`);
      const replication = await evaluate({
        principal: "replication.dynamodb.amazonaws.com",
        action: "dynamodb:PutItem",
        resource: String(policy.inputs.resourceArn),
        resourceAccount: ACCOUNT,
        resourcePolicy: document,
      });
      assert.notStrictEqual(replication, "ExplicitlyDenied");
    }
  });
});

describe("global table key choices", () => {
  it("creates independent keys per region on request", async () => {
    const resources = await record(
      () => new HardenedTable("orders", { ...twoReplicas, replicaKeyStrategy: "perRegion" }),
    );
    const keys = byType(resources, "aws:kms/key:Key");
    assert.deepStrictEqual(keys.map((k) => k.inputs.region).sort(), [
      "ap-southeast-2",
      "eu-west-1",
      "us-east-1",
    ]);
    assert.ok(keys.every((k) => k.inputs.enableKeyRotation === true && k.inputs.multiRegion === false));
    assert.deepStrictEqual(byType(resources, "aws:kms/replicaKey:ReplicaKey"), []);
  });

  it("uses a replica key given by the user as is", async () => {
    const given = "arn:aws:kms:eu-west-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef";
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...twoReplicas,
          replicas: [{ region: "eu-west-1", kmsKeyArn: given }, { region: "ap-southeast-2" }],
        }),
    );
    const replicas = replicasOf(resources);
    assert.strictEqual(replicas[0].kmsKeyArn, given);
    assert.deepStrictEqual(
      byType(resources, "aws:kms/replicaKey:ReplicaKey").map((k) => k.inputs.region),
      ["ap-southeast-2"],
    );
  });

  it("lets one replica turn PITR off with the table's opt-out", async () => {
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...twoReplicas,
          allowPointInTimeRecoveryDisabled: true,
          replicas: [{ region: "eu-west-1", pointInTimeRecovery: false }, { region: "ap-southeast-2" }],
        }),
    );
    const replicas = replicasOf(resources);
    assert.strictEqual(replicas[0].pointInTimeRecovery, false);
    assert.strictEqual(replicas[1].pointInTimeRecovery, true);
    assert.deepStrictEqual(tableOf(resources).inputs.pointInTimeRecovery, {
      enabled: true,
      recoveryPeriodInDays: 35,
    });
  });

  it("builds a strongly consistent table across one region set", async () => {
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...base,
          consistency: "strong",
          replicas: [{ region: "us-east-2" }, { region: "us-west-2" }],
        }),
    );
    assert.ok(replicasOf(resources).every((r) => r.consistencyMode === "STRONG"));
  });

  it("uses a witness region with two regions", async () => {
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...base,
          consistency: "strong",
          witnessRegion: "us-west-2",
          replicas: [{ region: "us-east-2" }],
        }),
    );
    assert.deepStrictEqual(tableOf(resources).inputs.globalTableWitness, { regionName: "us-west-2" });
  });

  it("leaves every key unknown in a preview, and the replicas still hardened", async () => {
    const resources = await record(() => new HardenedTable("orders", twoReplicas), true);
    for (const replica of replicasOf(resources)) {
      assert.strictEqual(replica.kmsKeyArn, UNKNOWN);
      assert.strictEqual(replica.pointInTimeRecovery, true);
      assert.strictEqual(replica.deletionProtectionEnabled, true);
    }
    assertChildInvariants(resources, {
      tags: { backup: "required" },
      regions: ["us-east-1", "eu-west-1", "ap-southeast-2"],
    });
  });
});

describe("global table bad input", () => {
  it("a duplicate region", () =>
    assertRejects(
      { ...base, replicas: [{ region: "eu-west-1" }, { region: "eu-west-1" }] },
      "replicas[1].region",
      /twice/,
    ));
  it("the table's own region as a replica", () =>
    assertRejects({ ...base, replicas: [{ region: "us-east-1" }] }, "replicas[0].region", /own region/));
  it("a malformed region name", () =>
    assertRejects(
      { ...base, replicas: [{ region: "europe-1" }] },
      "replicas[0].region",
      /not an AWS region/,
    ));
  it("a replica key from another region", () =>
    assertRejects(
      {
        ...base,
        replicas: [{ region: "eu-west-1", kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/abc" }],
      },
      "replicas[0].kmsKeyArn",
      /regional/,
    ));
  it("strong consistency with the wrong number of regions", () =>
    assertRejects(
      { ...base, consistency: "strong", replicas: [{ region: "us-east-2" }] },
      "replicas",
      /exactly three regions/,
    ));
  it("strong consistency across region sets", () =>
    assertRejects(
      { ...base, consistency: "strong", replicas: [{ region: "us-east-2" }, { region: "eu-west-1" }] },
      "replicas",
      /one region set/,
    ));
  it("an unknown consistency mode", () =>
    assertRejects({ ...base, consistency: "linearizable" }, "consistency", /eventual, strong/));
  it("a replica turning PITR off without the opt-out", () =>
    assertRejects(
      { ...base, replicas: [{ region: "eu-west-1", pointInTimeRecovery: false }] },
      "replicas[0].pointInTimeRecovery",
      /allowPointInTimeRecoveryDisabled/,
    ));
  it("a replica turning deletion protection off without the opt-out", () =>
    assertRejects(
      { ...base, replicas: [{ region: "eu-west-1", deletionProtection: false }] },
      "replicas[0].deletionProtection",
      /allowDeletionProtectionDisabled/,
    ));
  it("replicas without the table's region", () =>
    assertRejects(
      { ...base, region: undefined, replicas: [{ region: "eu-west-1" }] },
      "region",
      /required with replicas/,
    ));
  it("a stream view type replication cannot use", () =>
    assertRejects(
      { ...twoReplicas, stream: { viewType: "KEYS_ONLY" } },
      "stream.viewType",
      /NEW_AND_OLD_IMAGES/,
    ));
});
