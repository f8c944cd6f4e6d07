import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  HardenedTable,
  HardenedTableArgs,
  StreamAccessGrant,
  StreamAccessGrantArgs,
  StreamConsumer,
  StreamConsumerArgs,
} from "../../../components";
import { MANAGED_BY_TAG } from "../../../components/shared/tags";
import { assertChildInvariants } from "../../harness/childInvariants";
import { AccessQuestion, evaluate } from "../../harness/iam";
import {
  RecordedResource,
  UNKNOWN,
  byType,
  descendants,
  one,
  parsePolicy,
  record,
} from "../../harness/record";
import {
  assertRejects,
  assertRejectsWhenResolved,
  constructionError,
  deferredRejectionOf,
  rejectionOf,
} from "../../harness/rejection";

const TABLE_ACCOUNT = "111111111111";
const CONSUMER_ACCOUNT = "222222222222";
const THIRD_ACCOUNT = "333333333333";
const STREAM = `arn:aws:dynamodb:us-east-1:${TABLE_ACCOUNT}:table/orders/stream/2026-01-01T00:00:00.000`;
const TABLE = `arn:aws:dynamodb:us-east-1:${TABLE_ACCOUNT}:table/orders`;
const CONSUMER_ROLE = `arn:aws:iam::${CONSUMER_ACCOUNT}:role/orders-indexer`;
const SECOND_ROLE = `arn:aws:iam::${THIRD_ACCOUNT}:role/orders-audit`;
const OUTSIDER = "arn:aws:iam::444444444444:role/intruder";
const TABLE_KEY = `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ORG = "o-a1b2c3d4e5";

const T = {
  policy: "aws:dynamodb/resourcePolicy:ResourcePolicy",
  grant: "aws:kms/grant:Grant",
  key: "aws:kms/key:Key",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  accessGrant: "dynamodb-hardened:index:StreamAccessGrant",
  consumer: "dynamodb-hardened:index:StreamConsumer",
  table: "dynamodb-hardened:index:HardenedTable",
};

const grantArgs: StreamAccessGrantArgs = { streamArn: STREAM, consumerRoleArns: [CONSUMER_ROLE] };
const consumerArgs: StreamConsumerArgs = {
  streamArn: STREAM,
  functionName: "orders-indexer",
  tags: { team: "search" },
};
const consumerTags = { team: "search", [MANAGED_BY_TAG]: "StreamConsumer" };

type Policy = { Version: string; Statement: Record<string, unknown>[] };

const policyOf = (resource: RecordedResource): Policy => parsePolicy(resource.inputs.policy) as Policy;
const allowEverything: Policy = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

const rejectsGrant = (args: StreamAccessGrantArgs, property: string, mentions?: RegExp) =>
  assertRejects(() => new StreamAccessGrant("share", args), property, mentions);
const rejectsConsumer = (args: StreamConsumerArgs, property: string, mentions?: RegExp) =>
  assertRejects(() => new StreamConsumer("indexer", args), property, mentions);

/** The resources of one component's tree, so each tree is checked against its own tags. */
function tree(resources: RecordedResource[], component: RecordedResource): RecordedResource[] {
  return [component, ...descendants(resources, component.urn)];
}

describe("StreamAccessGrant (table account)", () => {
  it("attaches one stream policy: the three read actions, on this stream only, for the named roles", async () => {
    const resources = await record(
      () => new StreamAccessGrant("share", { ...grantArgs, consumerRoleArns: [CONSUMER_ROLE, SECOND_ROLE] }),
    );
    const policy = one(resources, T.policy);
    assert.strictEqual(policy.inputs.resourceArn, STREAM);
    assert.strictEqual(policy.inputs.region, "us-east-1", "region comes from the stream ARN");
    assert.deepStrictEqual(policyOf(policy), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ConsumersReadThisStream",
          Effect: "Allow",
          Principal: { AWS: [CONSUMER_ROLE, SECOND_ROLE] },
          Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
          Resource: STREAM,
        },
      ],
    });
    assert.deepStrictEqual(byType(resources, T.grant), [], "no key grant without kmsKeyArn");
    assertChildInvariants(resources, { tags: {}, regions: ["us-east-1"] });
  });

  it("adds aws:PrincipalOrgID when organizationId is set", async () => {
    const resources = await record(
      () => new StreamAccessGrant("share", { ...grantArgs, organizationId: ORG }),
    );
    const statement = policyOf(one(resources, T.policy)).Statement[0];
    assert.deepStrictEqual(statement.Condition, { StringEquals: { "aws:PrincipalOrgID": ORG } });
  });

  it("gives each consumer a KMS grant on the table key, limited to this table's encryption context", async () => {
    const resources = await record(
      () =>
        new StreamAccessGrant("share", {
          ...grantArgs,
          consumerRoleArns: [CONSUMER_ROLE, SECOND_ROLE],
          kmsKeyArn: TABLE_KEY,
        }),
    );
    const grants = byType(resources, T.grant);
    assert.deepStrictEqual(
      grants.map((g) => g.inputs.granteePrincipal),
      [CONSUMER_ROLE, SECOND_ROLE],
    );
    for (const grant of grants) {
      assert.strictEqual(grant.inputs.keyId, TABLE_KEY);
      assert.strictEqual(grant.inputs.region, "us-east-1");
      assert.deepStrictEqual(grant.inputs.operations, ["Decrypt", "DescribeKey"]);
      assert.deepStrictEqual(grant.inputs.constraints, [
        {
          encryptionContextSubset: {
            "aws:dynamodb:tableName": "orders",
            "aws:dynamodb:subscriberId": TABLE_ACCOUNT,
          },
        },
      ]);
    }
    assertChildInvariants(resources, { tags: {}, regions: ["us-east-1"] });
  });

  it("accepts the AWS-managed key for consumers in the table's own account, without key grants", async () => {
    const sameAccount = `arn:aws:iam::${TABLE_ACCOUNT}:role/reporting`;
    const resources = await record(
      () =>
        new StreamAccessGrant("share", {
          ...grantArgs,
          consumerRoleArns: [sameAccount],
          kmsKeyArn: "alias/aws/dynamodb",
        }),
    );
    assert.strictEqual(byType(resources, T.policy).length, 1);
    assert.deepStrictEqual(byType(resources, T.grant), []);
  });

  it("exposes a stream ARN that depends on the policy, so a consumer built from it waits for the grant", async () => {
    const resources = await record(() => {
      const grant = new StreamAccessGrant("share", grantArgs);
      new StreamConsumer("indexer", { ...consumerArgs, streamArn: grant.streamArn });
    });
    const policy = one(resources, T.policy);
    const mapping = one(resources, T.mapping);
    assert.strictEqual(mapping.inputs.eventSourceArn, STREAM);
    assert.ok(
      mapping.propertyDependencies.eventSourceArn.includes(policy.urn),
      "the mapping depends on the stream policy",
    );
  });

  describe("the stream policy, evaluated", () => {
    let streamPolicy: Policy;
    let consumerIdentity: Policy;

    before(async () => {
      const resources = await record(() => {
        new StreamAccessGrant("share", { ...grantArgs, organizationId: ORG });
        new StreamConsumer("indexer", consumerArgs);
      });
      streamPolicy = policyOf(one(resources, T.policy));
      consumerIdentity = policyOf(one(resources, T.rolePolicy));
    });

    const read = (principal: string, action: string, resource: string, extra: Partial<AccessQuestion> = {}) =>
      evaluate({
        principal,
        action,
        resource,
        resourceAccount: TABLE_ACCOUNT,
        identityPolicies: [consumerIdentity],
        resourcePolicy: streamPolicy,
        context: { "aws:PrincipalOrgID": ORG },
        ...extra,
      });

    it("lets the consumer role read the stream from its own account", async () => {
      for (const action of ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"]) {
        assert.strictEqual(await read(CONSUMER_ROLE, action, STREAM), "Allowed", action);
      }
    });

    it("refuses the consumer role outside the organization", async () => {
      const result = await read(CONSUMER_ROLE, "dynamodb:GetRecords", STREAM, {
        context: { "aws:PrincipalOrgID": "o-zzzzzzzzzz" },
      });
      assert.strictEqual(result, "ImplicitlyDenied");
    });

    it("does not let the consumer role read the table, even with the stream policy in place", async () => {
      for (const action of [
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:DescribeTable",
      ]) {
        assert.strictEqual(await read(CONSUMER_ROLE, action, TABLE), "ImplicitlyDenied", action);
      }
    });

    it("does not let the consumer role read another stream: a new stream label, or another table's", async () => {
      const nextLabel = STREAM.replace("2026-01-01T00:00:00.000", "2026-02-01T00:00:00.000");
      const otherTable = STREAM.replace("table/orders/", "table/payments/");
      for (const stream of [nextLabel, otherTable]) {
        assert.strictEqual(
          await read(CONSUMER_ROLE, "dynamodb:GetRecords", stream),
          "ImplicitlyDenied",
          stream,
        );
      }
    });

    it("does not let the consumer role read other accounts' streams, even ones shared with it", async () => {
      const elsewhere = `arn:aws:dynamodb:us-east-1:${THIRD_ACCOUNT}:table/orders/stream/2026-01-01T00:00:00.000`;
      const sharedWithEveryone: Policy = {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: CONSUMER_ROLE }, Action: "dynamodb:*", Resource: elsewhere },
        ],
      };
      const result = await read(CONSUMER_ROLE, "dynamodb:GetRecords", elsewhere, {
        resourceAccount: THIRD_ACCOUNT,
        resourcePolicy: sharedWithEveryone,
      });
      assert.strictEqual(result, "ImplicitlyDenied");
    });

    it("gives an outside principal nothing, whatever its own policies allow", async () => {
      for (const action of ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"]) {
        const result = await read(OUTSIDER, action, STREAM, { identityPolicies: [allowEverything] });
        assert.strictEqual(result, "ImplicitlyDenied", action);
      }
    });
  });
});

describe("StreamConsumer (consumer account)", () => {
  it("creates the role, its policy, a key, the failure queue, its policy and the mapping, with hardened defaults", async () => {
    const resources = await record(() => new StreamConsumer("indexer", consumerArgs));
    const mapping = one(resources, T.mapping);
    const queue = one(resources, T.queue);
    assert.deepStrictEqual(
      {
        eventSourceArn: mapping.inputs.eventSourceArn,
        functionName: mapping.inputs.functionName,
        startingPosition: mapping.inputs.startingPosition,
        batchSize: mapping.inputs.batchSize,
        maximumBatchingWindowInSeconds: mapping.inputs.maximumBatchingWindowInSeconds,
        parallelizationFactor: mapping.inputs.parallelizationFactor,
        maximumRetryAttempts: mapping.inputs.maximumRetryAttempts,
        maximumRecordAgeInSeconds: mapping.inputs.maximumRecordAgeInSeconds,
        bisectBatchOnFunctionError: mapping.inputs.bisectBatchOnFunctionError,
        functionResponseTypes: mapping.inputs.functionResponseTypes,
        enabled: mapping.inputs.enabled,
        region: mapping.inputs.region,
        filterCriteria: mapping.inputs.filterCriteria,
      },
      {
        eventSourceArn: STREAM,
        functionName: "orders-indexer",
        startingPosition: "TRIM_HORIZON",
        batchSize: 100,
        maximumBatchingWindowInSeconds: 0,
        parallelizationFactor: 1,
        maximumRetryAttempts: 10,
        maximumRecordAgeInSeconds: 3600,
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ["ReportBatchItemFailures"],
        enabled: true,
        region: "us-east-1",
        filterCriteria: undefined,
      },
    );
    const key = one(resources, T.key);
    assert.strictEqual(key.inputs.enableKeyRotation, true);
    assert.strictEqual(key.inputs.deletionWindowInDays, 30);
    assert.strictEqual(
      queue.inputs.kmsMasterKeyId,
      `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:key/mrk-indexer-queue-key`,
    );
    assert.strictEqual(queue.inputs.messageRetentionSeconds, 1209600);
    assert.strictEqual(byType(resources, T.role).length, 1);
    assert.strictEqual(byType(resources, T.rolePolicy).length, 1);
    assert.strictEqual(byType(resources, T.queuePolicy).length, 1);
    assertChildInvariants(resources, { tags: consumerTags, regions: ["us-east-1"] });
  });

  it("sends failures to its own queue", async () => {
    const resources = await record(() => new StreamConsumer("indexer", consumerArgs));
    const mapping = one(resources, T.mapping);
    const queue = one(resources, T.queue);
    const destination = (mapping.inputs.destinationConfig as { onFailure: { destinationArn: string } })
      .onFailure.destinationArn;
    assert.match(destination, /^arn:aws:sqs:us-east-1:\d{12}:indexer-failures-/);
    assert.ok(mapping.propertyDependencies.destinationConfig.includes(queue.urn));
  });

  it("creates the mapping only after the role may read the stream and send to the queue", async () => {
    const resources = await record(() => new StreamConsumer("indexer", consumerArgs));
    const mapping = one(resources, T.mapping);
    assert.ok(mapping.dependencies.includes(one(resources, T.rolePolicy).urn));
    assert.ok(mapping.dependencies.includes(one(resources, T.queuePolicy).urn));
  });

  it("overrides every mapping default by name", async () => {
    const resources = await record(
      () =>
        new StreamConsumer("indexer", {
          ...consumerArgs,
          startingPosition: "LATEST",
          batchSize: 500,
          maximumBatchingWindowInSeconds: 5,
          parallelizationFactor: 4,
          maximumRetryAttempts: 2,
          maximumRecordAgeInSeconds: 600,
          bisectBatchOnFunctionError: false,
          reportBatchItemFailures: false,
          enabled: false,
          failureQueueRetentionSeconds: 86400,
        }),
    );
    const mapping = one(resources, T.mapping);
    assert.strictEqual(mapping.inputs.startingPosition, "LATEST");
    assert.strictEqual(mapping.inputs.batchSize, 500);
    assert.strictEqual(mapping.inputs.maximumBatchingWindowInSeconds, 5);
    assert.strictEqual(mapping.inputs.parallelizationFactor, 4);
    assert.strictEqual(mapping.inputs.maximumRetryAttempts, 2);
    assert.strictEqual(mapping.inputs.maximumRecordAgeInSeconds, 600);
    assert.strictEqual(mapping.inputs.bisectBatchOnFunctionError, false);
    assert.deepStrictEqual(mapping.inputs.functionResponseTypes, []);
    assert.strictEqual(mapping.inputs.enabled, false);
    assert.strictEqual(one(resources, T.queue).inputs.messageRetentionSeconds, 86400);
    assertChildInvariants(resources, { tags: consumerTags, regions: ["us-east-1"] });
  });

  it("filters by event name and by further patterns", async () => {
    const keyPrefix = JSON.stringify({ dynamodb: { Keys: { orderId: { S: [{ prefix: "eu#" }] } } } });
    const resources = await record(
      () =>
        new StreamConsumer("indexer", {
          ...consumerArgs,
          eventNames: ["INSERT"],
          filterPatterns: [keyPrefix],
        }),
    );
    assert.deepStrictEqual(one(resources, T.mapping).inputs.filterCriteria, {
      filters: [{ pattern: JSON.stringify({ eventName: ["INSERT"] }) }, { pattern: keyPrefix }],
    });
  });

  it("uses a given queue key instead of creating one", async () => {
    const queueKey = `arn:aws:kms:us-east-1:${CONSUMER_ACCOUNT}:key/queue-key`;
    const resources = await record(
      () => new StreamConsumer("indexer", { ...consumerArgs, queueKmsKeyArn: queueKey }),
    );
    assert.deepStrictEqual(byType(resources, T.key), []);
    assert.strictEqual(one(resources, T.queue).inputs.kmsMasterKeyId, queueKey);
    const statement = policyOf(one(resources, T.rolePolicy)).Statement.find(
      (s) => s.Sid === "UseTheQueueKeyThroughSqs",
    )!;
    assert.strictEqual(statement.Resource, queueKey);
    assertChildInvariants(resources, { tags: consumerTags, regions: ["us-east-1"] });
  });

  it("lands every regional child in the stream's region when no region is given", async () => {
    const euStream = STREAM.replace("us-east-1", "eu-west-1");
    const resources = await record(
      () => new StreamConsumer("indexer", { ...consumerArgs, streamArn: euStream }),
    );
    for (const type of [T.key, T.queue, T.queuePolicy, T.mapping]) {
      assert.strictEqual(one(resources, type).inputs.region, "eu-west-1", type);
    }
    assertChildInvariants(resources, { tags: consumerTags, regions: ["eu-west-1"] });
  });

  it("leaves the mapping out while createMapping is false (first deployment of a two-stack setup)", async () => {
    let consumer: StreamConsumer | undefined;
    const resources = await record(() => {
      consumer = new StreamConsumer("indexer", { ...consumerArgs, createMapping: false });
    });
    assert.deepStrictEqual(byType(resources, T.mapping), []);
    assert.strictEqual(byType(resources, T.role).length, 1);
    assert.strictEqual(byType(resources, T.queue).length, 1);
    assert.strictEqual(consumer!.mapping, undefined);
    assertChildInvariants(resources, { tags: consumerTags, regions: ["us-east-1"] });
  });

  it("passes a permissions boundary to the role", async () => {
    const boundary = `arn:aws:iam::${CONSUMER_ACCOUNT}:policy/workload-boundary`;
    const resources = await record(
      () => new StreamConsumer("indexer", { ...consumerArgs, permissionsBoundaryArn: boundary }),
    );
    assert.strictEqual(one(resources, T.role).inputs.permissionsBoundary, boundary);
  });

  it("scopes log permissions to the function's own log group, also when named by ARN", async () => {
    const fnArn = `arn:aws:lambda:us-east-1:${CONSUMER_ACCOUNT}:function:orders-indexer:live`;
    const resources = await record(
      () => new StreamConsumer("indexer", { ...consumerArgs, functionName: fnArn }),
    );
    const logs = policyOf(one(resources, T.rolePolicy)).Statement.find((s) => s.Sid === "WriteOwnLogs")!;
    const group = `arn:aws:logs:us-east-1:${TABLE_ACCOUNT}:log-group:/aws/lambda/orders-indexer`;
    assert.deepStrictEqual(logs.Resource, [group, `${group}:*`]);
    assert.strictEqual(one(resources, T.mapping).inputs.functionName, fnArn);
  });

  describe("the role, the queue and their policies, evaluated", () => {
    let resources: RecordedResource[];
    let identity: Policy;
    let roleArn: string;
    let queueArn: string;

    before(async () => {
      resources = await record(
        () => new StreamConsumer("indexer", { ...consumerArgs, tableKmsKeyArn: TABLE_KEY }),
      );
      identity = policyOf(one(resources, T.rolePolicy));
      const sender = policyOf(one(resources, T.queuePolicy)).Statement.find(
        (s) => s.Sid === "MappingRoleSends",
      )!;
      roleArn = (sender.Principal as { AWS: string }).AWS;
      queueArn = (
        one(resources, T.mapping).inputs.destinationConfig as { onFailure: { destinationArn: string } }
      ).onFailure.destinationArn;
    });

    it("grants nothing on DynamoDB but the one stream, plus ListStreams, which AWS cannot scope", async () => {
      const dynamo = identity.Statement.filter((s) => String(s.Action).includes("dynamodb:"));
      assert.deepStrictEqual(dynamo, [
        {
          Sid: "ReadTheStream",
          Effect: "Allow",
          Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
          Resource: STREAM,
        },
        { Sid: "ListStreams", Effect: "Allow", Action: "dynamodb:ListStreams", Resource: "*" },
      ]);
      const listed = await evaluate({
        principal: roleArn,
        action: "dynamodb:ListStreams",
        resource: "*",
        resourceAccount: TABLE_ACCOUNT,
        identityPolicies: [identity],
      });
      assert.strictEqual(listed, "Allowed");
    });

    it("lets only Lambda, for this account, assume the role", async () => {
      const trust = parsePolicy(one(resources, T.role).inputs.assumeRolePolicy) as Policy;
      const assume = (principal: string, sourceAccount: string) =>
        evaluate({
          principal,
          action: "sts:AssumeRole",
          resource: roleArn,
          resourceAccount: TABLE_ACCOUNT,
          identityPolicies: [],
          resourcePolicy: trust,
          context: { "aws:SourceAccount": sourceAccount },
        });
      assert.strictEqual(await assume("lambda.amazonaws.com", TABLE_ACCOUNT), "Allowed");
      assert.strictEqual(await assume("lambda.amazonaws.com", THIRD_ACCOUNT), "ImplicitlyDenied");
      assert.strictEqual(await assume("ec2.amazonaws.com", TABLE_ACCOUNT), "ImplicitlyDenied");
    });

    it("lets only the mapping's role send to the failure queue, and only over TLS", async () => {
      const queuePolicy = policyOf(one(resources, T.queuePolicy));
      const send = (principal: string, policies: Policy[], secure = "true") =>
        evaluate({
          principal,
          action: "sqs:SendMessage",
          resource: queueArn,
          resourceAccount: TABLE_ACCOUNT,
          identityPolicies: policies,
          resourcePolicy: queuePolicy,
          context: { "aws:SecureTransport": secure, "aws:PrincipalArn": principal },
        });
      assert.strictEqual(await send(roleArn, [identity]), "Allowed");
      assert.strictEqual(await send(roleArn, [identity], "false"), "ExplicitlyDenied");
      assert.strictEqual(
        await send(`arn:aws:iam::${TABLE_ACCOUNT}:role/admin`, [allowEverything]),
        "ExplicitlyDenied",
      );
      assert.strictEqual(await send(OUTSIDER, [allowEverything]), "ExplicitlyDenied");
    });

    it("uses the queue key only through SQS", async () => {
      const keyArn = String(one(resources, T.queue).inputs.kmsMasterKeyId);
      const use = (via: string) =>
        evaluate({
          principal: roleArn,
          action: "kms:GenerateDataKey",
          resource: keyArn,
          resourceAccount: TABLE_ACCOUNT,
          identityPolicies: [identity],
          resourcePolicy: policyOf(one(resources, T.key)),
          context: { "kms:ViaService": via, "kms:CallerAccount": TABLE_ACCOUNT },
        });
      assert.strictEqual(await use("sqs.us-east-1.amazonaws.com"), "Allowed");
      assert.strictEqual(await use("s3.us-east-1.amazonaws.com"), "ImplicitlyDenied");
    });

    it("decrypts with the table's key only through DynamoDB, only for this table's encryption context", () => {
      // Checked by shape: iam-simulate 0.1.173 drops kms:EncryptionContext:* request keys, so it cannot evaluate them.
      const kms = identity.Statement.filter((s) => s.Resource === TABLE_KEY);
      assert.deepStrictEqual(kms, [
        {
          Sid: "DecryptTheStreamThroughDynamoDb",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: TABLE_KEY,
          Condition: {
            StringEquals: {
              "kms:ViaService": "dynamodb.us-east-1.amazonaws.com",
              "kms:EncryptionContext:aws:dynamodb:tableName": "orders",
              "kms:EncryptionContext:aws:dynamodb:subscriberId": TABLE_ACCOUNT,
            },
          },
        },
        {
          Sid: "DescribeTheTableKeyThroughDynamoDb",
          Effect: "Allow",
          Action: "kms:DescribeKey",
          Resource: TABLE_KEY,
          Condition: { StringEquals: { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com" } },
        },
      ]);
    });

    it("reaches no other queue and no other account's logs", async () => {
      const otherQueue = queueArn.replace(/indexer-failures-\w+$/, "payments");
      assert.strictEqual(
        await evaluate({
          principal: roleArn,
          action: "sqs:SendMessage",
          resource: otherQueue,
          resourceAccount: TABLE_ACCOUNT,
          identityPolicies: [identity],
        }),
        "ImplicitlyDenied",
      );
      assert.strictEqual(
        await evaluate({
          principal: roleArn,
          action: "logs:PutLogEvents",
          resource: `arn:aws:logs:us-east-1:${TABLE_ACCOUNT}:log-group:/aws/lambda/payments:log-stream:x`,
          resourceAccount: TABLE_ACCOUNT,
          identityPolicies: [identity],
        }),
        "ImplicitlyDenied",
      );
    });
  });
});

describe("HardenedTable.grantStreamRead", () => {
  const tableArgs: HardenedTableArgs = {
    region: "us-east-1",
    hashKey: "orderId",
    attributes: [{ name: "orderId", type: "S" }],
    stream: { viewType: "KEYS_ONLY" },
    tags: { team: "payments" },
  };

  it("shares the table's stream, with a grant on the table's key, under the table", async () => {
    const resources = await record(() => {
      const table = new HardenedTable("orders", tableArgs);
      table.grantStreamRead("indexer", [CONSUMER_ROLE], { neededViewType: "KEYS_ONLY" });
    });
    const tableComponent = one(resources, T.table);
    const access = one(resources, T.accessGrant);
    assert.strictEqual(access.parent, tableComponent.urn, "the grant is a child of the table");
    const policy = one(resources, T.policy);
    assert.match(
      String(policy.inputs.resourceArn),
      /^arn:aws:dynamodb:us-east-1:111111111111:table\/orders-\w+\/stream\//,
    );
    assert.strictEqual(policy.inputs.region, "us-east-1");
    const grant = one(resources, T.grant);
    assert.strictEqual(grant.inputs.keyId, `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:key/mrk-orders-key`);
    assert.strictEqual(grant.inputs.granteePrincipal, CONSUMER_ROLE);
    assertChildInvariants(resources, {
      tags: { team: "payments", backup: "required", [MANAGED_BY_TAG]: "HardenedTable" },
      regions: ["us-east-1"],
    });
  });

  it("shares every replica's stream in its own region, with that region's key", async () => {
    const global: HardenedTableArgs = {
      ...tableArgs,
      stream: undefined,
      replicas: [{ region: "eu-west-1" }],
    };
    const resources = await record(() => {
      const table = new HardenedTable("orders", global);
      table.grantStreamRead("indexer", [CONSUMER_ROLE], {
        neededViewType: "KEYS_ONLY",
        allowWiderViewType: true,
      });
    });
    const policies = byType(resources, T.policy).filter((p) =>
      String(p.inputs.resourceArn).includes("/stream/"),
    );
    assert.deepStrictEqual(policies.map((p) => p.inputs.region).sort(), ["eu-west-1", "us-east-1"]);
    for (const policy of policies) {
      assert.ok(
        String(policy.inputs.resourceArn).startsWith(`arn:aws:dynamodb:${String(policy.inputs.region)}:`),
      );
    }
    const grants = byType(resources, T.grant);
    assert.deepStrictEqual(grants.map((g) => [g.inputs.region, g.inputs.keyId]).sort(), [
      ["eu-west-1", `arn:aws:kms:eu-west-1:${TABLE_ACCOUNT}:key/mrk-orders-key-eu-west-1`],
      ["us-east-1", `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:key/mrk-orders-key`],
    ]);
    assertChildInvariants(resources, {
      tags: { team: "payments", backup: "required", [MANAGED_BY_TAG]: "HardenedTable" },
      regions: ["us-east-1", "eu-west-1"],
    });
  });

  it("refuses a keys-only consumer of a global table's full-image stream unless told to accept it", async () => {
    const global: HardenedTableArgs = {
      ...tableArgs,
      stream: undefined,
      replicas: [{ region: "eu-west-1" }],
    };
    const { error, resources } = await rejectionOf(() => {
      const table = new HardenedTable("orders", global);
      table.grantStreamRead("indexer", [CONSUMER_ROLE], { neededViewType: "KEYS_ONLY" });
    });
    assert.strictEqual(error.errors[0].propertyPath, "streamViewType");
    assert.match(error.errors[0].reason, /NEW_AND_OLD_IMAGES.*allowWiderViewType/);
    assert.deepStrictEqual(byType(resources, T.policy), [], "no stream policy was created");
  });

  it("refuses cross-account consumers when the table uses the AWS-managed key", async () => {
    const { error, resources } = await deferredRejectionOf(() => {
      const table = new HardenedTable("orders", {
        ...tableArgs,
        kmsKeyArn: "alias/aws/dynamodb",
        allowAwsManagedKey: true,
      });
      table.grantStreamRead("indexer", [CONSUMER_ROLE]);
    });
    assert.strictEqual(error.propertyPath, "consumerRoleArns[0]");
    assert.match(error.reason, /AWS-managed key/);
    assert.deepStrictEqual(byType(resources, T.grant), []);
  });

  it("passes the organization condition to every region's stream policy", async () => {
    const resources = await record(() => {
      const table = new HardenedTable("orders", {
        ...tableArgs,
        stream: undefined,
        replicas: [{ region: "eu-west-1" }],
      });
      table.grantStreamRead("indexer", [CONSUMER_ROLE], { organizationId: ORG });
    });
    const policies = byType(resources, T.policy).filter((p) =>
      String(p.inputs.resourceArn).includes("/stream/"),
    );
    assert.strictEqual(policies.length, 2);
    for (const policy of policies) {
      assert.deepStrictEqual(policyOf(policy).Statement[0].Condition, {
        StringEquals: { "aws:PrincipalOrgID": ORG },
      });
    }
  });

  it("refuses a table without a stream, naming the stream argument", async () => {
    const { error } = await rejectionOf(() => {
      const table = new HardenedTable("orders", { ...tableArgs, stream: undefined });
      table.grantStreamRead("indexer", [CONSUMER_ROLE]);
    });
    assert.deepStrictEqual(
      error.errors.map((e) => e.propertyPath),
      ["stream"],
    );
    assert.match(error.message, /stream: \{ viewType/);
  });
});

describe("two accounts in one program", () => {
  const program = () => {
    const tableAccount = new aws.Provider("table-account", {
      region: "us-east-1",
      allowedAccountIds: [TABLE_ACCOUNT],
    });
    const consumerAccount = new aws.Provider("consumer-account", {
      region: "us-east-1",
      allowedAccountIds: [CONSUMER_ACCOUNT],
    });
    const table = new HardenedTable(
      "orders",
      {
        region: "us-east-1",
        hashKey: "orderId",
        attributes: [{ name: "orderId", type: "S" }],
        stream: { viewType: "NEW_IMAGE", reason: "search index" },
      },
      { provider: tableAccount },
    );
    // The function needs the consumer's role and the mapping needs the function; the grant needs the
    // role and the mapping needs the grant. Deferred outputs close both loops.
    const [functionName, setFunctionName] = pulumi.deferredOutput<string>();
    const [streamArn, setStreamArn] = pulumi.deferredOutput<string>();
    const consumer = new StreamConsumer(
      "indexer",
      {
        streamArn,
        functionName,
        region: "us-east-1",
        streamViewType: "NEW_IMAGE",
        neededViewType: "NEW_IMAGE",
        tableKmsKeyArn: table.keyArn.apply((arn) => arn ?? ""),
        tags: { team: "search" },
      },
      { provider: consumerAccount },
    );
    const fn = new aws.lambda.Function(
      "indexer-fn",
      {
        role: consumer.roleArn,
        runtime: "nodejs20.x",
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset("exports.handler=async()=>({})"),
        }),
        region: "us-east-1",
      },
      { provider: consumerAccount },
    );
    setFunctionName(fn.name);
    const grants = table.grantStreamRead("indexer", [consumer.roleArn], { neededViewType: "NEW_IMAGE" });
    setStreamArn(grants["us-east-1"].streamArn);
  };

  it("deploys each side with its own account's provider and wires the real ARNs across", async () => {
    const resources = await record(program);
    const providers = byType(resources, "pulumi:providers:aws");
    const providerOf = (r: RecordedResource) => providers.find((p) => r.provider.startsWith(p.urn))?.name;
    assert.strictEqual(providerOf(one(resources, T.policy)), "table-account");
    assert.strictEqual(providerOf(one(resources, T.grant)), "table-account");
    assert.strictEqual(providerOf(one(resources, T.mapping)), "consumer-account");
    assert.strictEqual(providerOf(one(resources, T.role)), "consumer-account");

    const policy = one(resources, T.policy);
    const streamArn = String(policy.inputs.resourceArn);
    assert.match(streamArn, new RegExp(`^arn:aws:dynamodb:us-east-1:${TABLE_ACCOUNT}:table/.+/stream/`));
    assert.strictEqual(one(resources, T.mapping).inputs.eventSourceArn, streamArn);
    const mapping = one(resources, T.mapping);
    assert.ok(
      mapping.propertyDependencies.eventSourceArn.includes(policy.urn),
      "the mapping waits for the stream policy",
    );
    assert.ok(
      mapping.propertyDependencies.eventSourceArn.includes(one(resources, T.grant).urn),
      "the mapping waits for the key grant",
    );
    assert.match(String(mapping.inputs.functionName), /^indexer-fn-/);
    assert.ok(
      mapping.propertyDependencies.functionName.includes(one(resources, "aws:lambda/function:Function").urn),
      "the mapping waits for the function",
    );

    const [roleArn] = (policyOf(policy).Statement[0].Principal as { AWS: string[] }).AWS;
    assert.match(roleArn, new RegExp(`^arn:aws:iam::${CONSUMER_ACCOUNT}:role/indexer-role`));
    assert.strictEqual(one(resources, T.grant).inputs.granteePrincipal, roleArn);

    // End to end: the role the consumer account created can read the stream the table account shared.
    const result = await evaluate({
      principal: roleArn,
      action: "dynamodb:GetRecords",
      resource: streamArn,
      resourceAccount: TABLE_ACCOUNT,
      identityPolicies: [policyOf(one(resources, T.rolePolicy))],
      resourcePolicy: policyOf(policy),
    });
    assert.strictEqual(result, "Allowed");

    const tableTree = tree(resources, one(resources, T.table));
    const consumerTree = tree(resources, one(resources, T.consumer));
    assertChildInvariants(tableTree, { tags: { backup: "required", [MANAGED_BY_TAG]: "HardenedTable" } });
    assertChildInvariants(consumerTree, { tags: consumerTags, regions: ["us-east-1"] });
  });

  it("previews with unknown ARNs and no errors", async () => {
    const resources = await record(program, true);
    const mapping = one(resources, T.mapping);
    assert.strictEqual(mapping.inputs.eventSourceArn, UNKNOWN);
    assert.strictEqual(mapping.inputs.startingPosition, "TRIM_HORIZON");
    assert.strictEqual(mapping.inputs.maximumRetryAttempts, 10);
    assert.strictEqual(one(resources, T.policy).inputs.policy, UNKNOWN);
    assert.strictEqual(byType(resources, T.grant).length, 1);
    assertChildInvariants(tree(resources, one(resources, T.consumer)), {
      tags: consumerTags,
      regions: ["us-east-1"],
    });
    assertChildInvariants(tree(resources, one(resources, T.table)), {
      tags: { backup: "required", [MANAGED_BY_TAG]: "HardenedTable" },
    });
  });
});

describe("bad input", () => {
  describe("StreamAccessGrant", () => {
    it("rejects a source ARN that is not a stream ARN", () =>
      rejectsGrant({ ...grantArgs, streamArn: TABLE }, "streamArn", /not a DynamoDB stream ARN/));
    it("rejects a wildcard stream ARN", () =>
      rejectsGrant({ ...grantArgs, streamArn: `${TABLE}/stream/*` }, "streamArn", /wildcard/));
    it("rejects a stream ARN that resolves to something else, when it resolves", () =>
      assertRejectsWhenResolved(
        () => new StreamAccessGrant("share", { ...grantArgs, streamArn: pulumi.output(TABLE) }),
        "streamArn",
        /not a DynamoDB stream ARN/,
      ));
    it("rejects cross-account consumers of an AWS-managed-key table when the stream ARN resolves", () =>
      assertRejectsWhenResolved(
        () =>
          new StreamAccessGrant("share", {
            ...grantArgs,
            streamArn: pulumi.output(STREAM),
            kmsKeyArn: "alias/aws/dynamodb",
          }),
        "consumerRoleArns[0]",
        /AWS-managed key/,
      ));
    it("rejects more consumer roles than fit in DynamoDB's 20 KB policy limit, when they resolve", () =>
      assertRejectsWhenResolved(
        () =>
          new StreamAccessGrant("share", {
            ...grantArgs,
            consumerRoleArns: Array.from({ length: 500 }, (_, i) =>
              pulumi.output(`arn:aws:iam::${CONSUMER_ACCOUNT}:role/consumer-${i}`),
            ),
          }),
        "consumerRoleArns",
        /at most 20480/,
      ));
    it("rejects a consumer that is not a role ARN", () =>
      rejectsGrant(
        { ...grantArgs, consumerRoleArns: [`arn:aws:iam::${CONSUMER_ACCOUNT}:user/alice`] },
        "consumerRoleArns[0]",
        /not an IAM role ARN/,
      ));
    it("rejects a wildcard consumer", () =>
      rejectsGrant({ ...grantArgs, consumerRoleArns: ["*"] }, "consumerRoleArns[0]", /wildcard/));
    it("rejects an empty consumer list", () =>
      rejectsGrant({ ...grantArgs, consumerRoleArns: [] }, "consumerRoleArns", /at least one/));
    it("rejects a consumer listed twice", () =>
      rejectsGrant(
        { ...grantArgs, consumerRoleArns: [CONSUMER_ROLE, CONSUMER_ROLE] },
        "consumerRoleArns[1]",
        /twice/,
      ));
    it("rejects a malformed organization ID", () =>
      rejectsGrant({ ...grantArgs, organizationId: "org-1" }, "organizationId", /o-xxxxxxxxxx/));
    it("rejects a region other than the stream's", () =>
      rejectsGrant({ ...grantArgs, region: "eu-west-1" }, "region", /stream is in us-east-1/));
    it("rejects a key alias, which grants cannot name", () =>
      rejectsGrant(
        { ...grantArgs, kmsKeyArn: `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:alias/orders` },
        "kmsKeyArn",
        /aliases/,
      ));
    it("rejects a key in another region than the stream", () =>
      rejectsGrant(
        { ...grantArgs, kmsKeyArn: TABLE_KEY.replace("us-east-1", "eu-west-1") },
        "kmsKeyArn",
        /regional/,
      ));
    it("rejects cross-account consumers of a table encrypted with the AWS-managed key", () =>
      rejectsGrant(
        { ...grantArgs, kmsKeyArn: "alias/aws/dynamodb" },
        "consumerRoleArns[0]",
        /AWS-managed key/,
      ));
    it("rejects a full-image stream for consumers that need only keys", () =>
      rejectsGrant(
        { ...grantArgs, streamViewType: "NEW_AND_OLD_IMAGES", neededViewType: "KEYS_ONLY" },
        "streamViewType",
        /needs only "KEYS_ONLY".*allowWiderViewType/,
      ));
    it("rejects consumers that need more than the stream carries", () =>
      rejectsGrant(
        { ...grantArgs, streamViewType: "KEYS_ONLY", neededViewType: "NEW_IMAGE" },
        "neededViewType",
        /new item images/,
      ));
    it("rejects an unknown view type, naming the allowed ones", () =>
      rejectsGrant(
        { ...grantArgs, neededViewType: "FULL" },
        "neededViewType",
        /KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES/,
      ));
  });

  describe("StreamConsumer", () => {
    it("rejects a source ARN that is not a stream ARN", () =>
      rejectsConsumer({ ...consumerArgs, streamArn: TABLE }, "streamArn", /not a DynamoDB stream ARN/));
    it("rejects a function name that is neither a name nor a function ARN", () =>
      rejectsConsumer(
        { ...consumerArgs, functionName: "orders indexer" },
        "functionName",
        /not a Lambda function name/,
      ));
    it("rejects a region other than the stream's: Lambda reads streams only in its own region", () =>
      rejectsConsumer({ ...consumerArgs, region: "eu-west-1" }, "region", /must be in the stream's region/));
    it("rejects a function in another region than the stream", () =>
      rejectsConsumer(
        {
          ...consumerArgs,
          functionName: `arn:aws:lambda:eu-west-1:${CONSUMER_ACCOUNT}:function:orders-indexer`,
        },
        "functionName",
        /stream's region us-east-1/,
      ));
    it("rejects a stream that resolves into another region than the mapping, when it resolves", () =>
      assertRejectsWhenResolved(
        () =>
          new StreamConsumer("indexer", {
            ...consumerArgs,
            region: "eu-west-1",
            streamArn: pulumi.output(STREAM),
          }),
        "streamArn",
        /stream is in us-east-1.*own region/,
      ));
    it("rejects a stream that resolves into another region than the provider's, when no region is given", () =>
      assertRejectsWhenResolved(
        () =>
          new StreamConsumer("indexer", {
            ...consumerArgs,
            streamArn: pulumi.output(STREAM.replace("us-east-1", "eu-west-1")),
          }),
        "streamArn",
        /stream is in eu-west-1, but the event source mapping would be in us-east-1/,
      ));
    it("rejects unbounded retries", () =>
      rejectsConsumer({ ...consumerArgs, maximumRetryAttempts: -1 }, "maximumRetryAttempts", /unbounded/));
    it("rejects retries above AWS's maximum", () =>
      rejectsConsumer(
        { ...consumerArgs, maximumRetryAttempts: 10001 },
        "maximumRetryAttempts",
        /0 to 10000/,
      ));
    it("rejects an unbounded record age", () =>
      rejectsConsumer(
        { ...consumerArgs, maximumRecordAgeInSeconds: -1 },
        "maximumRecordAgeInSeconds",
        /unbounded/,
      ));
    it("rejects a record age below AWS's minimum", () =>
      rejectsConsumer(
        { ...consumerArgs, maximumRecordAgeInSeconds: 59 },
        "maximumRecordAgeInSeconds",
        /60 to 604800/,
      ));
    it("rejects a record age above AWS's maximum", () =>
      rejectsConsumer(
        { ...consumerArgs, maximumRecordAgeInSeconds: 604801 },
        "maximumRecordAgeInSeconds",
        /60 to 604800/,
      ));
    it("rejects a batch size of zero", () =>
      rejectsConsumer({ ...consumerArgs, batchSize: 0 }, "batchSize", /1 to 10000/));
    it("rejects a batch size above AWS's maximum", () =>
      rejectsConsumer({ ...consumerArgs, batchSize: 10001 }, "batchSize", /1 to 10000/));
    it("rejects a batching window above 300 seconds", () =>
      rejectsConsumer(
        { ...consumerArgs, maximumBatchingWindowInSeconds: 301 },
        "maximumBatchingWindowInSeconds",
        /0 to 300/,
      ));
    it("rejects a parallelization factor above 10", () =>
      rejectsConsumer({ ...consumerArgs, parallelizationFactor: 11 }, "parallelizationFactor", /1 to 10/));
    it("rejects AT_TIMESTAMP, which only Kinesis supports", () =>
      rejectsConsumer(
        { ...consumerArgs, startingPosition: "AT_TIMESTAMP" },
        "startingPosition",
        /only for Kinesis/,
      ));
    it("rejects an unknown event name", () =>
      rejectsConsumer(
        { ...consumerArgs, eventNames: ["UPSERT"] },
        "eventNames[0]",
        /INSERT, MODIFY, REMOVE/,
      ));
    it("rejects a filter pattern that is not JSON", () =>
      rejectsConsumer(
        { ...consumerArgs, filterPatterns: ["eventName=INSERT"] },
        "filterPatterns[0]",
        /JSON/,
      ));
    it("rejects more filters than Lambda accepts", () =>
      rejectsConsumer(
        {
          ...consumerArgs,
          eventNames: ["INSERT"],
          filterPatterns: Array(5).fill('{"eventSource":["aws:dynamodb"]}'),
        },
        "filterPatterns",
        /at most 5/,
      ));
    it("rejects a failure queue retention above 14 days", () =>
      rejectsConsumer(
        { ...consumerArgs, failureQueueRetentionSeconds: 1209601 },
        "failureQueueRetentionSeconds",
        /60 to 1209600/,
      ));
    it("rejects the AWS-managed key as the table key", () =>
      rejectsConsumer(
        { ...consumerArgs, tableKmsKeyArn: "alias/aws/dynamodb" },
        "tableKmsKeyArn",
        /AWS-managed key/,
      ));
    it("rejects a table key from another account than the table", () =>
      rejectsConsumer(
        { ...consumerArgs, tableKmsKeyArn: TABLE_KEY.replace(TABLE_ACCOUNT, CONSUMER_ACCOUNT) },
        "tableKmsKeyArn",
        /name the table's key/,
      ));
    it("rejects a queue key in another region", () =>
      rejectsConsumer(
        { ...consumerArgs, queueKmsKeyArn: `arn:aws:kms:eu-west-1:${CONSUMER_ACCOUNT}:key/queue-key` },
        "queueKmsKeyArn",
        /consumer is in us-east-1/,
      ));
    it("rejects a permissions boundary that is not a policy ARN", () =>
      rejectsConsumer(
        { ...consumerArgs, permissionsBoundaryArn: "workload-boundary" },
        "permissionsBoundaryArn",
        /policy ARN/,
      ));
    it("rejects NEW_AND_OLD_IMAGES for a consumer that declared it needs only keys", () =>
      rejectsConsumer(
        { ...consumerArgs, streamViewType: "NEW_AND_OLD_IMAGES", neededViewType: "KEYS_ONLY" },
        "streamViewType",
        /needs only "KEYS_ONLY"/,
      ));
    it("accepts the wider stream when told to", async () => {
      const resources = await record(
        () =>
          new StreamConsumer("indexer", {
            ...consumerArgs,
            streamViewType: "NEW_AND_OLD_IMAGES",
            neededViewType: "KEYS_ONLY",
            allowWiderViewType: true,
          }),
      );
      assert.strictEqual(byType(resources, T.mapping).length, 1);
    });
    it("reports every problem at once", async () => {
      const error = await constructionError(
        () =>
          new StreamConsumer("indexer", {
            ...consumerArgs,
            streamArn: TABLE,
            batchSize: 0,
            maximumRetryAttempts: -1,
            startingPosition: "AT_TIMESTAMP",
          }),
      );
      assert.deepStrictEqual(error.errors.map((e) => e.propertyPath).sort(), [
        "batchSize",
        "maximumRetryAttempts",
        "startingPosition",
        "streamArn",
      ]);
    });
  });
});
