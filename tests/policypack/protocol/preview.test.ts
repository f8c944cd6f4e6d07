import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { fromRecorded, stackFromRecording } from "../../../preview/analyzerClient";
import { record } from "../../harness/record";
import {
  BACKUP,
  COVERAGE,
  TRAIL,
  awsTable,
  classicTable,
  doc,
  edit,
  nativeTable,
  nativeTableResource,
} from "./fixtures";
import {
  U,
  diags,
  expectFindings,
  expectNoCantRun,
  expectNone,
  expectPractice,
  messages,
  res,
  usePack,
} from "./packHarness";

// The engine's sentinels per type (@pulumi/policy proxy.js). Node programs send the string one for everything.
const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

describe("policy pack: preview with unknown values is decided", function () {
  const pack = usePack();

  it("an unknown key ARN is a customer-managed key, and does not hide a missing PITR next to it", async () => {
    const result = await pack().analyze(
      awsTable(
        edit(classicTable, (p) => {
          p.serverSideEncryption = { enabled: true, kmsKeyArn: U };
          delete p.pointInTimeRecovery;
        }),
      ),
    );
    expectNoCantRun(result);
    expectFindings(result, "dynamodb-customer-managed-key", 0);
    expectFindings(result, "dynamodb-point-in-time-recovery", 1, "point-in-time recovery is off");
  });

  it("unknown values of every type decide nothing about their own setting and hide nothing else", async () => {
    const result = await pack().analyze(
      awsTable(
        edit(classicTable, (p) => {
          p.serverSideEncryption = UNKNOWN_OBJECT;
          p.pointInTimeRecovery = { enabled: UNKNOWN_BOOL, recoveryPeriodInDays: UNKNOWN_NUMBER };
          p.replicas = UNKNOWN_ARRAY;
          p.tags = UNKNOWN_OBJECT;
          p.deletionProtectionEnabled = false;
        }),
      ),
    );
    expectNoCantRun(result);
    assert.deepStrictEqual(
      diags(result).map((d) => d.policyName),
      ["dynamodb-deletion-protection"],
      messages(result),
    );
  });

  it("aws-native: an unknown kmsMasterKeyId passes, an unknown deletion protection passes, PITR off is found", async () => {
    const result = await pack().analyze(
      nativeTableResource(
        edit(nativeTable, (p) => {
          p.sseSpecification = { sseEnabled: true, sseType: "KMS", kmsMasterKeyId: U };
          p.deletionProtectionEnabled = UNKNOWN_BOOL;
          p.pointInTimeRecoverySpecification = { pointInTimeRecoveryEnabled: false };
        }),
      ),
    );
    expectNoCantRun(result);
    assert.deepStrictEqual(
      diags(result).map((d) => d.policyName),
      ["dynamodb-point-in-time-recovery"],
    );
  });

  it("policy documents that are unknown as a whole pass; known statements next to unknown ones are still read", async () => {
    expectNone(await pack().analyze(res("aws:iam/policy:Policy", "p", { policy: U })));
    const partly = await pack().analyze(
      res("aws-native:iam:ManagedPolicy", "p", {
        policyDocument: {
          Statement: [UNKNOWN_OBJECT, { Effect: "Allow", Action: "dynamodb:*", Resource: U }],
        },
      }),
    );
    expectNoCantRun(partly);
    expectFindings(partly, "dynamodb-no-wildcard-actions", 1, '"dynamodb:*"');
  });

  it("a resource policy whose target ARN is unknown is judged by its statements", async () => {
    const statement = {
      Effect: "Allow",
      Principal: "*",
      Action: ["dynamodb:GetRecords", "dynamodb:PutItem"],
      Resource: U,
    };
    const result = await pack().analyze(
      res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", { resourceArn: U, policy: doc(statement) }),
    );
    expectNoCantRun(result);
    expectFindings(result, "dynamodb-resource-policy-not-public", 1);
    expectFindings(result, "dynamodb-stream-least-privilege", 1, "dynamodb:PutItem");
  });

  it("stack: unknown ARNs are resolved through property dependencies (stream consumers, backup selections)", async () => {
    const table = awsTable(
      edit(classicTable, (p) => {
        p.streamEnabled = true;
        p.streamViewType = "KEYS_ONLY";
      }),
    );
    const other = awsTable(
      edit(classicTable, (p) => (p.name = "other")),
      "other",
    );
    const mapping = res(
      "aws:lambda/eventSourceMapping:EventSourceMapping",
      "esm",
      { functionName: "f", eventSourceArn: U, startingPosition: "LATEST" },
      { propertyDependencies: { eventSourceArn: [table.urn] } },
    );
    expectFindings(await pack().analyze(mapping), "dynamodb-stream-least-privilege", 0);
    const stack = await pack().analyzeStack([table, mapping, ...COVERAGE]);
    expectNoCantRun(stack);
    expectPractice(stack, "dynamodb-stack", 11, 1, "4 problems");
    const plan = BACKUP[0];
    const byArn = res(
      "aws:backup/selection:Selection",
      "sel",
      { iamRoleArn: "r", planId: U, resources: [U], region: "us-east-1" },
      { propertyDependencies: { resources: [table.urn], planId: [plan.urn] } },
    );
    const untagged = (t: ReturnType<typeof awsTable>) => ({
      ...t,
      properties: edit(t.properties, (p) => delete p.tags),
    });
    const covered = await pack().analyzeStack([untagged(table), untagged(other), plan, byArn, TRAIL]);
    const found = expectFindings(covered, "dynamodb-stack", 1, "no AWS Backup selection");
    assert.strictEqual(found[0].urn, other.urn);
  });

  it("a raw @pulumi/aws program in preview: keys created in the same program, findings decided at preview", async () => {
    const program = () => {
      const key = new aws.kms.Key("key", { enableKeyRotation: true, region: "us-east-1" });
      const table = new aws.dynamodb.Table("orders", {
        region: "us-east-1",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        billingMode: "PAY_PER_REQUEST",
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        replicas: [
          {
            regionName: "eu-west-1",
            kmsKeyArn: key.arn,
            pointInTimeRecovery: true,
            deletionProtectionEnabled: true,
          },
        ],
        tags: { backup: "required" },
      });
      new aws.lambda.EventSourceMapping("consumer", {
        functionName: "f",
        eventSourceArn: table.streamArn,
        startingPosition: "LATEST",
      });
      new aws.dynamodb.ResourcePolicy("policy", {
        resourceArn: table.arn,
        policy: table.arn.apply((arn) =>
          doc({ Effect: "Allow", Principal: "*", Action: "dynamodb:GetItem", Resource: arn }),
        ),
      });
    };
    const recorded = await record(program, true);
    const byName = (name: string) => recorded.find((r) => r.name === name)!;
    const table = await pack().analyze(fromRecorded(byName("orders"), recorded));
    expectNoCantRun(table);
    assert.deepStrictEqual(
      diags(table)
        .map((d) => d.policyName)
        .sort(),
      ["dynamodb-deletion-protection", "dynamodb-point-in-time-recovery"],
      messages(table),
    );
    for (const name of ["consumer", "policy", "key"]) {
      const result = await pack().analyze(fromRecorded(byName(name), recorded));
      expectNoCantRun(result);
      expectNone(result);
    }
    const stack = await pack().analyzeStack([...stackFromRecording(recorded), ...COVERAGE]);
    expectNoCantRun(stack);
    // The replica uses the us-east-1 key (known through the dependency); the consumer is unbounded.
    expectPractice(stack, "dynamodb-stack", 12, 1, "replica eu-west-1", "us-east-1");
    expectPractice(stack, "dynamodb-stack", 11, 1, "4 problems");
  });

  it("the same program without preview: every value known, the same findings at Analyze time", async () => {
    const recorded = await record(() => {
      const table = new aws.dynamodb.Table("orders", {
        region: "us-east-1",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        streamEnabled: true,
        streamViewType: "KEYS_ONLY",
      });
      new aws.lambda.EventSourceMapping("consumer", {
        functionName: "f",
        eventSourceArn: table.streamArn.apply((a) => a!),
        startingPosition: "LATEST",
      });
    }, false);
    const consumer = await pack().analyze(
      fromRecorded(
        recorded.find((r) => r.name === "consumer")!,
        recorded,
      ),
    );
    expectFindings(consumer, "dynamodb-stream-least-privilege", 1, "4 problems");
  });
});
