import * as assert from "assert";
import { HardenedTable } from "../../../components";
import { AnalyzerResource, fromRecorded } from "../../../preview/analyzerClient";
import { record } from "../../harness/record";
import {
  COVERAGE,
  STREAM_ARN,
  TABLE_ARN,
  awsTable,
  classicGlobal,
  doc,
  nativeGlobalResource,
  nativeTableResource,
  tableReplica,
} from "./fixtures";
import { U, expectNoCantRun, res, usePack } from "./packHarness";

/** Values that must never break the pack where a property should be: wrong types, nulls, every unknown sentinel, secrets. */
const REPLACEMENTS: unknown[] = [
  null,
  42,
  -1,
  "",
  "not-what-you-expect",
  true,
  [],
  [null, 7, "x"],
  {},
  { nested: [{ deeper: null }] },
  U,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
  { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "secret" },
];
/** Per path: the sentinels and null always, plus a rotating share of the other values (all of them over the paths). */
function valuesFor(index: number, width = 5): unknown[] {
  const always = [null, U, "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"];
  const rest = REPLACEMENTS.filter((v) => !always.includes(v as string | null));
  return [...always, ...Array.from({ length: width }, (_, i) => rest[(index * width + i) % rest.length])];
}

/** The subset used for whole-stack analysis (each AnalyzeStack call carries the full stack). */
const STACK_REPLACEMENTS = [null, 42, "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"];

/** Runs `jobs` with up to `width` requests in flight, as the engine does with parallel steps. */
async function inParallel(jobs: (() => Promise<void>)[], width = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: width }, worker));
}

type Path = (string | number)[];

/** Every path in a property bag: leaves and the objects and arrays that hold them. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i], ...paths(v, [...prefix, i]));
    });
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  }
  return out;
}

function replaced(props: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(props));
  let target = copy;
  for (const step of path.slice(0, -1)) target = target[step];
  target[path[path.length - 1]] = value;
  return copy;
}

/** JSON strings inside bags (policies) are fuzzed too: their paths are expanded as documents. */
function expandPolicies(r: AnalyzerResource): AnalyzerResource[] {
  const out: AnalyzerResource[] = [];
  for (const key of ["policy", "policyDocument"]) {
    const text = r.properties[key];
    if (typeof text !== "string" || !text.startsWith("{")) continue;
    out.push({ ...r, properties: { ...r.properties, [key]: JSON.parse(text) } });
  }
  return out;
}

async function subjects(): Promise<AnalyzerResource[]> {
  const recorded = [
    ...(await record(
      () =>
        new HardenedTable("orders", {
          region: "us-east-1",
          hashKey: "id",
          attributes: [{ name: "id", type: "S" }],
          replicas: [{ region: "eu-west-1" }],
          billingMode: "PROVISIONED",
          autoscaling: { minReadCapacity: 1, maxReadCapacity: 5, minWriteCapacity: 1, maxWriteCapacity: 5 },
          access: {
            readerPrincipals: ["arn:aws:iam::111111111111:role/reader"],
            tenantPrincipalTag: "tenantId",
          },
          multiTenant: true,
        }),
      false,
    )),
  ];
  const hardened = recorded.filter((r) => r.custom).map((r) => fromRecorded(r, recorded));
  const statement = {
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::111111111111:role/app" },
    Action: ["dynamodb:GetItem"],
    Resource: TABLE_ARN,
    Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } },
  };
  const others = [
    awsTable(classicGlobal),
    nativeTableResource(),
    nativeGlobalResource(),
    res("aws:dynamodb/tableReplica:TableReplica", "replica", tableReplica),
    res("aws:dynamodb/globalTable:GlobalTable", "legacy", {
      name: "orders",
      replicas: [{ regionName: "eu-west-1" }],
    }),
    res("aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex", "gsi", {
      tableName: "orders",
      indexName: "byX",
      keySchemas: [],
      provisionedThroughput: { readCapacityUnits: 1 },
    }),
    res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
      resourceArn: TABLE_ARN,
      policy: doc(statement),
    }),
    res("aws:iam/role:Role", "role", {
      assumeRolePolicy: "{}",
      inlinePolicies: [{ name: "p", policy: doc(statement) }],
    }),
    res("aws-native:iam:ManagedPolicy", "mp", { policyDocument: { Statement: [statement] } }),
    res("aws:dax/cluster:Cluster", "dax", {
      clusterName: "c",
      serverSideEncryption: { enabled: true },
      clusterEndpointEncryptionType: "TLS",
    }),
    res("aws:ec2/vpcEndpoint:VpcEndpoint", "vpce", {
      vpcId: "v",
      serviceName: "com.amazonaws.us-east-1.dynamodb",
      policy: doc({ ...statement, Principal: "*" }),
    }),
    res("aws-native:ec2:VpcEndpoint", "nvpce", {
      vpcId: "v",
      serviceName: "com.amazonaws.us-east-1.dynamodb",
      policyDocument: { Statement: [statement] },
    }),
    res("aws:backup/vault:Vault", "vault", {
      name: "v",
      kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1",
    }),
    res("aws-native:backup:BackupPlan", "nplan", {
      backupPlan: {
        backupPlanName: "p",
        backupPlanRule: [
          {
            ruleName: "r",
            targetBackupVault: "v",
            copyActions: [{ destinationBackupVaultArn: "arn:aws:backup:eu-west-1:1:backup-vault:x" }],
          },
        ],
      },
    }),
    res("aws-native:backup:BackupSelection", "nsel", {
      backupPlanId: "p",
      backupSelection: {
        selectionName: "s",
        iamRoleArn: "r",
        listOfTags: [{ conditionType: "STRINGEQUALS", conditionKey: "backup", conditionValue: "required" }],
        conditions: { stringEquals: [{ conditionKey: "a", conditionValue: "b" }] },
      },
    }),
    res("aws:backup/selection:Selection", "sel", {
      planId: "p",
      iamRoleArn: "r",
      resources: [TABLE_ARN],
      conditions: [{ stringLikes: [{ key: "aws:ResourceTag/a", value: "b*" }] }],
    }),
    res("aws-native:cloudtrail:Trail", "ntrail", {
      s3BucketName: "b",
      isLogging: true,
      advancedEventSelectors: [
        {
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
            { field: "resources.ARN", startsWith: [TABLE_ARN] },
          ],
        },
      ],
    }),
    res("aws-native:applicationautoscaling:ScalingPolicy", "sp", {
      policyType: "TargetTrackingScaling",
      scalingTargetId: "t",
    }),
    res("aws-native:lambda:EventSourceMapping", "nesm", {
      functionName: "f",
      eventSourceArn: STREAM_ARN,
      destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:1:q" } },
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 2,
      maximumRecordAgeInSeconds: 60,
    }),
    res("aws:lambda/function:Function", "fn", { role: "r", vpcConfig: { subnetIds: ["s"] } }),
    res("aws-native:ecs:Service", "svc", {
      networkConfiguration: { awsvpcConfiguration: { subnets: ["s"] } },
    }),
  ];
  const all = [...hardened, ...others];
  return [...all, ...all.flatMap(expandPolicies)];
}

