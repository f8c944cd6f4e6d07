import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HardenedTable, HardenedTableArgs } from "../../../components";
import { AnalyzerResource, fromRecorded, stackFromRecording } from "../../../preview/analyzerClient";
import { RecordedResource, record } from "../../harness/record";
import { COVERAGE, KEY_USE1 } from "./fixtures";
import {
  diags,
  expectFindings,
  expectNoCantRun,
  expectNone,
  expectPractice,
  messages,
  res,
  usePack,
} from "./packHarness";

const base: HardenedTableArgs = {
  region: "us-east-1",
  hashKey: "id",
  attributes: [{ name: "id", type: "S" }],
};

/** HardenedTable configurations a user can write; every one of them must pass the pack. */
const CONFIGURATIONS: Record<string, HardenedTableArgs> = {
  defaults: base,
  "replicas with a multi-Region key and a resource policy": {
    ...base,
    replicas: [{ region: "eu-west-1" }, { region: "ap-southeast-1" }],
    access: {
      readerPrincipals: ["arn:aws:iam::111111111111:role/reader"],
      writerPrincipals: ["arn:aws:iam::111111111111:role/writer"],
    },
  },
  "replicas with per-region keys": {
    ...base,
    replicas: [{ region: "eu-west-1" }],
    replicaKeyStrategy: "perRegion",
  },
  "provisioned with autoscaling and an index": {
    ...base,
    attributes: [
      { name: "id", type: "S" },
      { name: "customer", type: "S" },
    ],
    globalSecondaryIndexes: [{ name: "byCustomer", hashKey: "customer" }],
    billingMode: "PROVISIONED",
    autoscaling: { minReadCapacity: 1, maxReadCapacity: 10, minWriteCapacity: 1, maxWriteCapacity: 10 },
  },
  "provisioned global table": {
    ...base,
    replicas: [{ region: "eu-west-1" }],
    billingMode: "PROVISIONED",
    autoscaling: { minReadCapacity: 1, maxReadCapacity: 10, minWriteCapacity: 1, maxWriteCapacity: 10 },
  },
  "keys-only stream": { ...base, stream: {} },
  "full-image stream with a reason": {
    ...base,
    stream: { viewType: "NEW_AND_OLD_IMAGES", reason: "audit trail needs before and after images" },
  },
  "multi-tenant": { ...base, multiTenant: true },
  "a given customer-managed key": { ...base, kmsKeyArn: KEY_USE1 },
  "source VPC endpoint and organization on the resource policy": {
    ...base,
    access: {
      readerPrincipals: ["arn:aws:iam::222222222222:role/reader"],
      organizationId: "o-abcdefghij",
      sourceVpce: "vpce-0123456789abcdef0",
    },
  },
};

async function recordTable(args: HardenedTableArgs, preview: boolean): Promise<RecordedResource[]> {
  return record(() => new HardenedTable("orders", args), preview);
}

