import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { BackupClient } from "@aws-sdk/client-backup";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { DAXClient } from "@aws-sdk/client-dax";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { LambdaClient } from "@aws-sdk/client-lambda";
import type { Diagnostic } from "../preview/analyzerClient";
import { practiceOf } from "./findings";
import { Limiter, mapLimited } from "./limit";
import { Pack, PackResource } from "./pack";
import { readScaling } from "./readers/autoscaling";
import { readPlans, readVaults } from "./readers/backup";
import { TrailDetail, trailDetail, trailsOf } from "./readers/cloudtrail";
import { readClusters } from "./readers/dax";
import { legacyGlobalTables, readTable, tableNames, TableRead } from "./readers/dynamodb";
import { dynamoDbEndpoints, subnetRoutes } from "./readers/ec2";
import { GLOBAL, documentHolders, readIdentityPolicies } from "./readers/iam";
import { KeyManagers, KeyRead } from "./readers/kms";
import { streamMappings, vpcFunctions } from "./readers/lambda";
import {
  Place,
  daxResource,
  endpointResource,
  keyResource,
  legacyGlobalTableResource,
  mappingResource,
  planResources,
  scalingResources,
  tableKeyArn,
  tableResources,
  trailResource,
  vaultPartResources,
  vaultResource,
  functionResource,
  subnetRouteResource,
} from "./resources";
import { AccountRef, RoleSettings, assumedRole, regionsOf } from "./scope";
import { ClientSettings, Target, errorCode, isDenied, makeClient, reasonOf } from "./sdk";

/** Something the audit could not read: reported with the practices it leaves unchecked, never skipped silently. */
export interface Gap {
  account: string;
  region?: string;
  /** `account` (no credentials), `region` (nothing read there), or the service call that failed. */
  what: string;
  reason: string;
  /** Practices not checked (in full) because of it. */
  practices: number[];
  /** How many resources it concerns, when it is a per-resource call. */
  count?: number;
}

export interface UnitResult {
  account: string;
  accountName?: string;
  region: string;
  counts: Record<string, number>;
  diagnostics: Diagnostic[];
  gaps: Gap[];
}

export interface AuditOptions {
  caller: { account: string; region: string; partition: string };
  accounts: AccountRef[];
  /** Regions to audit in every account; undefined: each account's enabled regions. */
  regions?: string[];
  role: RoleSettings;
  /** Account-regions audited at once. */
  concurrency: number;
  /** Tables read at once within one account-region. */
  tableConcurrency: number;
  settings: ClientSettings;
  pack: Pack;
}

export interface AuditEvents {
  unit(result: UnitResult): void;
  gap(gap: Gap): void;
  /** Progress: an account-region started or finished, tables read so far. */
  progress?(state: { unitsDone: number; unitsKnown: number; tables: number; accountsDone: number }): void;
}

const ALL_PRACTICES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Practices whose stack-level findings depend on each region-wide read (a failed read must not become a finding). */
const CONTEXT_PRACTICES: Record<string, number[]> = {
  "backup plans": [9],
  "backup vaults": [9],
  "cloudtrail trails": [6],
  "dax clusters": [8],
  "application-autoscaling targets": [10],
  "lambda event source mappings": [11],
  "ec2 vpc endpoints": [5],
  "dynamodb global tables (2017)": [12],
};

/** Resources read with another (a selection with its plan, a vault's lock, policy and key): not counted apart. */
const PARTS = new Set([
  "aws:backup/selection:Selection",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  "aws:backup/vaultPolicy:VaultPolicy",
  "aws:kms/key:Key",
  "aws:kms/replicaKey:ReplicaKey",
  "aws:kms/externalKey:ExternalKey",
]);

/** Trail details are per account (a multi-Region trail shows in every region): read once, from its home region. */
class AccountCache {
  private readonly trails = new Map<string, Promise<TrailDetail | Error>>();

  constructor(
    private readonly target: (region: string) => Target,
    private readonly settings: ClientSettings,
  ) {}

  trail(arn: string, homeRegion: string): Promise<TrailDetail | Error> {
    let detail = this.trails.get(arn);
    if (!detail) {
      const client = makeClient(CloudTrailClient, this.target(homeRegion), this.settings);
      detail = trailDetail(client, arn)
        .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
        .finally(() => client.destroy());
      this.trails.set(arn, detail);
    }
    return detail;
  }
}

