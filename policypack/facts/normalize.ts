import { isAwsManagedKeyRef, keyRegion, parseArn, parseDynamoDbArn } from "./arn";
import { ABSENT_DOC, PolicyDoc, known, policyDoc } from "./iam";
import { managedAttachments } from "./attachments";
import { computeSubnets, endpointRouteTables, routeAssociation } from "./network";
import {
  AdvancedSelector,
  CapacityScope,
  ComputeFacts,
  DaxFacts,
  EmbeddedPolicy,
  EndpointFacts,
  EventSourceMappingFacts,
  Facts,
  FieldTest,
  GsiFacts,
  IdentityPolicyFacts,
  RouteAssociationFacts,
  KeyFacts,
  KeyState,
  Placement,
  PlanFacts,
  Provider,
  ResourcePolicyFacts,
  ScalingPolicyFacts,
  ScalingTargetFacts,
  SelectionCondition,
  SelectionFacts,
  Subject,
  TableCopy,
  TableFacts,
  TrailFacts,
  VaultFacts,
} from "./model";
import {
  Bag,
  Maybe,
  Tri,
  UNKNOWN,
  arr,
  at,
  bool,
  jsonDoc,
  num,
  obj,
  str,
  strList,
  tagsOf,
  triOf,
} from "./value";

/** A resource as a policy sees it: type token, names, raw property bag, and its provider's raw bag. */
export interface RawResource {
  type: string;
  urn: string;
  name: string;
  props: Bag;
  providerProps?: Bag;
}

/** Reads one resource type's property bag into the facts of its kind. Never throws on malformed input. */
export type Normalizer<F extends Facts = Facts> = (r: RawResource) => F;

/** Tags are read when a rule or an exemption asks (most resources pass, and never need them). */
class LazySubject implements Subject {
  private read?: { tags: Map<string, Maybe<string>>; unknown: boolean };

  constructor(
    readonly urn: string,
    readonly name: string,
    readonly type: string,
    private readonly source: () => { tags: Map<string, Maybe<string>>; unknown: boolean },
  ) {}

  get tags(): Map<string, Maybe<string>> {
    return (this.read ??= this.source()).tags;
  }

  get tagsUnknown(): boolean {
    return (this.read ??= this.source()).unknown;
  }
}

function subject(r: RawResource, tagsKey = "tags"): Subject {
  const raw = r.props[tagsKey];
  return new LazySubject(r.urn, r.name, r.type, () => tagsOf(raw));
}

/** Nested provider settings arrive as JSON strings on the wire; accept both shapes. */
function nested(value: unknown): unknown {
  const s = str(value);
  if (typeof s === "string" && (s.startsWith("[") || s.startsWith("{"))) return jsonDoc(s);
  return value;
}

function providerAccount(p: Bag | undefined): Maybe<string> {
  if (!p) return undefined;
  const allowed = strList(nested(p.allowedAccountIds));
  if (Array.isArray(allowed) && allowed.length === 1) return allowed[0];
  const roles = arr(nested(p.assumeRoles));
  const role = Array.isArray(roles) ? obj(roles[0]) : obj(nested(p.assumeRole));
  const roleArn = str(at(role === UNKNOWN ? undefined : role, "roleArn"));
  if (roleArn === UNKNOWN) return UNKNOWN;
  const arn = typeof roleArn === "string" ? parseArn(roleArn) : undefined;
  return arn && /^\d{12}$/.test(arn.account) ? arn.account : undefined;
}

/** Region and account of a resource: its own `region`, else its provider's; the account from the provider. */
export function placement(r: RawResource): Placement {
  const own = str(r.props.region);
  const region = own !== undefined && own !== "" ? own : str(r.providerProps?.region);
  return { region: region === "" ? undefined : region, account: providerAccount(r.providerProps) };
}

// ---------------------------------------------------------------------------------------------
// Keys

function keyFromRef(ref: Maybe<string>, absent: KeyState): KeyState {
  if (ref === UNKNOWN) return { kind: "unknown" };
  if (ref === undefined || ref.trim() === "") return absent;
  if (isAwsManagedKeyRef(ref)) return { kind: "aws-managed", ref };
  return { kind: "customer", ref, region: keyRegion(ref) };
}

function classicTableKey(sse: unknown): KeyState {
  const s = obj(sse);
  if (s === UNKNOWN) return { kind: "undecided" };
  if (!s) return { kind: "aws-owned" };
  const enabled = bool(s.enabled);
  const ref = str(s.kmsKeyArn);
  if (enabled === UNKNOWN)
    return ref === undefined ? { kind: "undecided" } : keyFromRef(ref, { kind: "undecided" });
  if (enabled !== true) return { kind: "aws-owned" };
  return keyFromRef(ref, { kind: "aws-managed" });
}

