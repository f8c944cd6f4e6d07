/**
 * `npm run bench:pack`: the policy pack against an empty pack (one no-op policy), both started and called
 * exactly as the engine does (run-policy-pack, gRPC), interleaved in the same run so machine load hits both.
 *
 * Measures: start time (spawn to port), Analyze per resource (sequential round trips), and AnalyzeStack with
 * 1,000 and 5,000 tables, each with a KMS key and an AWS Backup selection. AnalyzeStack requests are encoded
 * once up front, so the times are the pack's (decode, policies, response), not this client's encoder.
 * Calls alternate between the two packs, so other load on the machine falls on both alike.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { dynamoDbKeyPolicy } from "../components/shared/kmsKeyPolicy";
import { AnalyzerClient, AnalyzerResource } from "../preview/analyzerClient";

const ROOT = path.join(__dirname, "..");
const PACK = path.join(ROOT, "policypack");
const FLOOR = path.join(__dirname, "emptyPack");
const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ACCOUNT = "111111111111";

const GOALS = { start: 0.3, analyze: 1.1, stack: 1.3, scaling: 5.5 };

const provider = {
  type: "pulumi:providers:aws",
  urn: "urn:pulumi:bench::bench::pulumi:providers:aws::default_7_48_0",
  name: "default_7_48_0",
  properties: { region: "us-east-1", version: "7.48.0" },
};

function urn(type: string, name: string): string {
  return `urn:pulumi:bench::bench::dynamodb-hardened:index:HardenedTable$${type}::${name}`;
}

// The key policy HardenedTable writes, so the pack reads the same documents it meets in real stacks.
function keyPolicy(): string {
  return JSON.stringify(dynamoDbKeyPolicy({ partition: "aws", accountId: ACCOUNT, region: "us-east-1" }));
}

const tags = (i: number) => ({
  backup: "required",
  "dynamodb-hardened:managed-by": "HardenedTable",
  team: `team-${i % 20}`,
});

/** One hardened table as the engine sends it in a preview: a key, the table (key ARN unknown), a selection by ARN. */
function tableSet(i: number, plan: string): AnalyzerResource[] {
  const key = urn("aws:kms/key:Key", `t${i}-key`);
  const table = urn("aws:dynamodb/table:Table", `t${i}`);
  const name = `table-${i}`;
  return [
    {
      type: "aws:kms/key:Key",
      urn: key,
      name: `t${i}-key`,
      provider,
      properties: {
        description: `DynamoDB table t${i}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        multiRegion: false,
        policy: keyPolicy(),
        region: "us-east-1",
        tags: tags(i),
      },
    },
    {
      type: "aws:dynamodb/table:Table",
      urn: table,
      name: `t${i}`,
      provider,
      dependencies: [key],
      propertyDependencies: { serverSideEncryption: [key] },
      protect: true,
      properties: {
        name,
        region: "us-east-1",
        hashKey: "id",
        rangeKey: "sk",
        attributes: [
          { name: "id", type: "S" },
          { name: "sk", type: "S" },
        ],
        billingMode: "PAY_PER_REQUEST",
        tableClass: "STANDARD",
        serverSideEncryption: { enabled: true, kmsKeyArn: U },
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 35 },
        deletionProtectionEnabled: true,
        streamEnabled: false,
        ttl: { attributeName: "expiresAt", enabled: true },
        tags: tags(i),
      },
    },
    {
      type: "aws:backup/selection:Selection",
      urn: urn("aws:backup/selection:Selection", `t${i}-backup`),
      name: `t${i}-backup`,
      provider,
      dependencies: [table, plan],
      propertyDependencies: { resources: [table], planId: [plan] },
      // Half the selections name the table by ARN, half by an ARN still unknown in preview (resolved by dependency).
      properties: {
        name: `t${i}-backup`,
        iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
        planId: U,
        region: "us-east-1",
        resources: [i % 2 ? `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}` : U],
      },
    },
  ];
}

function stack(tables: number): AnalyzerResource[] {
  const plan = "urn:pulumi:bench::bench::aws:backup/plan:Plan::plan";
  const shared: AnalyzerResource[] = [
    {
      type: "pulumi:pulumi:Stack",
      urn: "urn:pulumi:bench::bench::pulumi:pulumi:Stack::bench-bench",
      name: "bench-bench",
      properties: {},
    },
    { ...provider, properties: provider.properties },
    {
      type: "aws:backup/plan:Plan",
      urn: plan,
      name: "plan",
      provider,
      properties: {
        name: "daily",
        region: "us-east-1",
        rules: [
          {
            ruleName: "daily",
            targetVaultName: "vault",
            copyActions: [{ destinationVaultArn: "arn:aws:backup:eu-west-1:999999999999:backup-vault:dr" }],
          },
        ],
      },
    },
    {
      type: "aws:cloudtrail/trail:Trail",
      urn: "urn:pulumi:bench::bench::aws:cloudtrail/trail:Trail::trail",
      name: "trail",
      provider,
      properties: {
        s3BucketName: "logs",
        isMultiRegionTrail: true,
        eventSelectors: [
          {
            readWriteType: "All",
            dataResources: [{ type: "AWS::DynamoDB::Table", values: ["arn:aws:dynamodb"] }],
          },
        ],
      },
    },
  ];
  const out = [...shared];
  for (let i = 0; i < tables; i++) out.push(...tableSet(i, plan));
  return out;
}

/** A sample of what Analyze sees in a stack: the table's children and things the pack does not read. */
function analyzeSample(): AnalyzerResource[] {
  const set = tableSet(1, "urn:plan");
  return [
    ...set,
    {
      type: "aws:dynamodb/resourcePolicy:ResourcePolicy",
      urn: urn("aws:dynamodb/resourcePolicy:ResourcePolicy", "t1-policy"),
      name: "t1-policy",
      provider,
      properties: {
        resourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/table-1`,
        region: "us-east-1",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Readers",
              Effect: "Allow",
              Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/reader`] },
              Action: ["dynamodb:GetItem", "dynamodb:Query"],
              Resource: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/table-1`],
            },
          ],
        }),
      },
    },
    {
      type: "aws:s3/bucketV2:BucketV2",
      urn: "urn:pulumi:bench::bench::aws:s3/bucketV2:BucketV2::logs",
      name: "logs",
      provider,
      properties: { bucket: "logs", tags: { team: "x" } },
    },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main(): Promise<void> {
  execFileSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", path.join(PACK, "tsconfig.json")],
    { stdio: "inherit" },
  );
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

  // Start time: interleaved cold starts of both packs.
  const starts = { pack: [] as number[], floor: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    for (const [label, dir] of [
      ["floor", FLOOR],
      ["pack", PACK],
    ] as const) {
      const client = await AnalyzerClient.start(dir);
      starts[label].push(client.startMs);
      await client.close();
    }
  }

  const pack = await AnalyzerClient.start(PACK);
  const floor = await AnalyzerClient.start(FLOOR);
  const clients = { pack, floor };

  // Analyze: sequential round trips over a sample of resources, alternating between the packs call by call so
  // that load from other processes falls on both alike.
  const sample = analyzeSample();
  const perResource = { pack: [] as number[], floor: [] as number[] };
  for (const c of [pack, floor]) for (let i = 0; i < 300; i++) await c.analyze(sample[i % sample.length]);
  const calls = rounds * 800;
  for (let i = 0; i < calls; i++) {
    for (const label of i % 2 ? (["floor", "pack"] as const) : (["pack", "floor"] as const)) {
      const start = process.hrtime.bigint();
      await clients[label].analyze(sample[i % sample.length]);
      perResource[label].push(ms(start));
    }
  }

  // AnalyzeStack: 1,000 and 5,000 tables, each with a key and a backup selection; each pack call is paired with
  // the floor call next to it, and the ratio is the median of the pairs' ratios.
  const stackTimes: Record<
    number,
    { pack: number[]; floor: number[]; ratios: number[]; resources: number; findings: number }
  > = {};
  for (const tables of [1000, 5000]) {
    const resources = stack(tables);
    const bytes = pack.encodeStack(resources);
    const entry = {
      pack: [] as number[],
      floor: [] as number[],
      ratios: [] as number[],
      resources: resources.length,
      findings: 0,
    };
    for (const label of ["floor", "pack"] as const) await clients[label].analyzeStackEncoded(bytes);
    for (let i = 0; i < rounds * 2; i++) {
      const pair: Record<string, number> = {};
      for (const label of i % 2 ? (["floor", "pack"] as const) : (["pack", "floor"] as const)) {
        const start = process.hrtime.bigint();
        const result = await clients[label].analyzeStackEncoded(bytes);
        pair[label] = ms(start);
        entry[label].push(pair[label]);
        if (label === "pack") entry.findings = result.diagnostics.length;
      }
      entry.ratios.push(pair.pack / pair.floor);
    }
    stackTimes[tables] = entry;
  }
  await pack.close();
  await floor.close();

  const startPack = median(starts.pack);
  const startFloor = median(starts.floor);
  const analyzePack = median(perResource.pack);
  const analyzeFloor = median(perResource.floor);
  const rows: [string, string, string, string, string, boolean][] = [];
  rows.push([
    "start (ms)",
    startFloor.toFixed(0),
    startPack.toFixed(0),
    `${startPack >= startFloor ? "+" : "-"}${(Math.abs(startPack - startFloor) / 1000).toFixed(2)} s`,
    `<= +${GOALS.start} s`,
    startPack - startFloor <= GOALS.start * 1000,
  ]);
  rows.push([
    "Analyze per resource (ms)",
    analyzeFloor.toFixed(3),
    analyzePack.toFixed(3),
    `${(analyzePack / analyzeFloor).toFixed(2)}x`,
    `<= ${GOALS.analyze}x`,
    analyzePack / analyzeFloor <= GOALS.analyze,
  ]);
  for (const tables of [1000, 5000]) {
    const e = stackTimes[tables];
    const p = median(e.pack);
    const f = median(e.floor);
    rows.push([
      `AnalyzeStack ${tables} tables, ${e.resources} resources (ms)`,
      f.toFixed(0),
      p.toFixed(0),
      `${(p / f).toFixed(2)}x`,
      `<= ${GOALS.stack}x`,
      p / f <= GOALS.stack,
    ]);
  }
  const scaling = median(stackTimes[5000].pack) / median(stackTimes[1000].pack);
  const floorScaling = median(stackTimes[5000].floor) / median(stackTimes[1000].floor);
  rows.push([
    "AnalyzeStack 5,000 / 1,000 tables",
    `${floorScaling.toFixed(2)}x`,
    `${scaling.toFixed(2)}x`,
    "",
    `<= ${GOALS.scaling}x`,
    scaling <= GOALS.scaling,
  ]);

  const widths = [44, 10, 10, 10, 10];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 6)).join(" ");
  console.log(
    `\nmedians: start over ${rounds} cold starts each, Analyze over ${rounds * 800} alternating calls each,`,
  );
  console.log(`AnalyzeStack over ${rounds * 2} alternating calls each (ratio: median of adjacent pairs)\n`);
  console.log(line(["", "floor", "pack", "ratio", "goal", "met"]));
  for (const [label, f, p, ratio, goal, ok] of rows)
    console.log(line([label, f, p, ratio, goal, ok ? "yes" : "NO"]));
  console.log(
    `\nfindings on the 5,000-table stack: ${stackTimes[5000].findings} (expected 0: every table is hardened and covered)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