/** Audits every account and region in scope; results stream to `events` as each account-region finishes. */
export async function runAudit(options: AuditOptions, events: AuditEvents): Promise<void> {
  const units = new Limiter(options.concurrency);
  const state = { unitsDone: 0, unitsKnown: 0, tables: 0, accountsDone: 0 };
  const tick = () => events.progress?.(state);
  await mapLimited(options.accounts, Math.max(1, Math.min(8, options.concurrency)), async (account) => {
    const own = account.id === options.caller.account;
    const credentials = own
      ? undefined
      : assumedRole(account.id, options.role, options.caller.region, options.settings);
    const target = (region: string): Target => ({ region, credentials });
    if (!own) {
      // Assume the role before anything else: an unreachable account is one gap, not one per region.
      try {
        await credentials!();
      } catch (e) {
        events.gap({
          account: account.id,
          what: "account",
          reason: `cannot assume the audit role: ${reasonOf(e)}`,
          practices: ALL_PRACTICES,
        });
        state.accountsDone++;
        tick();
        return;
      }
    }
    let regions = options.regions;
    if (!regions) {
      try {
        regions = await regionsOf(target(options.caller.region), options.settings);
      } catch (e) {
        regions = [options.caller.region];
        events.gap({
          account: account.id,
          what: "ec2:DescribeRegions",
          reason: `${reasonOf(e)}; only ${options.caller.region} was audited in this account (give --regions to choose)`,
          practices: [],
        });
      }
    }
    state.unitsKnown += regions.length;
    tick();
    const cache = new AccountCache(target, options.settings);
    const identity = readIdentity(account.id, target(options.caller.region), options);
    await Promise.all(
      regions.map((region) =>
        units.run(async () => {
          const result = await auditRegion(
            { account: account.id, region },
            account.name,
            target(region),
            cache,
            identity.then((read) => (read instanceof Error ? [] : documentHolders(read.resources))),
            options,
            (n) => {
              state.tables += n;
              tick();
            },
          );
          state.unitsDone++;
          events.unit(result);
          tick();
        }),
      ),
    );
    // The account-wide unit comes after the account's regions: its policies were judged once, for all of them.
    events.unit(identityUnit({ account: account.id, region: GLOBAL }, account.name, await identity, options));
    state.accountsDone++;
    tick();
  });
}

/** The account's identity policies (IAM is global): read once, from the caller's region (its partition). */
async function readIdentity(account: string, target: Target, options: AuditOptions) {
  const client = makeClient(IAMClient, target, options.settings);
  try {
    return await readIdentityPolicies(client, account);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  } finally {
    client.destroy();
  }
}

/** The account-wide unit: the per-resource findings on identity policies, or the gap when IAM could not be read. */
function identityUnit(
  place: Place,
  accountName: string | undefined,
  read: Awaited<ReturnType<typeof readIdentity>>,
  options: AuditOptions,
): UnitResult {
  if (read instanceof Error) {
    return {
      ...place,
      accountName,
      counts: {},
      diagnostics: [],
      gaps: [
        {
          ...place,
          what: "IAM identity policies (iam:GetAccountAuthorizationDetails)",
          reason: `${reasonOf(read)}; practice 4 is not checked on roles, users, groups and their policies`,
          practices: [4],
        },
      ],
    };
  }
  const own = new Set(read.resources.map((r) => r.urn));
  // Stack findings need tables: they come out in each region, with the tables they concern.
  const diagnostics = options.pack
    .evaluate(read.resources)
    .filter((d) => own.has(d.urn) && !options.pack.stackPolicies.has(d.policyName));
  return { ...place, accountName, counts: read.counts, diagnostics, gaps: [] };
}

interface Clients {
  dynamodb: DynamoDBClient;
  kms: KMSClient;
  backup: BackupClient;
  cloudtrail: CloudTrailClient;
  dax: DAXClient;
  scaling: ApplicationAutoScalingClient;
  lambda: LambdaClient;
  ec2: EC2Client;
}

function clientsFor(target: Target, settings: ClientSettings): Clients {
  return {
    dynamodb: makeClient(DynamoDBClient, target, settings),
    kms: makeClient(KMSClient, target, settings),
    backup: makeClient(BackupClient, target, settings),
    cloudtrail: makeClient(CloudTrailClient, target, settings),
    dax: makeClient(DAXClient, target, settings),
    scaling: makeClient(ApplicationAutoScalingClient, target, settings),
    lambda: makeClient(LambdaClient, target, settings),
    ec2: makeClient(EC2Client, target, settings),
  };
}

