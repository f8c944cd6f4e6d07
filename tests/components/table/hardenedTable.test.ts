import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HardenedTable, HardenedTableArgs } from "../../../components";
import { assertChildInvariants } from "../../harness/childInvariants";
import { evaluate } from "../../harness/iam";
import { RecordedResource, UNKNOWN, byType, one, parsePolicy, record } from "../../harness/record";
import * as rejection from "../../harness/rejection";

const ACCOUNT = "111111111111";
const READER = "arn:aws:iam::222222222222:role/analytics-reader";
const WRITER = "arn:aws:iam::333333333333:role/orders-writer";
const OUTSIDER = "arn:aws:iam::444444444444:role/intruder";

const minimal: HardenedTableArgs = {
  region: "us-east-1",
  hashKey: "orderId",
  attributes: [{ name: "orderId", type: "S" }],
  tags: { team: "payments" },
};

const provisioned: HardenedTableArgs = {
  ...minimal,
  rangeKey: "createdAt",
  attributes: [
    { name: "orderId", type: "S" },
    { name: "createdAt", type: "N" },
    { name: "customerId", type: "S" },
    { name: "status", type: "S" },
  ],
  globalSecondaryIndexes: [
    { name: "byCustomer", hashKey: "customerId", rangeKey: "createdAt" },
    { name: "byStatus", hashKey: "status", projectionType: "KEYS_ONLY" },
  ],
  billingMode: "PROVISIONED",
  autoscaling: { minReadCapacity: 5, maxReadCapacity: 500, minWriteCapacity: 2, maxWriteCapacity: 200 },
};

const withAccess: HardenedTableArgs = {
  ...minimal,
  access: { readerPrincipals: [READER], writerPrincipals: [WRITER], organizationId: "o-a1b2c3d4e5" },
};

async function table(args: HardenedTableArgs, preview = false): Promise<RecordedResource[]> {
  return record(() => new HardenedTable("orders", args), preview);
}

function tableOf(resources: RecordedResource[]): RecordedResource {
  return one(resources, "aws:dynamodb/table:Table");
}

const constructionError = (args: HardenedTableArgs) =>
  rejection.constructionError(() => new HardenedTable("orders", args));
const assertRejects = (args: HardenedTableArgs, property: string, mentions?: RegExp) =>
  rejection.assertRejects(() => new HardenedTable("orders", args), property, mentions);

