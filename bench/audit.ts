/**
 * Benchmark of `dynamodb-hardened audit` over an organization served by a local AWS endpoint with per-call
 * latency: a baseline organization and one ten times larger, measured in the same run. Reports wall time, AWS
 * calls per table (calls the audit starts, and requests the endpoint answered, retries included) and peak
 * memory: memory must stay flat as the number of tables grows tenfold.
 *
 *   npm run bench:audit                      200 accounts x 4 regions x 50 tables, baseline 20 accounts
 *   npm run bench:audit -- --accounts 50     a smaller run
 */
import { fork } from "child_process";
import { runAuditCli } from "../audit/cli";
import { Estate, IamSpec, RegionSpec, accessKeyFor, startFakeAws } from "../tests/audit/fakeAws";
import { CALLER, hardenedRegion, hardenedTable } from "../tests/audit/estate";

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];
const TABLES = 50;
const LATENCY_MS = 25;

function accountId(i: number): string {
  return i === 0 ? CALLER : String(200000000000 + i);
}

/** A region of 50 tables: most hardened, some without PITR, deletion protection, a CMK or a stream consumer bound. */
function regionOf(account: string, region: string): RegionSpec {
  const tables = Array.from({ length: TABLES }, (_, i) =>
    hardenedTable(account, region, `table-${String(i).padStart(3, "0")}`, (t) => {
      if (i % 10 === 1) t.pitr = { enabled: false };
      if (i % 10 === 2) t.table.DeletionProtectionEnabled = false;
      if (i % 10 === 3) delete t.table.SSEDescription;
      if (i % 10 === 4) {
        t.table.StreamSpecification = { StreamEnabled: true, StreamViewType: "NEW_IMAGE" };
        t.table.LatestStreamArn = `${String(t.table.TableArn)}/stream/2024-01-01T00:00:00.000`;
      }
      if (i % 10 === 5)
        t.policy = JSON.stringify({
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:role/app` },
              Action: ["dynamodb:GetItem"],
              Resource: String(t.table.TableArn),
            },
          ],
        });
    }),
  );
  const spec = hardenedRegion(account, region, tables);
  // Lambda functions, a few in a VPC (one subnet with its own route table, one on the main route table), and a
  // gateway endpoint routing only the first: practice 5 reads ListFunctions and DescribeRouteTables.
  spec.functions = Array.from({ length: 20 }, (_, i) => ({
    FunctionName: `fn-${i}`,
    FunctionArn: `arn:aws:lambda:${region}:${account}:function:fn-${i}`,
    Runtime: "nodejs22.x",
    ...(i < 4
      ? {
          VpcConfig: {
            SubnetIds: [i % 2 ? "subnet-a" : "subnet-b"],
            SecurityGroupIds: ["sg-1"],
            VpcId: "vpc-1",
          },
        }
      : {}),
  }));
  spec.routeTables = [
    { id: "rtb-a", vpcId: "vpc-1", subnets: ["subnet-a"] },
    { id: "rtb-main", vpcId: "vpc-1", main: true },
  ];
  spec.endpoints = [
    {
      id: "vpce-ddb",
      type: "Gateway",
      service: `com.amazonaws.${region}.dynamodb`,
      routeTableIds: ["rtb-a"],
      policy: JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: "*",
            Action: ["dynamodb:GetItem"],
            Resource: [`arn:aws:dynamodb:${region}:${account}:table/table-000`],
          },
        ],
      }),
    },
  ];
  return spec;
}

function estateOf(accounts: number): Estate {
  const cache = new Map<string, RegionSpec>();
  return {
    organization: Array.from({ length: accounts }, (_, i) => ({ id: accountId(i), name: `account-${i}` })),
    regions: () => REGIONS,
    region: (account, region) => {
      const key = `${account}/${region}`;
      let spec = cache.get(key);
      if (!spec) {
        spec = regionOf(account, region);
        if (cache.size > 256) cache.delete(cache.keys().next().value!);
        cache.set(key, spec);
      }
      return spec;
    },
    assumable: () => true,
    iam: iamOf,
  };
}

/** Each account's IAM: a role per table group on named tables, one on AmazonDynamoDBFullAccess, and noise. */
function iamOf(account: string): IamSpec {
  const named = (i: number) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
          Resource: REGIONS.map(
            (r) => `arn:aws:dynamodb:${r}:${account}:table/table-${String(i).padStart(3, "0")}`,
          ),
        },
      ],
    });
  const logs = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }],
  });
  return {
    roles: [
      ...Array.from({ length: 20 }, (_, i) => ({ name: `app-${i}`, inline: { data: named(i), logs } })),
      { name: "ops", attached: ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"] },
    ],
    users: [{ name: "ci", attached: [`arn:aws:iam::${account}:policy/deploy`] }],
    policies: { deploy: named(0) },
  };
}

/** The endpoint runs in its own process, so the audit's memory and CPU are measured alone. */
async function serve(accounts: number): Promise<void> {
  const fake = await startFakeAws(estateOf(accounts), { latencyMs: LATENCY_MS });
  process.send!({ url: fake.url });
  process.on("message", (m: { type: string }) => {
    if (m.type === "requests") process.send!({ requests: Object.fromEntries(fake.requests) });
  });
}

interface Measure {
  accounts: number;
  tables: number;
  wallS: number;
  calls: number;
  requests: number;
  callsPerTable: number;
  requestsPerTable: number;
  peakRssMb: number;
  peakHeapMb: number;
  findings: number;
  gaps: number;
  exit: number;
}

async function measure(accounts: number): Promise<Measure> {
  const child = fork(__filename, ["--serve", String(accounts)], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
  });
  const url = await new Promise<string>((resolve) =>
    child.once("message", (m: { url: string }) => resolve(m.url)),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: accessKeyFor(CALLER),
    AWS_SECRET_ACCESS_KEY: "bench",
  });
  global.gc?.();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 50);
  let calls = 0;
  let bytes = 0;
  let tail = "";
  const began = Date.now();
  const exit = await runAuditCli(["--organization", "--json"], process.cwd(), {
    stdout: (s) => {
      bytes += s.length;
      tail = (tail + s).slice(-2000);
    },
    stderr: { isTTY: false, write: () => true },
    onCall: () => calls++,
  });
  const wallS = (Date.now() - began) / 1000;
  clearInterval(timer);
  sample();
  child.send({ type: "requests" });
  const counted = await new Promise<Record<string, number>>((resolve) =>
    child.once("message", (m: { requests: Record<string, number> }) => resolve(m.requests)),
  );
  child.kill();
  const summary = JSON.parse(tail.slice(tail.lastIndexOf('"summary":') + 10, -2)) as {
    tables: number;
    mandatory: number;
    advisory: number;
    gaps: number;
  };
  const requests = Object.values(counted).reduce((a, b) => a + b, 0);
  void bytes;
  return {
    accounts,
    tables: summary.tables,
    wallS,
    calls,
    requests,
    callsPerTable: calls / summary.tables,
    requestsPerTable: requests / summary.tables,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    findings: summary.mandatory + summary.advisory,
    gaps: summary.gaps,
    exit,
  };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--accounts");
  const accounts = i > 0 ? Number(process.argv[i + 1]) : 200;
  // At least 5 accounts (20 account-regions): the baseline must keep all 16 account-regions busy, as the run does.
  const baseline = Math.max(5, Math.round(accounts / 10));
  console.log(
    `audit benchmark: ${REGIONS.length} regions x ${TABLES} tables per account, ${LATENCY_MS} ms per call; baseline ${baseline} accounts, run ${accounts} accounts`,
  );
  const rows = [await measure(baseline), await measure(accounts)];
  for (const r of rows) {
    console.log(
      `${String(r.accounts).padStart(4)} accounts  ${String(r.tables).padStart(6)} tables  ${r.wallS.toFixed(1).padStart(6)} s  ` +
        `${r.callsPerTable.toFixed(2)} calls/table (${r.requestsPerTable.toFixed(2)} requests/table)  ` +
        `peak RSS ${r.peakRssMb.toFixed(0)} MB, heap ${r.peakHeapMb.toFixed(0)} MB  ${r.findings} findings, ${r.gaps} gaps, exit ${r.exit}`,
    );
  }
  const [a, b] = rows;
  console.log(
    `ratios (run / baseline): tables x${(b.tables / a.tables).toFixed(1)}, wall x${(b.wallS / a.wallS).toFixed(2)}, peak heap x${(b.peakHeapMb / a.peakHeapMb).toFixed(2)}, peak RSS x${(b.peakRssMb / a.peakRssMb).toFixed(2)}`,
  );
}

if (process.argv[2] === "--serve") void serve(Number(process.argv[3]));
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
