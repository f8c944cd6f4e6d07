/**
 * `npm run bench:pack-worst`: AnalyzeStack on 10,000-resource stacks of hostile shapes, against 10,000 plain
 * tables measured in the same run (the baseline), and pathological wildcard patterns that backtracking matchers
 * never finish. Every call runs in a fresh pack process with a time limit: a call over the limit is reported
 * as such and its process is stopped.
 *
 * Shapes (10,000 resources each):
 * - plain: 10,000 hardened tables (the baseline).
 * - wildcard-selections: 5,000 tables, 5,000 AWS Backup selections with distinct wildcard ARNs matching none.
 * - tag-selections: 5,000 tables, 5,000 selections by StringLike tag conditions matching none.
 * - wildcard-trails: 5,000 tables, 5,000 trails whose data resources are wildcard ARNs matching none.
 * - tenant-policies: 5,000 multi-tenant tables, 5,000 role policies on wildcard table ARNs matching none.
 * - same-name: 10,000 multi-tenant tables all named alike (one name bucket holding everything).
 * - same-scaling-key: 5,000 provisioned tables, 5,000 scaling targets on one resource ID.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { AnalyzerClient, AnalyzerResource } from "../preview/analyzerClient";

const PACK = path.join(__dirname, "..", "policypack");
/** Optional: another build of the pack (say, main's) measured call for call beside this one. */
const BASELINE = process.env.BENCH_BASELINE_PACK;
const ACCOUNT = "111111111111";
const LIMIT_MS = Number(process.env.BENCH_LIMIT_MS ?? 120000);

const provider = {
  type: "pulumi:providers:aws",
  urn: "urn:pulumi:bench::bench::pulumi:providers:aws::default",
  name: "default",
  properties: { region: "us-east-1" },
};

const urn = (type: string, name: string) => `urn:pulumi:bench::bench::${type}::${name}`;

function table(name: string, extra: Record<string, unknown> = {}, tags: Record<string, string> = {}) {
  const type = "aws:dynamodb/table:Table";
  return {
    type,
    urn: urn(type, name),
    name,
    provider,
    properties: {
      name,
      region: "us-east-1",
      hashKey: "id",
      attributes: [{ name: "id", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      serverSideEncryption: {
        enabled: true,
        kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
      tags: { backup: "required", ...tags },
      ...extra,
    },
  } satisfies AnalyzerResource;
}

function selection(i: number, properties: Record<string, unknown>): AnalyzerResource {
  const type = "aws:backup/selection:Selection";
  return {
    type,
    urn: urn(type, `s${i}`),
    name: `s${i}`,
    provider,
    properties: {
      name: `s${i}`,
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
      planId: "plan",
      region: "us-east-1",
      ...properties,
    },
  };
}

function trail(i: number, values: string[]): AnalyzerResource {
  const type = "aws:cloudtrail/trail:Trail";
  return {
    type,
    urn: urn(type, `trail${i}`),
    name: `trail${i}`,
    provider,
    properties: {
      s3BucketName: "logs",
      isMultiRegionTrail: true,
      eventSelectors: [{ readWriteType: "All", dataResources: [{ type: "AWS::DynamoDB::Table", values }] }],
    },
  };
}

function rolePolicy(i: number, resource: string): AnalyzerResource {
  const type = "aws:iam/rolePolicy:RolePolicy";
  return {
    type,
    urn: urn(type, `p${i}`),
    name: `p${i}`,
    provider,
    properties: {
      role: "app",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [resource] }],
      }),
    },
  };
}