describe("HardenedTable defaults", () => {
  it("encrypts with a created customer-managed key that rotates and can be used only through DynamoDB in the table's region", async () => {
    const resources = await table(minimal);
    const key = one(resources, "aws:kms/key:Key");
    assert.strictEqual(key.inputs.enableKeyRotation, true);
    assert.strictEqual(key.inputs.deletionWindowInDays, 30);
    assert.strictEqual(key.inputs.multiRegion, false);
    const t = tableOf(resources);
    assert.deepStrictEqual(t.inputs.serverSideEncryption, {
      enabled: true,
      kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-orders-key`,
    });
    const policy = parsePolicy(key.inputs.policy);
    const use = policy.Statement.find((s) => s.Sid === "DynamoDbUseInRegionOnly")!;
    assert.deepStrictEqual(use.Condition, {
      StringEquals: { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT },
    });
    const admin = policy.Statement.find((s) => s.Sid === "AccountAdministrators")!;
    assert.deepStrictEqual(admin.Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
  });

  it("only lets the account's principals use the key through DynamoDB", async () => {
    const key = one(await table(minimal), "aws:kms/key:Key");
    const policy = parsePolicy(key.inputs.policy);
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-orders-key`;
    const ask = (principal: string, context: Record<string, string>) =>
      evaluate({
        principal,
        action: "kms:Decrypt",
        resource: keyArn,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        identityPolicies: [
          { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }] },
        ],
        context,
      });
    const app = `arn:aws:iam::${ACCOUNT}:role/app`;
    assert.strictEqual(
      await ask(app, { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT }),
      "Allowed",
    );
    assert.strictEqual(
      await ask(OUTSIDER, {
        "kms:ViaService": "dynamodb.us-east-1.amazonaws.com",
        "kms:CallerAccount": "444444444444",
      }),
      "ImplicitlyDenied",
    );
  });

  it("turns on PITR for 35 days, deletion protection and Pulumi protect", async () => {
    const t = tableOf(await table(minimal));
    assert.deepStrictEqual(t.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
    assert.strictEqual(t.inputs.deletionProtectionEnabled, true);
    assert.strictEqual(t.protect, true);
    assert.strictEqual(t.retainOnDelete, false);
  });

  it("bills on demand, with no stream, no resource policy and no autoscaling", async () => {
    const resources = await table(minimal);
    const t = tableOf(resources);
    assert.strictEqual(t.inputs.billingMode, "PAY_PER_REQUEST");
    assert.strictEqual(t.inputs.streamEnabled, false);
    assert.strictEqual(t.inputs.streamViewType, undefined);
    assert.deepStrictEqual(byType(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy"), []);
    assert.deepStrictEqual(byType(resources, "aws:appautoscaling/target:Target"), []);
  });

  it("tags the table for tag-based backups and keeps the user's tags", async () => {
    const t = tableOf(await table(minimal));
    const tags = t.inputs.tags as Record<string, string>;
    assert.strictEqual(tags.backup, "required");
    assert.strictEqual(tags.team, "payments");
  });

  it("exposes the table, key and their ARNs", async () => {
    let component: HardenedTable | undefined;
    await record(() => (component = new HardenedTable("orders", minimal)));
    const [arn, keyArn, name, streamArn] = await new Promise<unknown[]>((resolve) =>
      pulumi.all([component!.arn, component!.keyArn, component!.name, component!.streamArn]).apply(resolve),
    );
    assert.match(String(arn), /^arn:aws:dynamodb:us-east-1:111111111111:table\/orders-/);
    assert.strictEqual(keyArn, `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-orders-key`);
    assert.match(String(name), /^orders-/);
    assert.strictEqual(streamArn, undefined);
    assert.ok(component!.key, "the created key is exposed");
  });
});

describe("HardenedTable options", () => {
  it("uses a given customer-managed key instead of creating one", async () => {
    const keyArn = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const resources = await table({ ...minimal, kmsKeyArn: keyArn });
    assert.deepStrictEqual(byType(resources, "aws:kms/key:Key"), []);
    assert.deepStrictEqual(tableOf(resources).inputs.serverSideEncryption, {
      enabled: true,
      kmsKeyArn: keyArn,
    });
  });

  it("accepts the AWS-managed key only when opted out by name", async () => {
    const resources = await table({ ...minimal, kmsKeyArn: "alias/aws/dynamodb", allowAwsManagedKey: true });
    assert.deepStrictEqual(byType(resources, "aws:kms/key:Key"), []);
    assert.deepStrictEqual(tableOf(resources).inputs.serverSideEncryption, { enabled: true });
  });

  it("sets the PITR window and lets the user turn protections off by name", async () => {
    const resources = await table({
      ...minimal,
      recoveryPeriodInDays: 7,
      deletionProtection: false,
      allowDeletionProtectionDisabled: true,
      protect: false,
      retainOnDelete: true,
    });
    const t = tableOf(resources);
    assert.deepStrictEqual(t.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 7 });
    assert.strictEqual(t.inputs.deletionProtectionEnabled, false);
    assert.strictEqual(t.protect, false);
    assert.strictEqual(t.retainOnDelete, true);
  });

  it("autoscales a provisioned table and every global secondary index, reads and writes", async () => {
    const resources = await table(provisioned);
    const targets = byType(resources, "aws:appautoscaling/target:Target");
    const policies = byType(resources, "aws:appautoscaling/policy:Policy");
    const t = tableOf(resources);
    const tableName = String(t.inputs.name ?? "");
    assert.strictEqual(targets.length, 6);
    assert.strictEqual(policies.length, 6);
    const dimensions = targets.map((x) => `${x.inputs.resourceId} ${x.inputs.scalableDimension}`).sort();
    const physical = dimensions[0].split(" ")[0].split("/")[1];
    assert.ok(physical, `table name in resource ids (${tableName})`);
    assert.deepStrictEqual(dimensions, [
      `table/${physical} dynamodb:table:ReadCapacityUnits`,
      `table/${physical} dynamodb:table:WriteCapacityUnits`,
      `table/${physical}/index/byCustomer dynamodb:index:ReadCapacityUnits`,
      `table/${physical}/index/byCustomer dynamodb:index:WriteCapacityUnits`,
      `table/${physical}/index/byStatus dynamodb:index:ReadCapacityUnits`,
      `table/${physical}/index/byStatus dynamodb:index:WriteCapacityUnits`,
    ]);
    const read = targets.find((x) => x.inputs.scalableDimension === "dynamodb:table:ReadCapacityUnits")!;
    assert.strictEqual(read.inputs.minCapacity, 5);
    assert.strictEqual(read.inputs.maxCapacity, 500);
    for (const p of policies) {
      const config = p.inputs.targetTrackingScalingPolicyConfiguration as Record<string, unknown>;
      assert.strictEqual(p.inputs.policyType, "TargetTrackingScaling");
      assert.strictEqual(config.targetValue, 70);
    }
    assert.strictEqual(t.inputs.billingMode, "PROVISIONED");
    assert.strictEqual(t.inputs.readCapacity, 5);
    assert.deepStrictEqual(t.ignoreChanges.sort(), [
      "globalSecondaryIndexes[*].readCapacity",
      "globalSecondaryIndexes[*].writeCapacity",
      "readCapacity",
      "writeCapacity",
    ]);
  });

  it("turns a stream on with the least view type when none is given", async () => {
    const t = tableOf(await table({ ...minimal, stream: {} }));
    assert.strictEqual(t.inputs.streamEnabled, true);
    assert.strictEqual(t.inputs.streamViewType, "KEYS_ONLY");
  });

  it("records why a stream exposes full item images in the tag the policy pack reads", async () => {
    const reason = "change data capture for the audit ledger";
    const t = tableOf(await table({ ...minimal, stream: { viewType: "NEW_AND_OLD_IMAGES", reason } }));
    assert.strictEqual(t.inputs.streamViewType, "NEW_AND_OLD_IMAGES");
    assert.strictEqual((t.inputs.tags as Record<string, string>)["dynamodb-hardened:stream-reason"], reason);
  });

  it("builds a table class, TTL and indexes as given", async () => {
    const t = tableOf(
      await table({
        ...provisioned,
        billingMode: undefined,
        autoscaling: undefined,
        ttlAttribute: "expiresAt",
        tableClass: "STANDARD_INFREQUENT_ACCESS",
        localSecondaryIndexes: [{ name: "byStatusLocal", rangeKey: "status" }],
      }),
    );
    assert.deepStrictEqual(t.inputs.ttl, { attributeName: "expiresAt", enabled: true });
    assert.strictEqual(t.inputs.tableClass, "STANDARD_INFREQUENT_ACCESS");
    assert.strictEqual((t.inputs.globalSecondaryIndexes as unknown[]).length, 2);
    assert.strictEqual((t.inputs.localSecondaryIndexes as unknown[]).length, 1);
  });
});

describe("HardenedTable resource policy", () => {
  async function policyOf(args: HardenedTableArgs) {
    const resources = await table(args);
    const rp = one(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy");
    const arn = String(tableOf(resources).inputs.name ?? "");
    return { policy: parsePolicy(rp.inputs.policy), resourceArn: String(rp.inputs.resourceArn), arn };
  }

  it("names actions and principals only: no dynamodb:* and no bare *", async () => {
    const { policy } = await policyOf(withAccess);
    for (const s of policy.Statement) {
      const actions = ([] as string[]).concat(s.Action as string[]);
      assert.ok(
        actions.every((a) => a.startsWith("dynamodb:") && !a.includes("*")),
        `named actions: ${actions}`,
      );
      assert.notStrictEqual(s.Principal, "*");
      assert.ok(!JSON.stringify(s.Principal).includes('"*"'));
    }
  });

  it("lets readers read, writers write, and nobody else in", async () => {
    const { policy, resourceArn } = await policyOf(withAccess);
    const orgContext = { "aws:PrincipalOrgID": "o-a1b2c3d4e5" };
    const allowAll = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }],
    };
    const ask = (principal: string, action: string, context = orgContext) =>
      evaluate({
        principal,
        action,
        resource: resourceArn,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        identityPolicies: [allowAll],
        context,
      });
    assert.strictEqual(await ask(READER, "dynamodb:GetItem"), "Allowed");
    assert.strictEqual(await ask(READER, "dynamodb:Query"), "Allowed");
    assert.strictEqual(await ask(READER, "dynamodb:PutItem"), "ImplicitlyDenied");
    assert.strictEqual(await ask(WRITER, "dynamodb:PutItem"), "Allowed");
    assert.strictEqual(await ask(WRITER, "dynamodb:DeleteTable"), "ImplicitlyDenied");
    assert.strictEqual(await ask(OUTSIDER, "dynamodb:GetItem"), "ImplicitlyDenied");
    assert.strictEqual(
      await ask(READER, "dynamodb:GetItem", { "aws:PrincipalOrgID": "o-zzzzzzzzzz" }),
      "ImplicitlyDenied",
    );
  });

  it("requires the VPC endpoint when sourceVpce is set", async () => {
    const { policy, resourceArn } = await policyOf({
      ...withAccess,
      access: { ...withAccess.access, sourceVpce: "vpce-0a1b2c3d4e5f67890" },
    });
    const ask = (vpce: string) =>
      evaluate({
        principal: READER,
        action: "dynamodb:GetItem",
        resource: resourceArn,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }],
          },
        ],
        context: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:sourceVpce": vpce },
      });
    assert.strictEqual(await ask("vpce-0a1b2c3d4e5f67890"), "Allowed");
    assert.notStrictEqual(await ask("vpce-0fffffffffffffff0"), "Allowed");
  });

  it("limits a multi-tenant table's grants to the caller's own partition, and grants no Scan", async () => {
    const { policy, resourceArn } = await policyOf({
      ...withAccess,
      multiTenant: true,
      access: { ...withAccess.access, tenantPrincipalTag: "tenantId" },
    });
    for (const s of policy.Statement.filter((x) => x.Effect === "Allow")) {
      assert.ok(!(s.Action as string[]).includes("dynamodb:Scan"), "no Scan: LeadingKeys cannot limit it");
    }
    const ask = (action: string, leadingKey: string) =>
      evaluate({
        principal: READER,
        action,
        resource: resourceArn,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        identityPolicies: [
          { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }] },
        ],
        context: {
          "aws:PrincipalOrgID": "o-a1b2c3d4e5",
          "aws:PrincipalTag/tenantId": "tenant-a",
          "dynamodb:LeadingKeys": [leadingKey],
        },
      });
    assert.strictEqual(await ask("dynamodb:GetItem", "tenant-a"), "Allowed");
    assert.strictEqual(await ask("dynamodb:GetItem", "tenant-b"), "ImplicitlyDenied");
    assert.strictEqual(await ask("dynamodb:Scan", "tenant-a"), "ImplicitlyDenied");
  });

  it("covers the table and its indexes", async () => {
    const { policy, resourceArn } = await policyOf(withAccess);
    assert.deepStrictEqual(policy.Statement[0].Resource, [resourceArn, `${resourceArn}/index/*`]);
  });
});