function nativeSseEnabled(sse: unknown): Maybe<boolean> {
  const s = obj(sse);
  if (s === UNKNOWN) return UNKNOWN;
  if (!s) return false;
  return bool(s.sseEnabled) ?? false;
}

function nativeTableKey(sse: unknown): KeyState {
  const enabled = nativeSseEnabled(sse);
  const ref = str(at(obj(sse), "kmsMasterKeyId"));
  if (enabled === UNKNOWN)
    return ref === undefined ? { kind: "undecided" } : keyFromRef(ref, { kind: "undecided" });
  if (!enabled) return { kind: "aws-owned" };
  return keyFromRef(ref, { kind: "aws-managed" });
}

/** A replica's key when the replica names none: it inherits the table's AWS-owned key, or gets the AWS-managed key. */
function replicaDefault(table: KeyState): KeyState {
  if (table.kind === "aws-owned" || table.kind === "undecided") return table;
  return { kind: "aws-managed" };
}

// ---------------------------------------------------------------------------------------------
// Tables

function pitrOf(spec: unknown, enabledKey: string): { pitr: Tri; days: Maybe<number> } {
  const s = obj(spec);
  if (s === UNKNOWN) return { pitr: "unknown", days: UNKNOWN };
  if (!s) return { pitr: "no", days: undefined };
  return { pitr: triOf(bool(s[enabledKey])), days: num(s.recoveryPeriodInDays) };
}

function upper(value: Maybe<string>): Maybe<string> {
  return typeof value === "string" ? value.toUpperCase() : value;
}

function provisionedOf(billingMode: unknown): Tri {
  const mode = upper(str(billingMode));
  if (mode === UNKNOWN) return "unknown";
  return mode === undefined || mode === "PROVISIONED" ? "yes" : "no";
}

function readWrite(label: string, index?: Maybe<string>): CapacityScope[] {
  return [
    { label, index, dimension: "read" },
    { label, index, dimension: "write" },
  ];
}

function gsiScopes(list: unknown, nameKey: string): CapacityScope[] {
  const gsis = arr(list);
  if (!Array.isArray(gsis)) return [];
  const scopes: CapacityScope[] = [];
  for (const item of gsis) {
    const gsi = obj(item);
    const name = str(at(gsi, nameKey));
    scopes.push(...readWrite(`index ${typeof name === "string" ? name : "(unknown name)"}`, name));
  }
  return scopes;
}

function embedded(label: string, path: string, stream: boolean, holder: unknown): EmbeddedPolicy[] {
  const h = obj(holder);
  if (h === UNKNOWN) return [{ label, path, stream, doc: policyDoc(UNKNOWN) }];
  if (!h || h.policyDocument === undefined) return [];
  return [{ label, path, stream, doc: policyDoc(h.policyDocument) }];
}

export function awsTable(r: RawResource): TableFacts {
  const p = r.props;
  const place = placement(r);
  const tableKey = classicTableKey(p.serverSideEncryption);
  const { pitr, days } = pitrOf(p.pointInTimeRecovery, "enabled");
  const copies: TableCopy[] = [
    {
      label: "table",
      role: "table",
      region: place.region,
      key: tableKey,
      keyPath: "serverSideEncryption",
      pitr,
      pitrDays: days,
      pitrPath: "pointInTimeRecovery.enabled",
      deletionProtection: triOf(bool(p.deletionProtectionEnabled)),
      deletionProtectionPath: "deletionProtectionEnabled",
    },
  ];
  const replicas = arr(p.replicas);
  if (Array.isArray(replicas)) {
    replicas.forEach((item, i) => {
      const replica = obj(item);
      const region = str(at(replica, "regionName"));
      const key = str(at(replica, "kmsKeyArn"));
      copies.push({
        label: `replica ${typeof region === "string" ? region : `#${i + 1}`}`,
        role: "replica",
        region,
        key: key === undefined ? replicaDefault(tableKey) : keyFromRef(key, replicaDefault(tableKey)),
        keyPath: `replicas[${i}].kmsKeyArn`,
        pitr: triOf(bool(at(replica, "pointInTimeRecovery"))),
        pitrDays: undefined,
        pitrPath: `replicas[${i}].pointInTimeRecovery`,
        deletionProtection: triOf(bool(at(replica, "deletionProtectionEnabled"))),
        deletionProtectionPath: `replicas[${i}].deletionProtectionEnabled`,
      });
    });
  }
  const provisioned = provisionedOf(p.billingMode);
  return {
    kind: "table",
    subject: subject(r),
    provider: "aws",
    shape: "table",
    placement: place,
    physicalName: str(p.name),
    copies,
    provisioned,
    capacity:
      provisioned === "no" ? [] : [...readWrite("table"), ...gsiScopes(p.globalSecondaryIndexes, "name")],
    streamEnabled: triOf(bool(p.streamEnabled)),
    streamViewType: upper(str(p.streamViewType)),
    streamViewPath: "streamViewType",
    inlineReplicas: replicas === UNKNOWN ? UNKNOWN : Array.isArray(replicas) ? replicas.length : 0,
    embeddedPolicies: [],
  };
}