function scalingTarget(i: number): AnalyzerResource {
  const type = "aws:appautoscaling/target:Target";
  return {
    type,
    urn: urn(type, `target${i}`),
    name: `target${i}`,
    provider,
    properties: {
      serviceNamespace: "dynamodb",
      resourceId: "table/shared",
      scalableDimension: "dynamodb:table:ReadCapacityUnits",
      minCapacity: 1,
      maxCapacity: 10,
      region: "us-east-1",
    },
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const TENANT = { "dynamodb-hardened:multi-tenant": "true" };

export const SHAPES: Record<string, () => AnalyzerResource[]> = {
  plain: () => range(10000).map((i) => table(`t${i}`)),
  "wildcard-selections": () => [
    ...range(5000).map((i) => table(`t${i}`)),
    ...range(5000).map((i) =>
      selection(i, { resources: [`arn:aws:dynamodb:us-east-1:*:table/none-${i}-*`] }),
    ),
  ],
  "tag-selections": () => [
    ...range(5000).map((i) => table(`t${i}`)),
    ...range(5000).map((i) =>
      selection(i, {
        resources: ["*"],
        conditions: [{ stringLikes: [{ key: "aws:ResourceTag/team", value: `none-${i}-*` }] }],
      }),
    ),
  ],
  "wildcard-trails": () => [
    ...range(5000).map((i) => table(`t${i}`)),
    ...range(5000).map((i) => trail(i, [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/none-${i}-*`])),
  ],
  "tenant-policies": () => [
    ...range(5000).map((i) => table(`t${i}`, {}, TENANT)),
    ...range(5000).map((i) => rolePolicy(i, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/none-${i}-*`)),
  ],
  "same-name": () =>
    range(10000).map((i) => ({ ...table(`t${i}`, { name: "shared" }, TENANT), urn: urn("t", `t${i}`) })),
  "same-scaling-key": () => [
    ...range(5000).map((i) =>
      table(`t${i}`, { billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 }),
    ),
    ...range(5000).map(scalingTarget),
  ],
};

/** A table named `a` x 40 and a selection whose pattern has `groups` `*a` groups before a final `b`. */
export function pathologicalStack(groups: number): AnalyzerResource[] {
  const pattern = `arn:aws:dynamodb:us-east-1:*:table/${"*a".repeat(groups)}*b`;
  return [table("a".repeat(40)), selection(0, { resources: [pattern] })];
}

interface Timed {
  ms?: number;
  findings?: number;
  error?: string;
}

async function timed<T>(
  prepare: (client: AnalyzerClient) => Promise<T>,
  call: (client: AnalyzerClient, prepared: T) => Promise<number>,
  pack = PACK,
): Promise<Timed> {
  const client = await AnalyzerClient.start(pack);
  try {
    const prepared = await prepare(client);
    const start = process.hrtime.bigint();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<"timeout">(
      (resolve) => (timer = setTimeout(() => resolve("timeout"), LIMIT_MS)),
    );
    const outcome = await Promise.race([call(client, prepared), limit]).catch((e: Error) => ({
      error: e.message,
    }));
    clearTimeout(timer);
    if (outcome === "timeout") return { error: `no answer within ${LIMIT_MS / 1000} s` };
    if (typeof outcome === "object") return outcome;
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, findings: outcome };
  } finally {
    await client.close();
  }
}

const show = (t: Timed) => (t.ms !== undefined ? `${(t.ms / 1000).toFixed(2)} s` : (t.error ?? "?"));

type Measure = (pack: string) => Promise<Timed>;

const stackCall =
  (resources: AnalyzerResource[]): Measure =>
  (pack) =>
    timed(
      // Encoded up front: the time is the pack's (decode, policies, response), not this client's encoder.
      async (c) => c.encodeStack(resources),
      async (c, bytes) => (await c.analyzeStackEncoded(bytes)).diagnostics.length,
      pack,
    );

const exemptionCall =
  (name: string): Measure =>
  (pack) =>
    timed(
      (c) =>
        c.configure({
          "dynamodb-point-in-time-recovery": {
            enforcementLevel: "mandatory",
            exemptions: [{ name, reason: "bench", expires: "2999-01-01" }],
          },
        }),
      // PITR off, so that there is a finding for the exemption to be checked against.
      async (c) =>
        (await c.analyze(table("a".repeat(40), { pointInTimeRecovery: { enabled: false } }))).diagnostics
          .length,
      pack,
    );

function compileAll(): void {
  for (const dir of BASELINE ? [BASELINE, PACK] : [PACK])
    execFileSync(
      process.execPath,
      [require.resolve("typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json")],
      {
        stdio: "inherit",
      },
    );
}

async function main(): Promise<void> {
  compileAll();
  const only = process.env.BENCH_SHAPES?.split(",");
  const rows: [string, Measure][] = [];
  for (const [name, build] of Object.entries(SHAPES)) {
    if (!only || only.includes(name))
      rows.push([`AnalyzeStack ${name} (10,000 resources)`, stackCall(build())]);
  }
  for (const groups of [4, 6, 8, 10, 20])
    rows.push([`AnalyzeStack pattern with ${groups} "*a" groups`, stackCall(pathologicalStack(groups))]);
  for (const groups of [4, 8, 10, 20])
    rows.push([`Analyze, exemption name with ${groups} groups`, exemptionCall(`${"*a".repeat(groups)}*b`)]);

  console.log(`${"".padEnd(52)} ${BASELINE ? "baseline".padEnd(22) : ""}this pack`);
  let plain: { base?: number; pack?: number } = {};
  for (const [label, measure] of rows) {
    const base = BASELINE ? await measure(BASELINE) : undefined;
    const mine = await measure(PACK);
    if (label.includes(" plain ")) plain = { base: base?.ms, pack: mine.ms };
    const cell = (t: Timed | undefined, ref?: number) =>
      t
        ? `${show(t)}${ref && t.ms && label.startsWith("AnalyzeStack ") && !label.includes("pattern") ? ` (${(t.ms / ref).toFixed(2)}x plain)` : ""}`
        : "";
    console.log(
      `${label.padEnd(52)} ${BASELINE ? cell(base, plain.base).padEnd(22) : ""}${cell(mine, plain.pack)}`,
    );
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
