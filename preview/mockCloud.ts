import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { availabilityZones } from "./mockZones";
import { policyDocument } from "./mockPolicyDocument";
import { dnsSuffixOf, partitionOf } from "../components/shared/partitions";

/** The account a provider deploys into when nothing says otherwise. */
export const DEFAULT_ACCOUNT_ID = "111111111111";

/** The answer to an invoke the mock cloud cannot know offline: the SDK makes its result unknown. */
export const UNKNOWN_INVOKE: Record<string, unknown> = Object.freeze({});

type Bag = Record<string, unknown>;

function providerRegion(inputs: Bag | undefined): string | undefined {
  const region = inputs?.region;
  return typeof region === "string" ? region : undefined;
}

/** Providers serialize nested inputs as JSON strings. */
function nested(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The account a provider deploys into: its allowed account, else the account of the role it assumes. */
function providerAccount(inputs: Bag | undefined): string | undefined {
  const allowed = nested(inputs?.allowedAccountIds);
  if (Array.isArray(allowed) && typeof allowed[0] === "string") return allowed[0];
  const roles = nested(inputs?.assumeRoles ?? inputs?.assumeRole);
  const role = (Array.isArray(roles) ? roles[0] : roles) as Bag | undefined;
  const arn = typeof role?.roleArn === "string" ? role.roleArn : undefined;
  const account = arn?.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** A DynamoDB table the mock cloud holds in one region: the table itself or one of its replicas. */
interface MockTable {
  arn: string;
  streamArn?: string;
}

// The tables of each recording, keyed by the recording's provider map (one per recording): `getTable`
// finds a table, or a replica, only once the program created it, as DescribeTable does.
const tablesByRecording = new WeakMap<Map<string, Bag>, Map<string, MockTable>>();

function tablesOf(providers: Map<string, Bag> | undefined): Map<string, MockTable> | undefined {
  if (!providers) return undefined;
  let tables = tablesByRecording.get(providers);
  if (!tables) tablesByRecording.set(providers, (tables = new Map()));
  return tables;
}

const STREAM_LABEL = "2026-01-01T00:00:00.000";

function mockTable(region: string, accountId: string, name: string, stream: boolean): MockTable {
  const arn = `arn:${partitionOf(region)}:dynamodb:${region}:${accountId}:table/${name}`;
  return { arn, streamArn: stream ? `${arn}/stream/${STREAM_LABEL}` : undefined };
}

function providerName(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const urn = ref.split("::").slice(0, -1).join("::");
  return urn.split("::").pop();
}

/**
 * The answers of the common AWS lookups: caller identity (per provider), region, partition,
 * availability zones and IAM policy documents. In a preview, every other invoke is unknown (the SDK
 * turns it into unknown outputs, or `{}` for the promise form); outside a preview it is `{}`.
 */
export function mockCall(
  args: MockCallArgs,
  config: Record<string, string>,
  providers: Map<string, Bag>,
  preview = false,
): Record<string, unknown> {
  const provider = providers.get(providerName(args.provider) ?? "");
  const region =
    (typeof args.inputs?.region === "string" ? args.inputs.region : undefined) ??
    providerRegion(provider) ??
    config["aws:region"] ??
    "us-east-1";
  const accountId = providerAccount(provider) ?? DEFAULT_ACCOUNT_ID;
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId,
        arn: `arn:${partitionOf(region)}:iam::${accountId}:role/deployer`,
        userId: "AROAEXAMPLE:deployer",
        id: accountId,
      };
    case "aws:index/getRegion:getRegion":
      return {
        name: region,
        region,
        id: region,
        endpoint: `dynamodb.${region}.${dnsSuffixOf(region)}`,
        description: region,
      };
    case "aws:index/getPartition:getPartition":
      // The region's partition from the AWS SDK's data, so a stack in cn-north-1 sees arn:aws-cn:.
      return {
        partition: partitionOf(region),
        dnsSuffix: dnsSuffixOf(region),
        id: partitionOf(region),
        reverseDnsPrefix: dnsSuffixOf(region).split(".").reverse().join("."),
      };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return availabilityZones(region, args.inputs ?? {});
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return policyDocument(args.inputs ?? {});
    case "aws:dynamodb/getTable:getTable": {
      const name = String(args.inputs?.name ?? "");
      const table = preview ? undefined : tablesOf(providers)?.get(`${region}/${name}`);
      if (!table) return preview ? UNKNOWN_INVOKE : {};
      return { id: name, name, region, arn: table.arn, streamArn: table.streamArn ?? "" };
    }
    default:
      return preview ? UNKNOWN_INVOKE : {};
  }
}

/** A stable stand-in for the engine's random auto-name suffix. */
function autonameSuffix(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(7, "0").slice(0, 7);
}

/** A stable hex string of `length` digits derived from `name`, for AWS-shaped IDs. */
function hexFrom(name: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += autonameSuffix(`${name}#${i}`);
  return out.slice(0, length);
}

/** Names S3 gives a bucket: the `bucket` input, else the engine's auto-name. */
function bucketName(args: MockResourceArgs): string {
  return String(args.inputs.bucket ?? `${args.name}-${autonameSuffix(args.name)}`);
}