describe("policy pack: hardened resources pass", function () {
  const pack = usePack();

  for (const preview of [false, true]) {
    for (const [label, args] of Object.entries(CONFIGURATIONS)) {
      it(`HardenedTable, ${label}${preview ? " (preview, unknown values)" : ""}: no violation from Analyze or AnalyzeStack`, async () => {
        const recorded = await recordTable(args, preview);
        const custom = recorded.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.ok(
          custom.some((r) => r.type === "aws:dynamodb/table:Table"),
          "the component registered its table",
        );
        for (const r of custom) {
          const result = await pack().analyze(fromRecorded(r, recorded));
          expectNoCantRun(result);
          assert.deepStrictEqual(diags(result), [], `${r.type} ${r.name}:\n${messages(result)}`);
        }
        const stack = await pack().analyzeStack([...stackFromRecording(recorded), ...COVERAGE]);
        expectNoCantRun(stack);
        assert.deepStrictEqual(diags(stack), [], messages(stack));
      });
    }
  }

  it("the stack checks see the hardened children: without a trail and backups, coverage findings name the table", async () => {
    const recorded = await recordTable(base, true);
    const table = recorded.find((r) => r.type === "aws:dynamodb/table:Table")!;
    const result = await pack().analyzeStack(stackFromRecording(recorded));
    const [backup] = expectPractice(result, "dynamodb-stack", 9, 1);
    assert.strictEqual(backup.urn, table.urn);
    // No trail at all: one stack-wide finding naming the table.
    const [trail] = expectPractice(result, "dynamodb-stack", 6, 1, `"${table.name}"`);
    assert.ok(!trail.urn);
    expectPractice(result, "dynamodb-stack-critical", 4, 0);
    expectPractice(result, "dynamodb-stack", 12, 0);
  });

  const MULTI_TENANT_WITH_ACCESS: HardenedTableArgs = {
    ...base,
    multiTenant: true,
    access: { readerPrincipals: ["arn:aws:iam::111111111111:role/reader"], tenantPrincipalTag: "tenantId" },
  };

  it("a multi-tenant HardenedTable with a resource policy passes: its grants carry LeadingKeys and no Scan", async () => {
    const recorded = await recordTable(MULTI_TENANT_WITH_ACCESS, false);
    const result = await pack().analyzeStack([...stackFromRecording(recorded), ...COVERAGE]);
    expectPractice(result, "dynamodb-stack-critical", 4, 0);
  });

  it("the same resource policy without LeadingKeys is flagged on a multi-tenant table", async () => {
    // A same-account grant in the table's resource policy bypasses LeadingKeys conditions in identity policies.
    const recorded = await recordTable(MULTI_TENANT_WITH_ACCESS, false);
    const stack = stackFromRecording(recorded).map((r) => {
      if (r.type !== "aws:dynamodb/resourcePolicy:ResourcePolicy") return r;
      const policy = JSON.parse(String(r.properties.policy));
      for (const st of policy.Statement) {
        delete st.Condition;
        st.Action = [...st.Action, "dynamodb:Scan"];
      }
      return { ...r, properties: { ...r.properties, policy: JSON.stringify(policy) } };
    });
    const result = await pack().analyzeStack([...stack, ...COVERAGE]);
    const found = expectFindings(
      result,
      "dynamodb-stack-critical",
      2,
      "practice 4",
      "LeadingKeys",
      "multi-tenant table",
    );
    assert.ok(found.some((d) => d.message.includes("grants dynamodb:Scan")));
  });

  describe("out-of-scope resources", () => {
    const others: AnalyzerResource[] = [
      res("aws:s3/bucketV2:BucketV2", "logs", { bucket: "logs", tags: { backup: "required" } }),
      res("aws:sqs/queue:Queue", "dlq", { name: "dlq" }),
      res("aws:iam/role:Role", "app", {
        assumeRolePolicy: JSON.stringify({
          Statement: [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      }),
      res("aws:iam/policy:Policy", "s3-admin", {
        policy: JSON.stringify({
          Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::logs/*" }],
        }),
      }),
      res("aws:kms/key:Key", "key", {
        enableKeyRotation: true,
        policy: JSON.stringify({
          Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }],
        }),
      }),
      res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", {
        vpcId: "vpc-1",
        serviceName: "com.amazonaws.us-east-1.s3",
      }),
      res("aws:lambda/eventSourceMapping:EventSourceMapping", "sqs", {
        functionName: "f",
        eventSourceArn: "arn:aws:sqs:us-east-1:111111111111:q",
      }),
      res("aws-native:s3:Bucket", "native-logs", { bucketName: "logs" }),
      res("pulumi:pulumi:Stack", "project-stack", {}),
      res("dynamodb-hardened:index:HardenedTable", "orders", { hashKey: "id", pointInTimeRecovery: false }),
    ];
    it("raise nothing, alone or in a stack", async () => {
      for (const r of others) {
        const result = await pack().analyze(r);
        expectNone(result);
        expectNoCantRun(result);
      }
      expectNone(await pack().analyzeStack(others));
    });
    it("are skipped without work and without a response entry", async () => {
      // "Not applicable" results cost an exception each in the SDK; the pack skips other types silently.
      for (const r of [others[0], res("aws:dynamodb/table:Table", "t", {})]) {
        assert.deepStrictEqual((await pack().analyze(r)).notApplicable, []);
      }
    });
  });

  it("a component resource is never judged by its arguments, only its children are", async () => {
    const program = () => {
      const table = new HardenedTable("orders", base);
      return pulumi.output(table.arn);
    };
    const recorded = await record(program, false);
    const component = recorded.find((r) => r.type === "dynamodb-hardened:index:HardenedTable")!;
    expectNone(await pack().analyze(fromRecorded(component, recorded)));
  });
});