export function awsTableReplica(r: RawResource): TableFacts {
  const p = r.props;
  const place = placement(r);
  return {
    kind: "table",
    subject: subject(r),
    provider: "aws",
    shape: "replica",
    placement: place,
    physicalName: undefined,
    copies: [
      {
        label: `replica ${typeof place.region === "string" ? place.region : "(provider region)"}`,
        role: "replica",
        region: place.region,
        // Without a key the replica takes its table's default: AWS-owned, or alias/aws/dynamodb (the table decides).
        key: keyFromRef(str(p.kmsKeyArn), { kind: "table-default" }),
        keyPath: "kmsKeyArn",
        pitr: triOf(bool(p.pointInTimeRecovery)),
        pitrDays: undefined,
        pitrPath: "pointInTimeRecovery",
        deletionProtection: triOf(bool(p.deletionProtectionEnabled)),
        deletionProtectionPath: "deletionProtectionEnabled",
      },
    ],
    provisioned: "no",
    capacity: [],
    streamEnabled: "no",
    streamViewType: undefined,
    streamViewPath: "",
    inlineReplicas: 0,
    replicaOf: str(p.globalTableArn),
    embeddedPolicies: [],
  };
}

export function awsLegacyGlobalTable(r: RawResource): TableFacts {
  return {
    kind: "table",
    subject: subject(r),
    provider: "aws",
    shape: "legacy-global",
    placement: placement(r),
    physicalName: str(r.props.name),
    copies: [],
    provisioned: "no",
    capacity: [],
    streamEnabled: "no",
    streamViewType: undefined,
    streamViewPath: "",
    inlineReplicas: 0,
    embeddedPolicies: [],
  };
}

export function nativeTable(r: RawResource): TableFacts {
  const p = r.props;
  const place = placement(r);
  const { pitr, days } = pitrOf(p.pointInTimeRecoverySpecification, "pointInTimeRecoveryEnabled");
  const stream = obj(p.streamSpecification);
  const viewType = stream === UNKNOWN ? UNKNOWN : upper(str(at(stream, "streamViewType")));
  const provisioned = provisionedOf(p.billingMode);
  return {
    kind: "table",
    subject: subject(r),
    provider: "aws-native",
    shape: "table",
    placement: place,
    physicalName: str(p.tableName),
    copies: [
      {
        label: "table",
        role: "table",
        region: place.region,
        key: nativeTableKey(p.sseSpecification),
        keyPath: "sseSpecification",
        pitr,
        pitrDays: days,
        pitrPath: "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled",
        deletionProtection: triOf(bool(p.deletionProtectionEnabled)),
        deletionProtectionPath: "deletionProtectionEnabled",
      },
    ],
    provisioned,
    capacity:
      provisioned === "no"
        ? []
        : [...readWrite("table"), ...gsiScopes(p.globalSecondaryIndexes, "indexName")],
    streamEnabled: stream === UNKNOWN ? "unknown" : stream ? "yes" : "no",
    streamViewType: viewType,
    streamViewPath: "streamSpecification.streamViewType",
    inlineReplicas: 0,
    embeddedPolicies: [
      ...embedded("table policy", "resourcePolicy", false, p.resourcePolicy),
      ...embedded("stream policy", "streamSpecification.resourcePolicy", true, at(stream, "resourcePolicy")),
    ],
  };
}

function autoscaled(settings: unknown, key: string): Tri {
  const s = obj(settings);
  if (s === UNKNOWN) return "unknown";
  const scaling = obj(at(s, key));
  if (scaling === UNKNOWN) return "unknown";
  return scaling ? "yes" : "no";
}

/** A global table's tags are set per replica: the home region's replica first, then the others. */
function globalTableSubject(r: RawResource, replicas: Maybe<unknown[]>, home: Maybe<string>): Subject {
  return new LazySubject(r.urn, r.name, r.type, () => {
    const own = tagsOf(r.props.tags);
    if (replicas === UNKNOWN) return { tags: own.tags, unknown: true };
    let unknown = own.unknown;
    const list = (replicas ?? []).map((x) => obj(x));
    list.sort((a, b) => Number(str(at(b, "region")) === home) - Number(str(at(a, "region")) === home));
    for (const replica of list) {
      const { tags, unknown: replicaUnknown } = tagsOf(at(replica, "tags"));
      for (const [k, v] of tags) if (!own.tags.has(k)) own.tags.set(k, v);
      if (replicaUnknown || replica === UNKNOWN) unknown = true;
    }
    return { tags: own.tags, unknown };
  });
}