function arnFor(args: MockResourceArgs, region: string, accountId: string): string | undefined {
  const partition = partitionOf(region);
  const name = String(args.inputs.name ?? `${args.name}-${autonameSuffix(args.name)}`);
  switch (args.type) {
    case "aws:dynamodb/table:Table":
      return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
    case "aws:kms/key:Key":
    case "aws:kms/replicaKey:ReplicaKey":
      return `arn:${partition}:kms:${region}:${accountId}:key/mrk-${args.name}`;
    case "aws:iam/role:Role":
      return `arn:${partition}:iam::${accountId}:role/${name}`;
    case "aws:iam/policy:Policy":
      return `arn:${partition}:iam::${accountId}:policy/${name}`;
    case "aws:sqs/queue:Queue":
      return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
    case "aws:backup/vault:Vault":
      return `arn:${partition}:backup:${region}:${accountId}:backup-vault:${name}`;
    case "aws:backup/plan:Plan":
      return `arn:${partition}:backup:${region}:${accountId}:backup-plan:${args.name}`;
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      return `arn:${partition}:s3:::${bucketName(args)}`;
    case "aws:cloudtrail/trail:Trail":
      return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${name}`;
    case "aws:dax/cluster:Cluster":
      return `arn:${partition}:dax:${region}:${accountId}:cache/${String(args.inputs.clusterName ?? args.name)}`;
    case "aws:lambda/eventSourceMapping:EventSourceMapping":
      return `arn:${partition}:lambda:${region}:${accountId}:event-source-mapping:${args.name}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
    case "aws:sns/topic:Topic":
      return `arn:${partition}:sns:${region}:${accountId}:${name}`;
    case "aws:organizations/policy:Policy":
      return `arn:${partition}:organizations::${accountId}:policy/o-example/${args.name}`;
    default:
      return undefined;
  }
}

/**
 * The state the mock cloud returns for a new resource. In preview mode nothing is created, so only
 * the inputs come back and every computed output (id, ARN, stream ARN) stays unknown, as in
 * `pulumi preview`. Otherwise ids and ARNs are made up from the inputs, region and account.
 */
export function mockResourceState(
  args: MockResourceArgs,
  preview: boolean,
  providers?: Map<string, Bag>,
): { id: string | undefined; state: Record<string, unknown> } {
  // Auto-naming happens in the engine, before the program sees outputs, so a name is known even in a preview.
  const named = "name" in args.inputs ? {} : { name: `${args.name}-${autonameSuffix(args.name)}` };
  if (preview) return { id: undefined, state: { ...args.inputs, ...named } };
  // A resource lands in its provider's account and region, as `mockCall` answers for invokes.
  const provider = providers?.get(providerName(args.provider) ?? "");
  const region =
    typeof args.inputs.region === "string" ? args.inputs.region : (providerRegion(provider) ?? "us-east-1");
  const accountId = providerAccount(provider) ?? DEFAULT_ACCOUNT_ID;
  const state: Record<string, unknown> = { ...args.inputs, ...named };
  const arn = arnFor(args, region, accountId);
  if (arn) state.arn = arn;
  if (args.type === "aws:dynamodb/table:Table") {
    const name = String(state.name);
    if (args.inputs.streamEnabled) {
      state.streamArn = `arn:${partitionOf(region)}:dynamodb:${region}:${accountId}:table/${name}/stream/${STREAM_LABEL}`;
      state.streamLabel = STREAM_LABEL;
    }
    const tables = tablesOf(providers);
    tables?.set(`${region}/${name}`, mockTable(region, accountId, name, !!args.inputs.streamEnabled));
    if (Array.isArray(args.inputs.replicas)) {
      state.replicas = (args.inputs.replicas as Bag[]).map((r) => {
        const replica = mockTable(String(r.regionName), accountId, name, true);
        tables?.set(`${String(r.regionName)}/${name}`, replica);
        return { ...r, ...replica };
      });
    }
  }
  if (args.type === "aws:dynamodb/tableReplica:TableReplica") {
    // A replica is the global table's name in the replica's region, with a stream of its own.
    const global = String(args.inputs.globalTableArn ?? "");
    const name = global.split(":table/")[1] ?? "";
    const main = tablesOf(providers)?.get(`${global.split(":")[3]}/${name}`);
    const replica = mockTable(region, accountId, name, !!main?.streamArn);
    tablesOf(providers)?.set(`${region}/${name}`, replica);
    state.arn = replica.arn;
  }
  if (args.type === "aws:kms/key:Key" || args.type === "aws:kms/replicaKey:ReplicaKey") {
    state.keyId = `mrk-${args.name}`;
  }
  if (args.type === "aws:sqs/queue:Queue") {
    state.url = `https://sqs.${region}.amazonaws.com/${accountId}/${String(state.name)}`;
  }
  if (args.type === "aws:iam/role:Role") state.uniqueId = `AROA${args.name.toUpperCase().slice(0, 16)}`;
  // Resources whose IDs are checked for their AWS shape get IDs of that shape.
  if (args.type === "aws:ec2/vpcEndpoint:VpcEndpoint") {
    state.prefixListId = `pl-${hexFrom(args.name, 8)}`;
    return { id: `vpce-${hexFrom(args.name, 17)}`, state };
  }
  if (args.type === "aws:ec2/securityGroup:SecurityGroup")
    return { id: `sg-${hexFrom(args.name, 17)}`, state };
  if (args.type === "aws:s3/bucket:Bucket") {
    state.bucket = bucketName(args);
    return { id: String(state.bucket), state };
  }
  if (args.type === "aws:dax/cluster:Cluster") {
    const cluster = String(args.inputs.clusterName ?? args.name);
    state.clusterAddress = `${cluster}.${hexFrom(args.name, 6)}.dax-clusters.${region}.amazonaws.com`;
    state.port = args.inputs.clusterEndpointEncryptionType === "TLS" ? 9111 : 8111;
  }
  return { id: `${args.name}-id`, state };
}