/** Failed per-resource calls of one region, grouped by call and error code. */
class FailureTally {
  private readonly byKey = new Map<
    string,
    { what: string; reason: string; practices: number[]; count: number }
  >();

  add(what: string, e: unknown, practices: number[]): void {
    const key = `${what}|${errorCode(e)}`;
    const entry = this.byKey.get(key);
    if (entry) entry.count++;
    else this.byKey.set(key, { what, reason: reasonOf(e), practices, count: 1 });
  }

  gaps(place: Place): Gap[] {
    return [...this.byKey.values()].map((v) => ({ account: place.account, region: place.region, ...v }));
  }
}

/** The count of keys in another account: read as far as their account lets the audit role (refusals are not gaps). */
export const FOREIGN_KEYS = "keys in another account";

/**
 * The keys of one account-region as the pack sees them: each key read once (KeyManagers), noted once (its failed
 * calls as gaps, a key in another account counted), and its resource handed to the pack once.
 */
class RegionKeys {
  private readonly noted = new Map<string, PackResource | undefined>();
  /** Keys already in the region's context (vault keys): tables relate to them there. */
  readonly inContext = new Set<string>();

  constructor(
    readonly keys: KeyManagers,
    private readonly place: Place,
    readonly tally: FailureTally,
    private readonly counts: Record<string, number>,
  ) {}

  /** The key's read, and its resource (customer-managed keys only) the first time it is seen. */
  async use(
    arn: string,
    practices: number[],
  ): Promise<{ read: KeyRead; resource?: PackResource; first: boolean }> {
    const read = await this.keys.read(arn);
    if (this.noted.has(arn)) return { read, resource: this.noted.get(arn), first: false };
    const resource = keyResource(this.place, read);
    this.noted.set(arn, resource);
    // No rule reads key policies yet: a refused GetKeyPolicy leaves no practice unchecked.
    for (const f of read.failures)
      this.tally.add(f.call, f.error, f.call === "kms:GetKeyPolicy" ? [] : practices);
    if (read.foreign) this.counts[FOREIGN_KEYS] = (this.counts[FOREIGN_KEYS] ?? 0) + 1;
    return { read, resource, first: true };
  }

  isKey(urn: string): boolean {
    return this.noted.has(urn);
  }
}