export function nativeGlobalTable(r: RawResource): TableFacts {
  const p = r.props;
  const place = placement(r);
  const sse = p.sseSpecification;
  const sseEnabled = nativeSseEnabled(sse);
  const tableLevel: KeyState =
    sseEnabled === UNKNOWN
      ? { kind: "undecided" }
      : sseEnabled
        ? { kind: "aws-managed" }
        : { kind: "aws-owned" };
  const replicas = arr(p.replicas);
  const copies: TableCopy[] = [];
  const capacity: CapacityScope[] = [];
  const policies: EmbeddedPolicy[] = [];
  const provisioned = provisionedOf(p.billingMode);
  const gsis = arr(p.globalSecondaryIndexes);
  if (provisioned !== "no") {
    capacity.push({
      label: "table",
      dimension: "write",
      autoscaled: autoscaled(p.writeProvisionedThroughputSettings, "writeCapacityAutoScalingSettings"),
    });
    for (const item of Array.isArray(gsis) ? gsis : []) {
      const gsi = obj(item);
      const name = str(at(gsi, "indexName"));
      capacity.push({
        label: `index ${typeof name === "string" ? name : "(unknown name)"}`,
        index: name,
        dimension: "write",
        autoscaled: autoscaled(
          at(gsi, "writeProvisionedThroughputSettings"),
          "writeCapacityAutoScalingSettings",
        ),
      });
    }
  }
  if (Array.isArray(replicas)) {
    replicas.forEach((item, i) => {
      const replica = obj(item);
      const region = str(at(replica, "region"));
      const label = `replica ${typeof region === "string" ? region : `#${i + 1}`}`;
      const keyId = str(at(obj(at(replica, "sseSpecification")), "kmsMasterKeyId"));
      const { pitr, days } = pitrOf(
        at(replica, "pointInTimeRecoverySpecification"),
        "pointInTimeRecoveryEnabled",
      );
      copies.push({
        label,
        role: region === place.region && typeof region === "string" ? "table" : "replica",
        region,
        key: tableLevel.kind === "aws-managed" ? keyFromRef(keyId, tableLevel) : tableLevel,
        keyPath: `replicas[${i}].sseSpecification.kmsMasterKeyId`,
        pitr,
        pitrDays: days,
        pitrPath: `replicas[${i}].pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled`,
        deletionProtection: triOf(bool(at(replica, "deletionProtectionEnabled"))),
        deletionProtectionPath: `replicas[${i}].deletionProtectionEnabled`,
      });
      policies.push(
        ...embedded(
          `${label} table policy`,
          `replicas[${i}].resourcePolicy`,
          false,
          at(replica, "resourcePolicy"),
        ),
      );
      policies.push(
        ...embedded(
          `${label} stream policy`,
          `replicas[${i}].replicaStreamSpecification.resourcePolicy`,
          true,
          at(obj(at(replica, "replicaStreamSpecification")), "resourcePolicy"),
        ),
      );
      if (provisioned !== "no") {
        capacity.push({
          label,
          dimension: "read",
          autoscaled: autoscaled(
            at(replica, "readProvisionedThroughputSettings"),
            "readCapacityAutoScalingSettings",
          ),
        });
        const replicaGsis = arr(at(replica, "globalSecondaryIndexes"));
        for (const g of Array.isArray(gsis) ? gsis : []) {
          const name = str(at(obj(g), "indexName"));
          const own = Array.isArray(replicaGsis)
            ? replicaGsis.map(obj).find((x) => str(at(x, "indexName")) === name)
            : undefined;
          capacity.push({
            label: `${label} index ${typeof name === "string" ? name : "(unknown name)"}`,
            index: name,
            dimension: "read",
            autoscaled:
              replicaGsis === UNKNOWN || own === UNKNOWN
                ? "unknown"
                : autoscaled(at(own, "readProvisionedThroughputSettings"), "readCapacityAutoScalingSettings"),
          });
        }
      }
    });
  }
  const stream = obj(p.streamSpecification);
  return {
    kind: "table",
    subject: globalTableSubject(r, replicas, place.region),
    provider: "aws-native",
    shape: "table",
    placement: place,
    physicalName: str(p.tableName),
    copies,
    provisioned,
    capacity,
    streamEnabled: stream === UNKNOWN ? "unknown" : stream ? "yes" : "no",
    streamViewType: stream === UNKNOWN ? UNKNOWN : upper(str(at(stream, "streamViewType"))),
    streamViewPath: "streamSpecification.streamViewType",
    inlineReplicas:
      replicas === UNKNOWN ? UNKNOWN : Array.isArray(replicas) ? Math.max(0, replicas.length - 1) : 0,
    embeddedPolicies: policies,
  };
}

