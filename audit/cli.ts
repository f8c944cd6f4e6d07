import * as path from "path";
import { STSClient } from "@aws-sdk/client-sts";
import type { PolicyConfig } from "../preview/analyzerClient";
import { PolicyConfigError, readPolicyConfig, resolvePolicyConfig } from "../preview/policyConfig";
import { AuditSummary, AuditWriter, JsonWriter, SarifWriter, TextWriter, Writers } from "./output";
import { Pack } from "./pack";
import { GLOBAL } from "./readers/iam";
import { FOREIGN_KEYS, Gap, UnitResult, runAudit } from "./run";
import { ACCOUNT_ID, AccountRef, REGION, organizationAccounts, whoAmI } from "./scope";
import { ClientSettings, reasonOf } from "./sdk";

export const AUDIT_USAGE = `Usage: dynamodb-hardened audit [options]

Reads what is deployed (read-only, AWS SDK for JavaScript v3) and checks it with the policy pack's own rules:
tables, their keys, backups, trails, DAX clusters, autoscaling, stream consumers, VPC endpoints, Lambda
functions in a VPC with their subnets' route tables (where there are tables) and the account's IAM identity policies (once per account, reported as its "global" unit). Credentials
and region come from the standard SDK sources (environment, profile, SSO, instance role); AWS_ENDPOINT_URL is
honoured. Other accounts are read through a role assumed in each (see docs/audit.md for the role's policy).

Scope (default: the current account, every region enabled in it):
  --regions LIST            comma-separated regions to audit in every account
  --accounts LIST           comma-separated 12-digit account ids (the current account uses its own credentials)
  --organization            every active account of the AWS Organization (ListAccounts)
  --role-name NAME          role to assume in other accounts (default: dynamodb-hardened-audit)
  --external-id ID          external id the role's trust policy requires

Output (as dynamodb-hardened preview):
  --json                    print the report as JSON instead of text
  --sarif FILE              also write the findings as SARIF 2.1.0 to FILE
  --policy-pack-config FILE enforcement levels and settings, as for \`pulumi preview --policy-pack-config\`
  --fail-on-gaps            exit 2 when some account, region or service could not be read

Limits:
  --concurrency N           account-regions read at once (default 16, 1-256)
  --table-concurrency N     tables read at once in one account-region (default 8, 1-64)
  --max-attempts N          attempts per AWS call, adaptive retry on throttling (default 8, 1-20)
  -h, --help                show this help

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or nothing could be read.`;

export class AuditUsageError extends Error {}

export interface AuditCliOptions {
  regions?: string[];
  accounts?: string[];
  organization: boolean;
  roleName: string;
  externalId?: string;
  json: boolean;
  sarifFile?: string;
  configFile?: string;
  failOnGaps: boolean;
  concurrency: number;
  tableConcurrency: number;
  maxAttempts: number;
  help: boolean;
}

function list(flag: string, value: string, pattern: { test(item: string): boolean }, what: string): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !pattern.test(i));
  if (!items.length || bad.length)
    throw new AuditUsageError(`${flag} takes a comma-separated list of ${what}; got "${bad[0] ?? value}"`);
  return [...new Set(items)];
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new AuditUsageError(`${flag} takes a whole number from ${min} to ${max}; got "${value}"`);
  return n;
}

export function parseAuditArgs(argv: string[], cwd: string): AuditCliOptions {
  const o: AuditCliOptions = {
    organization: false,
    roleName: "dynamodb-hardened-audit",
    json: false,
    failOnGaps: false,
    concurrency: 16,
    tableConcurrency: 8,
    maxAttempts: 8,
    help: false,
  };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new AuditUsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") o.help = true;
    else if (a === "--json") o.json = true;
    else if (a === "--organization") o.organization = true;
    else if (a === "--fail-on-gaps") o.failOnGaps = true;
    else if (a === "--regions") o.regions = list(a, value(i++, a), REGION, "region names such as us-east-1");
    else if (a === "--accounts") o.accounts = list(a, value(i++, a), ACCOUNT_ID, "12-digit account ids");
    else if (a === "--role-name") {
      o.roleName = value(i++, a);
      if (!/^[\w+=,.@/-]{1,64}$/.test(o.roleName))
        throw new AuditUsageError(
          `--role-name takes an IAM role name (letters, digits and +=,.@_-); got "${o.roleName}"`,
        );
    } else if (a === "--external-id") {
      o.externalId = value(i++, a);
      if (!/^[\w+=,.@:/-]{2,1224}$/.test(o.externalId))
        throw new AuditUsageError(
          "--external-id takes 2 to 1224 characters among letters, digits and +=,.@:/-",
        );
    } else if (a === "--sarif") o.sarifFile = path.resolve(cwd, value(i++, a));
    else if (a === "--policy-pack-config") o.configFile = path.resolve(cwd, value(i++, a));
    else if (a === "--concurrency") o.concurrency = integer(a, value(i++, a), 1, 256);
    else if (a === "--table-concurrency") o.tableConcurrency = integer(a, value(i++, a), 1, 64);
    else if (a === "--max-attempts") o.maxAttempts = integer(a, value(i++, a), 1, 20);
    else throw new AuditUsageError(`unknown argument ${a} (see dynamodb-hardened audit --help)`);
  }
  if (o.organization && o.accounts)
    throw new AuditUsageError("--accounts and --organization exclude each other: give one");
  return o;
}