async function auditRegion(
  place: Place,
  accountName: string | undefined,
  target: Target,
  cache: AccountCache,
  identityPolicies: Promise<PackResource[]>,
  options: AuditOptions,
  onTables: (n: number) => void,
): Promise<UnitResult> {
  const clients = clientsFor(target, options.settings);
  const gaps: Gap[] = [];
  const counts: Record<string, number> = { tables: 0 };
  const diagnostics: Diagnostic[] = [];
  const tally = new FailureTally();
  const keys = new RegionKeys(new KeyManagers(clients.kms, place.account), place, tally, counts);
  // A finding on a key (rotation) comes with the first table that uses it; later batches repeat it: kept once.
  const keyFindings = new Set<string>();
  // Identity policies are judged on their own once per account (the account-wide unit); here only the stack
  // checks relate them to this region's tables (tenant isolation), each finding kept once.
  const identityFindings = new Set<string>();
  try {
    let context = await readContext(place, clients, cache, keys, gaps, counts);
    if (gaps.some((g) => g.what === "region")) return { ...place, accountName, counts, diagnostics, gaps };
    // VPC compute matters only next to tables (practice 5's gateway endpoint): read with the first tables.
    let compute: Set<string> | undefined;
    const computeFindings = new Set<string>();
    const unchecked = new Set(gaps.flatMap((g) => g.practices));
    // A stack-level finding that needs a read that failed (no backup selection seen, no trail seen) is not kept.
    const keep = (d: Diagnostic) =>
      !(options.pack.stackPolicies.has(d.policyName) && unchecked.has(practiceOf(d) ?? 0));
    diagnostics.push(...options.pack.evaluate(context).filter(keep));
    const identity = await identityPolicies;
    const identityUrns = new Set(identity.map((r) => r.urn));
    const judged = (r: PackResource) => !identityUrns.has(r.urn);
    try {
      for await (const names of tableNames(clients.dynamodb)) {
        const reads = await mapLimited(names, options.tableConcurrency, async (name) => {
          try {
            return await readTable(clients.dynamodb, name);
          } catch (e) {
            tally.add("dynamodb:DescribeTable", e, [1, 2, 3, 4, 6, 7, 9, 10, 11, 12]);
            return undefined;
          }
        });
        if (!compute && reads.some((r) => r)) {
          const read = await readCompute(place, clients, gaps, counts);
          compute = new Set(read.map((r) => r.urn));
          context = [...context, ...read];
          for (const g of gaps) for (const p of g.practices) unchecked.add(p);
        }
        const batch: PackResource[] = [];
        for (const read of reads) {
          if (!read) continue;
          counts.tables++;
          noteTableFailures(read, tally);
          const keyArn = tableKeyArn(read);
          const key = keyArn ? await keys.use(keyArn, [1]) : undefined;
          batch.push(...tableResources(place, read, key?.read.manager, key?.resource?.urn));
          if (key?.first && key.resource && !keys.inContext.has(key.resource.urn)) batch.push(key.resource);
        }
        onTables(names.length);
        if (!batch.length) continue;
        const own = new Set(batch.map((r) => r.urn));
        // Findings on the batch's resources, and the pack's grouped findings that name several of them (those
        // carry no resource: they are located at the account-region).
        for (const d of options.pack.evaluate([...context, ...identity, ...batch], judged)) {
          if (!keep(d)) continue;
          if (identityUrns.has(d.urn)) {
            const id = `${d.policyName}|${d.urn}|${d.message}`;
            if (!identityFindings.has(id)) diagnostics.push(d);
            identityFindings.add(id);
          } else if (keys.isKey(d.urn)) {
            const id = `${d.policyName}|${d.urn}|${d.message}`;
            if (!keyFindings.has(id)) diagnostics.push(d);
            keyFindings.add(id);
          } else if (compute?.has(d.urn)) {
            const id = `${d.policyName}|${d.urn}|${d.message}`;
            if (!computeFindings.has(id)) diagnostics.push(d);
            computeFindings.add(id);
          } else if (own.has(d.urn)) diagnostics.push(d);
          else if (!d.urn) diagnostics.push({ ...d, urn: regionLocation(place) });
        }
      }
    } catch (e) {
      gaps.push({
        account: place.account,
        region: place.region,
        what: counts.tables ? "dynamodb:ListTables (stopped part-way)" : "dynamodb:ListTables",
        reason: reasonOf(e),
        practices: [1, 2, 3, 4, 6, 7, 9, 10, 11, 12],
      });
    }
    gaps.push(...tally.gaps(place));
    return { ...place, accountName, counts, diagnostics, gaps };
  } finally {
    for (const c of Object.values(clients)) c.destroy();
  }
}

/**
 * Lambda functions in a VPC and their subnets' route tables (practice 5's gateway endpoint). A failed read is a
 * gap for practice 5: its stack findings are then not kept. ECS services, EC2 instances and Auto Scaling groups
 * are not read.
 */
async function readCompute(
  place: Place,
  c: Clients,
  gaps: Gap[],
  counts: Record<string, number>,
): Promise<PackResource[]> {
  const gap = (what: string, e: unknown) =>
    gaps.push({ account: place.account, region: place.region, what, reason: reasonOf(e), practices: [5] });
  let functions;
  try {
    functions = await vpcFunctions(c.lambda);
  } catch (e) {
    gap("lambda:ListFunctions", e);
    return [];
  }
  counts["lambda functions in a VPC"] = functions.length;
  if (!functions.length) return [];
  const subnets = new Map<string, string | undefined>();
  for (const f of functions) for (const s of f.subnets) subnets.set(s, f.vpcId);
  try {
    const routes = await subnetRoutes(c.ec2, subnets);
    return [
      ...functions.map((f) => functionResource(place, f)),
      ...routes.map((r) => subnetRouteResource(place, r)),
    ];
  } catch (e) {
    gap("ec2:DescribeRouteTables", e);
    return functions.map((f) => functionResource(place, f));
  }
}

/** Where a finding about the whole account-region is located (the pack's "stack"). */
export function regionLocation(place: Place): string {
  return `aws://${place.account}/${place.region}`;
}