export function awsGsi(r: RawResource): GsiFacts {
  const p = r.props;
  const throughput = obj(p.provisionedThroughput);
  return {
    kind: "gsi",
    subject: subject(r),
    placement: placement(r),
    tableName: str(p.tableName),
    indexName: str(p.indexName),
    provisioned:
      throughput === UNKNOWN ? "unknown" : throughput ? "yes" : obj(p.onDemandThroughput) ? "no" : "unknown",
  };
}

// ---------------------------------------------------------------------------------------------
// Policies

export function resourcePolicy(r: RawResource): ResourcePolicyFacts {
  const resourceArn = str(r.props.resourceArn);
  const doc = policyDoc(r.props.policy);
  let target: "table" | "stream" | "unknown" = "unknown";
  const parsed = typeof resourceArn === "string" ? parseDynamoDbArn(resourceArn) : undefined;
  if (parsed) target = parsed.kind === "stream" ? "stream" : "table";
  else {
    const resources = doc.statements.flatMap((s) => known(s.resources));
    if (resources.some((x) => x.includes("/stream/"))) target = "stream";
    else if (resources.some((x) => parseDynamoDbArn(x))) target = "table";
  }
  return { kind: "resource-policy", subject: subject(r), placement: placement(r), resourceArn, target, doc };
}

export function single(key: string): Normalizer<IdentityPolicyFacts> {
  return (r) => ({
    kind: "identity-policy",
    subject: subject(r),
    docs: [{ label: "policy", path: key, doc: policyDoc(r.props[key]) }],
    managedPolicies: [],
  });
}

/** Resources that only attach managed policies by ARN. */
export function attachment(r: RawResource): IdentityPolicyFacts {
  return {
    kind: "identity-policy",
    subject: subject(r),
    docs: [],
    managedPolicies: managedAttachments(r.type, r.props),
  };
}

/** Subnet-to-route-table and endpoint-to-route-table associations. */
export function association(of: "subnet" | "endpoint", memberKey: string): Normalizer<RouteAssociationFacts> {
  return (r) => routeAssociation(of, memberKey)(r, subject(r));
}