describe("policy pack: fuzzing never breaks the gRPC protocol", function () {
  this.timeout(600000);
  const pack = usePack();

  it("Analyze and Remediate survive every property of every resource replaced by wrong types, nulls, unknowns and secrets", async () => {
    await pack().configure({
      "dynamodb-point-in-time-recovery": "remediate",
      "dynamodb-deletion-protection": "remediate",
    });
    const jobs: (() => Promise<void>)[] = [];
    let index = 0;
    for (const subject of await subjects()) {
      for (const path of paths(subject.properties)) {
        for (const value of valuesFor(index++)) {
          jobs.push(async () => {
            const mutated = { ...subject, properties: replaced(subject.properties, path, value) };
            const label = `${subject.type} ${subject.name} .${path.join(".")} = ${JSON.stringify(value)}`;
            const analyzed = await pack()
              .analyze(mutated)
              .catch((e: Error) => assert.fail(`Analyze failed for ${label}: ${e.message}`));
            expectNoCantRun(analyzed);
            await pack()
              .remediate(mutated)
              .catch((e: Error) => assert.fail(`Remediate failed for ${label}: ${e.message}`));
          });
        }
      }
    }
    await inParallel(jobs);
    await pack().configure({});
    assert.ok(jobs.length > 2000, `${jobs.length} cases`);
  });

  it("AnalyzeStack survives the same replacements inside a stack, with dependencies pointing at the broken resource", async () => {
    const all = await subjects();
    const jobs: (() => Promise<void>)[] = [];
    for (const subject of all) {
      // The stack's tables, policies and scaling resources point at the broken one, so relational checks follow it.
      const others = all
        .filter((r) => r !== subject && /dynamodb|appautoscaling|backup|iam\/role|cloudtrail/.test(r.type))
        .slice(0, 12)
        .map((r) => ({
          ...r,
          dependencies: [subject.urn],
          propertyDependencies: {
            ...r.propertyDependencies,
            policy: [subject.urn],
            resources: [subject.urn],
            replicas: [subject.urn],
            resourceId: [subject.urn],
          },
        }));
      for (const path of paths(subject.properties)) {
        for (const value of STACK_REPLACEMENTS) {
          jobs.push(async () => {
            const mutated = { ...subject, properties: replaced(subject.properties, path, value) };
            const result = await pack()
              .analyzeStack([mutated, ...others, ...COVERAGE])
              .catch((e: Error) =>
                assert.fail(
                  `AnalyzeStack failed for ${subject.type} .${path.join(".")} = ${JSON.stringify(value)}: ${e.message}`,
                ),
              );
            expectNoCantRun(result);
          });
        }
      }
    }
    await inParallel(jobs, 8);
    assert.ok(jobs.length > 500, `${jobs.length} cases`);
  });

  it("property bags that are not objects at all, and provider bags full of junk", async () => {
    for (const type of [
      "aws:dynamodb/table:Table",
      "aws-native:dynamodb:GlobalTable",
      "aws:iam/policy:Policy",
      "aws:backup/selection:Selection",
    ]) {
      for (const properties of [
        {},
        { "": null },
        { __proto__: { polluted: true } },
        { constructor: "x", toString: 1 },
      ]) {
        const r = res(type, "odd", properties as Record<string, unknown>, {
          provider: {
            type: "pulumi:providers:aws",
            urn: "urn:p",
            name: "p",
            properties: { region: 7, allowedAccountIds: "[not json", assumeRoles: '[{"roleArn": 5}]' },
          },
        });
        expectNoCantRun(await pack().analyze(r));
        await pack().remediate(r);
        expectNoCantRun(
          await pack().analyzeStack([
            r,
            {
              ...r,
              urn: `${r.urn}-2`,
              propertyDependencies: { x: ["urn:missing"] },
              dependencies: [r.urn, r.urn],
            },
          ]),
        );
      }
    }
  });
});
