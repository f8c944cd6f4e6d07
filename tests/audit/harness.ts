import { runAuditCli } from "../../audit/cli";
import { Estate, FakeAws, accessKeyFor, startFakeAws } from "./fakeAws";
import { CALLER } from "./estate";

export interface AuditRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Requests the endpoint answered (retries included). */
  requests: Map<string, number>;
  /** Calls the audit started, as `Service:Operation`. */
  calls: string[];
}

const ENV = [
  "AWS_ENDPOINT_URL",
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
];

/** Runs `dynamodb-hardened audit ARGS` against a local endpoint serving `estate`, credentials and region from the environment. */
export async function auditAgainst(estate: Estate, args: string[], caller = CALLER): Promise<AuditRun> {
  const fake: FakeAws = await startFakeAws(estate);
  const saved = ENV.map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: accessKeyFor(caller),
    AWS_SECRET_ACCESS_KEY: "test-secret",
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  let stdout = "";
  let stderr = "";
  const calls: string[] = [];
  try {
    const code = await runAuditCli(args, process.cwd(), {
      stdout: (s) => (stdout += s),
      stderr: { isTTY: false, write: (s: string) => (stderr += s) },
      onCall: (service, operation) => calls.push(`${service}:${operation}`),
    });
    return { code, stdout, stderr, requests: fake.requests, calls };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fake.close();
  }
}

export interface JsonFinding {
  policyName: string;
  enforcementLevel: string;
  resource: string;
  practice: number;
  securityHub: string[];
  finding: string;
  fix: string;
  message: string;
}

export interface JsonReport {
  units: {
    account: string;
    region: string;
    counts: Record<string, number>;
    findings: JsonFinding[];
    gaps: { what: string; practices: number[]; reason: string }[];
  }[];
  gaps: { account: string; what: string; reason: string }[];
  summary: { tables: number; mandatory: number; advisory: number; gaps: number; calls: number };
}

export function findingsOf(report: JsonReport, resourceSuffix: string): JsonFinding[] {
  return report.units.flatMap((u) => u.findings).filter((f) => f.resource.endsWith(resourceSuffix));
}