export function inlineList(
  listKey: string,
  docKey: string,
  nameKey: string,
): Normalizer<IdentityPolicyFacts> {
  return (r) => {
    const list = arr(r.props[listKey]);
    const docs: { label: string; path: string; doc: PolicyDoc }[] = [];
    if (list === UNKNOWN) docs.push({ label: listKey, path: listKey, doc: policyDoc(UNKNOWN) });
    (Array.isArray(list) ? list : []).forEach((item, i) => {
      const entry = obj(item);
      const name = str(at(entry, nameKey));
      const raw = at(entry, docKey);
      if (raw === undefined) return;
      docs.push({
        label: `inline policy ${typeof name === "string" ? `"${name}"` : `#${i + 1}`}`,
        path: `${listKey}[${i}].${docKey}`,
        doc: policyDoc(raw),
      });
    });
    return {
      kind: "identity-policy",
      subject: subject(r),
      docs,
      managedPolicies: managedAttachments(r.type, r.props),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Other resources

export function dax(r: RawResource): DaxFacts {
  const sse = obj(r.props.serverSideEncryption);
  const tls = upper(str(r.props.clusterEndpointEncryptionType));
  return {
    kind: "dax",
    subject: subject(r),
    encryptedAtRest: sse === UNKNOWN ? "unknown" : triOf(bool(at(sse, "enabled"))),
    tls: tls === UNKNOWN ? "unknown" : tls === "TLS" ? "yes" : "no",
  };
}

const DYNAMODB_SERVICE = /^(cn\.)?com\.amazonaws\.[a-z0-9-]+\.dynamodb$/;

export function endpoint(provider: Provider, policyKey: string): Normalizer<EndpointFacts> {
  return (r) => {
    const service = str(r.props.serviceName);
    const type = str(r.props.vpcEndpointType);
    const rawPolicy = r.props[policyKey];
    const present: Tri =
      str(rawPolicy) === UNKNOWN
        ? "unknown"
        : rawPolicy === undefined || rawPolicy === null || rawPolicy === ""
          ? "no"
          : "yes";
    return {
      kind: "vpc-endpoint",
      routeTables: endpointRouteTables(r.props),
      subject: subject(r),
      placement: placement(r),
      provider,
      dynamoDb:
        service === UNKNOWN
          ? "unknown"
          : typeof service === "string" && DYNAMODB_SERVICE.test(service)
            ? "yes"
            : "no",
      gateway:
        type === UNKNOWN ? "unknown" : type === undefined || type.toLowerCase() === "gateway" ? "yes" : "no",
      policyPresent: present,
      policyPath: policyKey,
      doc: present === "yes" ? policyDoc(rawPolicy) : present === "unknown" ? policyDoc(UNKNOWN) : ABSENT_DOC,
    };
  };
}

export function vault(
  provider: Provider,
  keyKey: string,
  nameKey: string,
  tagsKey: string,
): Normalizer<VaultFacts> {
  return (r) => ({
    kind: "backup-vault",
    subject: subject(r, tagsKey),
    placement: placement(r),
    provider,
    name: str(r.props[nameKey]),
    key: keyFromRef(str(r.props[keyKey]), { kind: "aws-managed", ref: "aws/backup" }),
    keyPath: keyKey,
  });
}

function copyDestinations(
  rules: unknown,
  copiesKey: string,
  destinationKey: string,
): { list: Maybe<string>[]; unknown: boolean } {
  const list = arr(rules);
  if (list === UNKNOWN) return { list: [], unknown: true };
  const out: Maybe<string>[] = [];
  let unknown = false;
  for (const item of list ?? []) {
    const rule = obj(item);
    if (rule === UNKNOWN) unknown = true;
    const copies = arr(at(rule, copiesKey));
    if (copies === UNKNOWN) unknown = true;
    for (const c of Array.isArray(copies) ? copies : []) out.push(str(at(obj(c), destinationKey)));
  }
  return { list: out, unknown };
}

export function awsPlan(r: RawResource): PlanFacts {
  const { list, unknown } = copyDestinations(r.props.rules, "copyActions", "destinationVaultArn");
  return {
    kind: "backup-plan",
    subject: subject(r),
    placement: placement(r),
    copyDestinations: list,
    rulesUnknown: unknown,
  };
}

export function nativePlan(r: RawResource): PlanFacts {
  const plan = obj(r.props.backupPlan);
  const { list, unknown } = copyDestinations(
    at(plan, "backupPlanRule"),
    "copyActions",
    "destinationBackupVaultArn",
  );
  return {
    kind: "backup-plan",
    subject: subject(r, "backupPlanTags"),
    placement: placement(r),
    copyDestinations: list,
    rulesUnknown: unknown || plan === UNKNOWN,
  };
}

const TAG_PREFIX = /^aws:resourcetag\//i;

function tagCondition(test: SelectionCondition["test"], key: unknown, value: unknown): SelectionCondition {
  const k = str(key);
  return { test, key: typeof k === "string" ? k.replace(TAG_PREFIX, "") : k, value: str(value) };
}

const CONDITION_TESTS: [string[], SelectionCondition["test"]][] = [
  [["stringEquals"], "equals"],
  [["stringLikes", "stringLike"], "like"],
  [["stringNotEquals"], "not-equals"],
  [["stringNotLikes", "stringNotLike"], "not-like"],
];

function conditionsOf(
  blocks: unknown[],
  keyKey: string,
  valueKey: string,
): { all: SelectionCondition[]; unknown: boolean } {
  const all: SelectionCondition[] = [];
  let unknown = false;
  for (const b of blocks) {
    const block = obj(b);
    if (block === UNKNOWN) unknown = true;
    if (!block || block === UNKNOWN) continue;
    for (const [keys, test] of CONDITION_TESTS) {
      for (const key of keys) {
        const list = arr(block[key]);
        if (list === UNKNOWN) unknown = true;
        for (const item of Array.isArray(list) ? list : []) {
          const c = obj(item);
          if (c === UNKNOWN) unknown = true;
          else if (c) all.push(tagCondition(test, c[keyKey], c[valueKey]));
        }
      }
    }
  }
  return { all, unknown };
}

function anyTagsOf(
  list: unknown,
  typeKey: string,
  keyKey: string,
  valueKey: string,
): { any: SelectionCondition[]; unknown: boolean } {
  const items = arr(list);
  if (items === UNKNOWN) return { any: [], unknown: true };
  const any: SelectionCondition[] = [];
  let unknown = false;
  for (const item of items ?? []) {
    const t = obj(item);
    if (t === UNKNOWN) unknown = true;
    if (!t || t === UNKNOWN) continue;
    const type = upper(str(t[typeKey]));
    // STRINGEQUALS is the only ListOfTags condition type.
    if (type === UNKNOWN || type === undefined || type === "STRINGEQUALS")
      any.push(tagCondition("equals", t[keyKey], t[valueKey]));
  }
  return { any, unknown };
}

export function awsSelection(r: RawResource): SelectionFacts {
  const p = r.props;
  const conditions = arr(p.conditions);
  const { all, unknown } = conditionsOf(Array.isArray(conditions) ? conditions : [], "key", "value");
  const tags = anyTagsOf(p.selectionTags, "type", "key", "value");
  return {
    kind: "backup-selection",
    subject: subject(r),
    placement: placement(r),
    planId: str(p.planId),
    resources: p.resources === undefined ? undefined : strList(p.resources),
    notResources: p.notResources === undefined ? undefined : strList(p.notResources),
    anyTags: tags.any,
    anyTagsUnknown: tags.unknown,
    allConditions: all,
    conditionsUnknown: unknown || conditions === UNKNOWN,
  };
}

export function nativeSelection(r: RawResource): SelectionFacts {
  const sel = obj(r.props.backupSelection);
  const conditions = at(sel, "conditions");
  const { all, unknown } = conditionsOf(
    conditions === undefined ? [] : [conditions],
    "conditionKey",
    "conditionValue",
  );
  const tags = anyTagsOf(at(sel, "listOfTags"), "conditionType", "conditionKey", "conditionValue");
  const resources = at(sel, "resources");
  const notResources = at(sel, "notResources");
  return {
    kind: "backup-selection",
    subject: subject(r),
    placement: placement(r),
    planId: str(r.props.backupPlanId),
    resources: resources === undefined ? undefined : strList(resources),
    notResources: notResources === undefined ? undefined : strList(notResources),
    anyTags: tags.any,
    anyTagsUnknown: tags.unknown || sel === UNKNOWN,
    allConditions: all,
    conditionsUnknown: unknown || sel === UNKNOWN,
  };
}

const FIELD_OPS: [FieldTest["op"], string[]][] = [
  ["equals", ["equals"]],
  ["startsWith", ["startsWiths", "startsWith"]],
  ["endsWith", ["endsWiths", "endsWith"]],
  ["notEquals", ["notEquals"]],
  ["notStartsWith", ["notStartsWiths", "notStartsWith"]],
  ["notEndsWith", ["notEndsWiths", "notEndsWith"]],
];

function advancedSelector(raw: unknown): AdvancedSelector | undefined | "unknown" {
  const selector = obj(raw);
  if (selector === UNKNOWN) return "unknown";
  const fields = arr(at(selector, "fieldSelectors"));
  if (fields === UNKNOWN) return "unknown";
  const tests: FieldTest[] = [];
  let unknown = false;
  for (const item of fields ?? []) {
    const f = obj(item);
    if (f === UNKNOWN) {
      unknown = true;
      continue;
    }
    const field = str(at(f, "field"));
    if (field === UNKNOWN) unknown = true;
    if (typeof field !== "string") continue;
    for (const [op, keys] of FIELD_OPS) {
      for (const key of keys) {
        const values = strList(at(f, key));
        if (values === UNKNOWN) unknown = true;
        else if (values) tests.push({ field, op, values });
      }
    }
  }
  const equalsIncludes = (field: string, value: string): Tri => {
    const relevant = tests.filter((t) => t.field === field && t.op === "equals");
    if (!relevant.length) return unknown ? "unknown" : "no";
    if (relevant.some((t) => t.values.includes(value))) return "yes";
    return relevant.some((t) => t.values.includes(UNKNOWN)) ? "unknown" : "no";
  };
  const category = equalsIncludes("eventCategory", "Data");
  const type = equalsIncludes("resources.type", "AWS::DynamoDB::Table");
  if (category === "no" || type === "no") return undefined;
  return {
    arnTests: tests.filter((t) => t.field === "resources.ARN"),
    unknown: unknown || category === "unknown" || type === "unknown",
  };
}

export function trail(loggingKey: string, loggingDefault: boolean): Normalizer<TrailFacts> {
  return (r) => {
    const p = r.props;
    const values: Maybe<string>[] = [];
    let unknown = false;
    const selectors = arr(p.eventSelectors);
    if (selectors === UNKNOWN) unknown = true;
    for (const item of Array.isArray(selectors) ? selectors : []) {
      const sel = obj(item);
      if (sel === UNKNOWN) unknown = true;
      const resources = arr(at(sel, "dataResources"));
      if (resources === UNKNOWN) unknown = true;
      for (const res of Array.isArray(resources) ? resources : []) {
        const d = obj(res);
        const type = str(at(d, "type"));
        if (d === UNKNOWN || type === UNKNOWN) {
          unknown = true;
          continue;
        }
        if (type !== "AWS::DynamoDB::Table") continue;
        const list = strList(at(d, "values"));
        if (list === UNKNOWN) values.push(UNKNOWN);
        else values.push(...(list ?? []));
      }
    }
    const advanced: AdvancedSelector[] = [];
    const adv = arr(p.advancedEventSelectors);
    if (adv === UNKNOWN) unknown = true;
    for (const item of Array.isArray(adv) ? adv : []) {
      const s = advancedSelector(item);
      if (s === "unknown") unknown = true;
      else if (s) advanced.push(s);
    }
    const logging = bool(p[loggingKey]);
    return {
      kind: "trail",
      subject: subject(r),
      placement: placement(r),
      logging: logging === undefined ? (loggingDefault ? "yes" : "no") : triOf(logging),
      multiRegion: triOf(bool(p.isMultiRegionTrail)),
      organization: triOf(bool(p.isOrganizationTrail)),
      dataResourceValues: values,
      advanced,
      selectorsUnknown: unknown,
    };
  };
}

export function scalingTarget(r: RawResource): ScalingTargetFacts {
  const p = r.props;
  return {
    kind: "scaling-target",
    subject: subject(r),
    placement: placement(r),
    namespace: str(p.serviceNamespace),
    resourceId: str(p.resourceId),
    dimension: str(p.scalableDimension),
  };
}

export function scalingPolicy(r: RawResource): ScalingPolicyFacts {
  const p = r.props;
  return {
    kind: "scaling-policy",
    subject: subject(r),
    placement: placement(r),
    namespace: str(p.serviceNamespace),
    resourceId: str(p.resourceId),
    dimension: str(p.scalableDimension),
    targetId: str(p.scalingTargetId),
  };
}

export function eventSourceMapping(
  provider: Provider,
  destinationKey: string,
): Normalizer<EventSourceMappingFacts> {
  return (r) => {
    const p = r.props;
    const onFailure = obj(at(obj(p.destinationConfig), "onFailure"));
    const destination = str(at(onFailure, destinationKey));
    return {
      kind: "event-source-mapping",
      subject: subject(r),
      placement: placement(r),
      provider,
      sourceArn: str(p.eventSourceArn),
      onFailure: onFailure === UNKNOWN || destination === UNKNOWN ? "unknown" : destination ? "yes" : "no",
      bisect: triOf(bool(p.bisectBatchOnFunctionError)),
      retries: num(p.maximumRetryAttempts),
      maxRecordAge: num(p.maximumRecordAgeInSeconds),
    };
  };
}

/**
 * Whether KMS can rotate the key automatically: only symmetric encryption keys with KMS-generated material
 * (https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys.html). A spec, usage or origin not known
 * yet counts as rotatable: its `enableKeyRotation` decides.
 */
function rotatable(p: Bag): boolean {
  const spec = str(p.keySpec) ?? str(p.customerMasterKeySpec);
  const usage = str(p.keyUsage);
  const origin = str(p.origin);
  if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") return false;
  if (typeof usage === "string" && usage !== "ENCRYPT_DECRYPT") return false;
  if (typeof origin === "string" && origin !== "AWS_KMS") return false;
  // aws.kms.Key in a custom key store (CloudHSM or external).
  return !p.customKeyStoreId && !p.xksKeyId;
}

export function kmsKey(r: RawResource): KeyFacts {
  const replica = r.type === "aws:kms/replicaKey:ReplicaKey" || r.type === "aws-native:kms:ReplicaKey";
  const enabled = bool(r.props.enableKeyRotation);
  return {
    kind: "kms-key",
    subject: subject(r),
    placement: placement(r),
    // Both providers default enableKeyRotation to false.
    rotation:
      replica || !rotatable(r.props) ? "n/a" : enabled === UNKNOWN ? "unknown" : enabled ? "yes" : "no",
    rotationPath: "enableKeyRotation",
  };
}

function listPresent(value: unknown): Tri {
  const list = arr(value);
  if (list === UNKNOWN) return "unknown";
  return Array.isArray(list) && list.length > 0 ? "yes" : "no";
}

export function compute(inVpc: (p: Bag) => Tri): Normalizer<ComputeFacts> {
  return (r) => ({
    kind: "vpc-compute",
    subject: subject(r),
    placement: placement(r),
    inVpc: inVpc(r.props),
    ...computeSubnets(r.type, r.props),
  });
}

export const lambdaInVpc = (p: Bag): Tri => {
  const config = obj(p.vpcConfig);
  if (config === UNKNOWN) return "unknown";
  return listPresent(at(config, "subnetIds"));
};

export const awsEcsServiceInVpc = (p: Bag): Tri => {
  const config = obj(p.networkConfiguration);
  return config === UNKNOWN ? "unknown" : config ? "yes" : "no";
};

export const nativeEcsServiceInVpc = (p: Bag): Tri => {
  const config = obj(p.networkConfiguration);
  if (config === UNKNOWN) return "unknown";
  const vpc = obj(at(config, "awsvpcConfiguration"));
  return vpc === UNKNOWN ? "unknown" : vpc ? "yes" : "no";
};

export const autoscalingGroupInVpc = (p: Bag): Tri => listPresent(p.vpcZoneIdentifiers);

/** An EC2 instance always runs in a VPC (EC2-Classic is retired). */
export const instanceInVpc = (): Tri => "yes";