/** The region the SDK resolves the standard way (AWS_REGION, the profile's region). */
async function defaultRegion(): Promise<string> {
  const client = new STSClient({});
  try {
    return await client.config.region();
  } catch {
    throw new AuditUsageError("no AWS region configured: set AWS_REGION or a region in your AWS profile");
  } finally {
    client.destroy();
  }
}

export interface AuditIo {
  stdout: (chunk: string) => void;
  stderr: NodeJS.WriteStream | { isTTY?: boolean; write: (s: string) => unknown };
  /** Told about every AWS call (tests and the benchmark count them). */
  onCall?: ClientSettings["onCall"];
}

/** Runs `dynamodb-hardened audit`; returns the exit code. */
export async function runAuditCli(
  argv: string[],
  cwd = process.cwd(),
  io: AuditIo = { stdout: (s) => process.stdout.write(s), stderr: process.stderr },
): Promise<number> {
  const began = Date.now();
  try {
    const o = parseAuditArgs(argv, cwd);
    if (o.help) {
      io.stdout(`${AUDIT_USAGE}\n`);
      return 0;
    }
    let config: Record<string, PolicyConfig> = {};
    const pack = new Pack();
    if (o.configFile) {
      config = resolvePolicyConfig(readPolicyConfig(o.configFile), pack.info.policies);
    }
    const configured = o.configFile ? new Pack(config) : pack;
    let calls = 0;
    const settings: ClientSettings = {
      maxAttempts: o.maxAttempts,
      onCall: (service, operation) => {
        calls++;
        io.onCall?.(service, operation);
      },
    };
    const region = await defaultRegion();
    let caller;
    try {
      caller = await whoAmI(region, settings);
    } catch (e) {
      throw new AuditUsageError(
        `cannot read the current credentials (sts:GetCallerIdentity): ${reasonOf(e)}`,
      );
    }
    let accounts: AccountRef[] = [{ id: caller.account }];
    if (o.accounts) accounts = o.accounts.map((id) => ({ id }));
    if (o.organization) {
      try {
        accounts = await organizationAccounts(region, settings);
      } catch (e) {
        throw new AuditUsageError(
          `cannot list the organization's accounts (organizations:ListAccounts): ${reasonOf(e)}`,
        );
      }
    }
    const write = (line: string) => io.stdout(`${line}\n`);
    const writers: AuditWriter[] = [o.json ? new JsonWriter(io.stdout) : new TextWriter(write)];
    if (o.sarifFile) writers.push(new SarifWriter(o.sarifFile, configured.info));
    const out = new Writers(writers);
    const partition = caller.arn.split(":")[1] || "aws";
    out.start({
      pack: { name: configured.info.name, version: configured.info.version },
      caller: { account: caller.account, arn: caller.arn },
      accounts: accounts.length,
      regions: o.regions ? o.regions.join(", ") : "every enabled region",
    });
    const summary: AuditSummary = {
      accounts: accounts.length,
      accountRegions: 0,
      tables: 0,
      mandatory: 0,
      advisory: 0,
      gaps: 0,
      foreignKeys: 0,
      calls: 0,
      elapsedMs: 0,
    };
    const progress = new Progress(io.stderr);
    let readSomething = false;
    await runAudit(
      {
        caller: { account: caller.account, region, partition },
        accounts,
        regions: o.regions,
        role: { roleName: o.roleName, externalId: o.externalId, partition },
        concurrency: o.concurrency,
        tableConcurrency: o.tableConcurrency,
        settings,
        pack: configured,
      },
      {
        unit: (r: UnitResult) => {
          // The account-wide unit (identity policies) is not an account-region: tables are read in regions.
          const regional = r.region !== GLOBAL;
          if (regional) summary.accountRegions++;
          summary.tables += r.counts.tables ?? 0;
          summary.gaps += r.gaps.length;
          summary.foreignKeys += r.counts[FOREIGN_KEYS] ?? 0;
          if (regional && !r.gaps.some((g) => g.what === "region")) readSomething = true;
          for (const d of r.diagnostics) {
            if (d.enforcementLevel === "mandatory") summary.mandatory++;
            else if (d.enforcementLevel === "advisory") summary.advisory++;
          }
          progress.clear();
          out.unit(r);
        },
        gap: (g: Gap) => {
          summary.gaps++;
          progress.clear();
          out.gap(g);
        },
        progress: (s) =>
          progress.show(
            `accounts ${s.accountsDone}/${accounts.length} · regions ${s.unitsDone}/${s.unitsKnown} · tables ${s.tables} · calls ${calls}`,
          ),
      },
    );
    progress.clear();
    summary.calls = calls;
    summary.elapsedMs = Date.now() - began;
    out.finish(summary);
    if (!readSomething) {
      io.stderr.write("error: nothing in scope could be read (see the gaps above)\n");
      return 2;
    }
    if (summary.mandatory) return 1;
    return o.failOnGaps && summary.gaps ? 2 : 0;
  } catch (e) {
    if (e instanceof AuditUsageError || e instanceof PolicyConfigError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`);
    return 2;
  }
}

/** One redrawn line on a terminal, at most ten times a second; nothing when stderr is not a terminal. */
class Progress {
  private last = 0;
  private shown = false;
  constructor(private readonly stream: AuditIo["stderr"]) {}
  show(text: string): void {
    if (!this.stream.isTTY || Date.now() - this.last < 100) return;
    this.last = Date.now();
    this.stream.write(`\r\x1b[K${text}`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }
}