describe("HardenedTable in preview", () => {
  it("passes unknown key and table ARNs through and still hardens every setting", async () => {
    const resources = await table(withAccess, true);
    const t = tableOf(resources);
    assert.deepStrictEqual(t.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: UNKNOWN });
    assert.deepStrictEqual(t.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
    assert.strictEqual(t.inputs.deletionProtectionEnabled, true);
    const rp = one(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy");
    assert.strictEqual(rp.inputs.resourceArn, UNKNOWN);
    assert.ok(t.propertyDependencies.serverSideEncryption.some((urn) => urn.endsWith("::orders-key")));
  });
});

describe("HardenedTable children", () => {
  const configurations: Record<string, HardenedTableArgs> = {
    minimal,
    provisioned,
    withAccess,
    stream: { ...minimal, stream: { viewType: "NEW_IMAGE" } },
    global: {
      ...minimal,
      globalSecondaryIndexes: provisioned.globalSecondaryIndexes,
      attributes: provisioned.attributes,
      replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-2" }],
      access: withAccess.access,
    },
    // Its replicas are TableReplica resources, created after the autoscaling.
    provisionedGlobal: {
      ...provisioned,
      replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-2" }],
      access: withAccess.access,
    },
    perRegionKeys: { ...minimal, replicas: [{ region: "us-west-2" }], replicaKeyStrategy: "perRegion" },
  };
  for (const [label, args] of Object.entries(configurations)) {
    for (const preview of [false, true]) {
      it(`${label}${preview ? " (preview)" : ""}: every child is parented, regional and tagged`, async () => {
        const resources = await table(args, preview);
        const regions = [args.region!, ...(args.replicas ?? []).map((r) => r.region)];
        assertChildInvariants(resources, { tags: { team: "payments", backup: "required" }, regions });
      });
    }
  }
});

describe("HardenedTable rejects bad input before creating anything", () => {
  it("a multi-tenant table whose resource policy names no tenant tag", () =>
    assertRejects({ ...withAccess, multiTenant: true }, "access.tenantPrincipalTag", /LeadingKeys/));
  it("a key attribute missing from attributes", () =>
    assertRejects({ ...minimal, rangeKey: "createdAt" }, "rangeKey", /not defined in attributes/));
  it("an attribute type that is not S, N or B", () =>
    assertRejects(
      { ...minimal, attributes: [{ name: "orderId", type: "string" }] },
      "attributes[0].type",
      /S, N, B/,
    ));
  it("an index key missing from attributes", () =>
    assertRejects(
      { ...minimal, globalSecondaryIndexes: [{ name: "x", hashKey: "nope" }] },
      "globalSecondaryIndexes[0].hashKey",
    ));
  it("PITR days out of range", () =>
    assertRejects({ ...minimal, recoveryPeriodInDays: 36 }, "recoveryPeriodInDays", /1 to 35/));
  it("PROVISIONED without autoscaling", () =>
    assertRejects({ ...minimal, billingMode: "PROVISIONED" }, "autoscaling", /PROVISIONED/));
  it("an unknown billing mode", () =>
    assertRejects({ ...minimal, billingMode: "ON_DEMAND" }, "billingMode", /PAY_PER_REQUEST, PROVISIONED/));
  it("min above max", () =>
    assertRejects(
      { ...provisioned, autoscaling: { ...provisioned.autoscaling!, minReadCapacity: 900 } },
      "autoscaling.minReadCapacity",
      /above maxReadCapacity/,
    ));
  it("a target utilization out of range", () =>
    assertRejects(
      { ...provisioned, autoscaling: { ...provisioned.autoscaling!, targetUtilization: 99 } },
      "autoscaling.targetUtilization",
      /20 to 90/,
    ));
  it("an unknown stream view type", () =>
    assertRejects(
      { ...minimal, stream: { viewType: "EVERYTHING" } },
      "stream.viewType",
      /KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES/,
    ));
  it("NEW_AND_OLD_IMAGES without a reason", () =>
    assertRejects({ ...minimal, stream: { viewType: "NEW_AND_OLD_IMAGES" } }, "stream.reason"));
  it("a principal that is not an ARN", () =>
    assertRejects(
      { ...minimal, access: { readerPrincipals: ["analytics"] } },
      "access.readerPrincipals[0]",
      /role or user ARN/,
    ));
  it("a wildcard principal", () =>
    assertRejects(
      { ...minimal, access: { writerPrincipals: ["*"] } },
      "access.writerPrincipals[0]",
      /wildcard/,
    ));
  it("an AWS-managed key without the opt-out", () =>
    assertRejects({ ...minimal, kmsKeyArn: "alias/aws/dynamodb" }, "kmsKeyArn", /allowAwsManagedKey/));
  it("a key in another region", () =>
    assertRejects(
      { ...minimal, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abc" },
      "kmsKeyArn",
      /regional/,
    ));
  it("turning PITR off without the opt-out", () =>
    assertRejects(
      { ...minimal, pointInTimeRecovery: false },
      "pointInTimeRecovery",
      /allowPointInTimeRecoveryDisabled/,
    ));
  it("turning deletion protection off without the opt-out", () =>
    assertRejects(
      { ...minimal, deletionProtection: false },
      "deletionProtection",
      /allowDeletionProtectionDisabled/,
    ));
  it("an unknown table class", () =>
    assertRejects({ ...minimal, tableClass: "COLD" }, "tableClass", /STANDARD_INFREQUENT_ACCESS/));

  it("reports every problem at once", async () => {
    const error = await constructionError({
      ...minimal,
      rangeKey: "missing",
      recoveryPeriodInDays: 0,
      billingMode: "PROVISIONED",
      stream: { viewType: "ALL" },
    });
    const paths = error.errors.map((e) => e.propertyPath).sort();
    assert.deepStrictEqual(paths, ["autoscaling", "rangeKey", "recoveryPeriodInDays", "stream.viewType"]);
  });

  it("checks a principal that is an Output once it is known", async () => {
    await rejection.assertRejectsWhenResolved(
      () =>
        new HardenedTable("orders", {
          ...minimal,
          access: { readerPrincipals: [pulumi.output("not-an-arn")] },
        }),
      "access.readerPrincipals[0]",
    );
  });

  it("does not reject values that are unknown during a preview", async () => {
    const resources = await record(
      () =>
        new HardenedTable("orders", {
          ...minimal,
          access: { readerPrincipals: [pulumi.output(READER).apply((x) => x)] },
        }),
      true,
    );
    assert.strictEqual(byType(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy").length, 1);
  });
});