function noteTableFailures(read: TableRead, tally: FailureTally): void {
  if (read.backups instanceof Error) tally.add("dynamodb:DescribeContinuousBackups", read.backups, [2]);
  if (read.tags instanceof Error) tally.add("dynamodb:ListTagsOfResource", read.tags, [9]);
  if (read.policy instanceof Error) tally.add("dynamodb:GetResourcePolicy (table)", read.policy, [4, 7]);
  if (read.streamPolicy instanceof Error)
    tally.add("dynamodb:GetResourcePolicy (stream)", read.streamPolicy, [11]);
}

/**
 * The region-wide resources the rules relate tables to (backup, trails, autoscaling, consumers, endpoints) and
 * the ones they check on their own (DAX, vaults, 2017 global tables). Each read fails on its own.
 */
async function readContext(
  place: Place,
  c: Clients,
  cache: AccountCache,
  keys: RegionKeys,
  gaps: Gap[],
  counts: Record<string, number>,
): Promise<PackResource[]> {
  const out: PackResource[] = [];
  const failures: { what: string; error: unknown }[] = [];
  const policyFailures: Error[] = [];
  const read = async (what: string, task: () => Promise<PackResource[]>) => {
    try {
      const resources = await task();
      out.push(...resources);
      counts[what] = resources.filter((r) => !PARTS.has(r.type)).length;
    } catch (e) {
      failures.push({ what, error: e });
    }
  };
  await Promise.all([
    read("backup plans", async () => (await readPlans(c.backup)).flatMap((p) => planResources(place, p))),
    read("backup vaults", async () => {
      const vaults = await readVaults(c.backup);
      const out: PackResource[] = [];
      for (const v of vaults) {
        const arn = v.vault.EncryptionKeyArn;
        const key = arn ? await keys.use(arn, [9]) : undefined;
        out.push(vaultResource(place, v.vault, key?.read.manager), ...vaultPartResources(place, v));
        if (key?.first && key.resource) {
          out.push(key.resource);
          keys.inContext.add(key.resource.urn);
        }
        if (v.policy instanceof Error) policyFailures.push(v.policy);
      }
      return out;
    }),
    read("cloudtrail trails", async () =>
      Promise.all(
        (await trailsOf(c.cloudtrail, place.region)).map(async (t) =>
          trailResource(place, t, await cache.trail(t.TrailARN!, t.HomeRegion ?? place.region)),
        ),
      ),
    ),
    read("dax clusters", async () => (await readClusters(c.dax)).map((x) => daxResource(place, x))),
    read("application-autoscaling targets", async () => {
      const { targets, policies } = await readScaling(c.scaling);
      return scalingResources(place, targets, policies);
    }),
    read("lambda event source mappings", async () =>
      (await streamMappings(c.lambda)).map((m) => mappingResource(place, m)),
    ),
    read("ec2 vpc endpoints", async () =>
      (await dynamoDbEndpoints(c.ec2, place.region)).map((e) => endpointResource(place, e)),
    ),
    read("dynamodb global tables (2017)", async () =>
      (await legacyGlobalTables(c.dynamodb)).map((g) => legacyGlobalTableResource(place, g)),
    ),
  ]);
  // Every read failing for credentials means the region itself is closed (an opt-in region, an SCP, bad keys).
  if (failures.length === 8 && failures.every((f) => isDenied(f.error))) {
    gaps.push({
      account: place.account,
      region: place.region,
      what: "region",
      reason: reasonOf(failures.find((f) => f.what.startsWith("dynamodb"))?.error ?? failures[0].error),
      practices: ALL_PRACTICES,
    });
    return [];
  }
  for (const f of failures.sort((a, b) => a.what.localeCompare(b.what))) {
    gaps.push({
      account: place.account,
      region: place.region,
      what: f.what,
      reason: reasonOf(f.error),
      practices: CONTEXT_PRACTICES[f.what] ?? [],
    });
  }
  // No rule of the pack reads vault access policies yet: a refused read leaves no practice unchecked.
  for (const e of policyFailures) keys.tally.add("backup:GetBackupVaultAccessPolicy", e, []);
  for (const r of out) {
    if (r.type !== "aws:cloudtrail/trail:Trail" || typeof r.props.eventSelectors === "object") continue;
    gaps.push({
      account: place.account,
      region: place.region,
      what: `cloudtrail:GetEventSelectors ${r.name}`,
      reason: "the trail's selectors or status could not be read; tables it may cover are not flagged",
      practices: [6],
    });
  }
  return out;
}
