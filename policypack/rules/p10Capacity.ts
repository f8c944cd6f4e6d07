import { CapacityScope, Placement, ScalingTargetFacts, TableFacts } from "../facts/model";
import { Node, StackModel, isTable } from "../facts/stack";
import { Tri, UNKNOWN } from "../facts/value";
import { Finding } from "./finding";
import type { StackCheck } from "./stackPolicy";
import { definePractice } from "./practice";

export const practice = definePractice(10, "Autoscaling or on-demand capacity", {
  controls: ["Security Hub DynamoDB.1", "AWS Config dynamodb-autoscaling-enabled"],
  securityHub: ["DynamoDB.1"],
  topics: ["availability"],
});

interface ParsedId {
  table: string;
  index?: string;
}

function parseResourceId(resourceId: string): ParsedId | undefined {
  const m = /^table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(resourceId);
  return m ? { table: m[1], index: m[2] } : undefined;
}

function parseDimension(
  dimension: unknown,
): { level: "table" | "index"; dimension: "read" | "write" } | undefined {
  const m =
    typeof dimension === "string"
      ? /^dynamodb:(table|index):(Read|Write)CapacityUnits$/.exec(dimension)
      : null;
  return m ? { level: m[1] as "table" | "index", dimension: m[2] === "Read" ? "read" : "write" } : undefined;
}

function compatible(a: Placement, b: Placement): boolean {
  return !(typeof a.region === "string" && typeof b.region === "string" && a.region !== b.region);
}

type Coverage = Tri | "no-policy";

interface Registration {
  node: Node<ScalingTargetFacts>;
  hasPolicy: Tri;
}

/**
 * Practice 10, stack level: a provisioned table and each of its global secondary indexes have read and write
 * Application Auto Scaling targets with scaling policies (aws-native GlobalTable: built-in autoscaling settings).
 */
export function autoscalingFindings(model: StackModel): Finding[] {
  const tables = model.tables.filter((t) => t.facts.shape === "table" && t.facts.provisioned !== "no");
  if (!tables.length) return [];

  // Scaling policies by (resourceId, dimension) and by the target they depend on.
  const policyKeys = new Set<string>();
  const policyTargets = new Set<string>();
  let policiesUnknown = false;
  for (const p of model.scalingPolicies) {
    const f = p.facts;
    if (typeof f.namespace === "string" && f.namespace !== "dynamodb") continue;
    if (typeof f.resourceId === "string" && typeof f.dimension === "string")
      policyKeys.add(`${f.resourceId}|${f.dimension}`);
    else policiesUnknown = true;
    for (const d of model.dependenciesOf(p))
      if (d.facts.kind === "scaling-target") policyTargets.add(d.facts.subject.urn);
  }
  const policyFor = (t: ScalingTargetFacts): Tri => {
    if (policyTargets.has(t.subject.urn)) return "yes";
    if (
      typeof t.resourceId === "string" &&
      typeof t.dimension === "string" &&
      policyKeys.has(`${t.resourceId}|${t.dimension}`)
    )
      return "yes";
    return policiesUnknown ? "unknown" : "no";
  };

  // Targets by table name and scope, and by the table they depend on.
  const byKey = new Map<string, Registration[]>();
  const add = (key: string, r: Registration) => {
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  };
  for (const node of model.scalingTargets) {
    const f = node.facts;
    if (typeof f.namespace === "string" && f.namespace !== "dynamodb") continue;
    const dim = parseDimension(f.dimension);
    if (typeof f.dimension === "string" && !dim) continue;
    const registration = { node, hasPolicy: policyFor(f) };
    const id = typeof f.resourceId === "string" ? parseResourceId(f.resourceId) : undefined;
    if (typeof f.resourceId === "string" && !id) continue;
    const dimensions = dim ? [dim.dimension] : ["read", "write"];
    // By name when the resource ID is known, and by the table it depends on in any case (names may be unknown).
    const index = id ? (id.index ?? "") : dim?.level === "table" ? "" : dim ? "?" : "*";
    for (const d of dimensions) {
      if (id) add(`name:${id.table}|${id.index ?? ""}|${d}`, registration);
      for (const dep of model.dependenciesOf(node).filter(isTable)) {
        const name = dep.facts.physicalName;
        if (!id || typeof name !== "string" || name === id.table)
          add(`urn:${dep.facts.subject.urn}|${index}|${d}`, registration);
      }
    }
  }

  // Standalone GSI resources add index scopes to their table.
  const extraScopes = new Map<string, CapacityScope[]>();
  for (const g of model.gsis) {
    const f = g.facts;
    const table =
      typeof f.tableName === "string"
        ? model.tablesByName().get(f.tableName)?.[0]
        : model.dependenciesOf(g, "tableName").find(isTable);
    if (!table || f.provisioned === "no") continue;
    const label = `index ${typeof f.indexName === "string" ? f.indexName : "(unknown name)"}`;
    const scopes = extraScopes.get(table.facts.subject.urn) ?? [];
    scopes.push(
      { label, index: f.indexName, dimension: "read" },
      { label, index: f.indexName, dimension: "write" },
    );
    extraScopes.set(table.facts.subject.urn, scopes);
  }

  const covered = (t: TableFacts, scope: CapacityScope): Coverage => {
    if (scope.autoscaled !== undefined) return scope.autoscaled;
    const index = scope.index;
    if (index === UNKNOWN) return "unknown";
    const urn = t.subject.urn;
    const candidates = [
      ...(typeof t.physicalName === "string"
        ? (byKey.get(`name:${t.physicalName}|${index ?? ""}|${scope.dimension}`) ?? [])
        : []),
      ...(byKey.get(`urn:${urn}|${index ?? ""}|${scope.dimension}`) ?? []),
      ...(index !== undefined ? (byKey.get(`urn:${urn}|?|${scope.dimension}`) ?? []) : []),
      ...(byKey.get(`urn:${urn}|*|${scope.dimension}`) ?? []),
    ].filter((r) => compatible(r.node.facts.placement, t.placement));
    if (candidates.some((r) => r.hasPolicy === "yes")) return "yes";
    if (candidates.some((r) => r.hasPolicy === "unknown")) return "unknown";
    if (typeof t.physicalName !== "string" && byKey.size) return "unknown";
    return candidates.length ? "no-policy" : "no";
  };

  const findings: Finding[] = [];
  for (const t of tables) {
    const f = t.facts;
    if (f.provisioned === "unknown") continue;
    const missing: string[] = [];
    const noPolicy: string[] = [];
    for (const scope of [...f.capacity, ...(extraScopes.get(f.subject.urn) ?? [])]) {
      const result = covered(f, scope);
      if (result === "no") missing.push(`${scope.label} ${scope.dimension}`);
      else if (result === "no-policy") noPolicy.push(`${scope.label} ${scope.dimension}`);
    }
    if (missing.length) {
      findings.push({
        practice,
        subject: f.subject,
        problem: `provisioned capacity without autoscaling for ${missing.join(", ")}: traffic above the fixed capacity is throttled, which an attacker can cause on purpose.`,
        fix:
          f.provider === "aws-native" && f.subject.type.endsWith(":GlobalTable")
            ? "set writeProvisionedThroughputSettings.writeCapacityAutoScalingSettings and each replica's readProvisionedThroughputSettings.readCapacityAutoScalingSettings (and the same for each GSI), or use billingMode PAY_PER_REQUEST."
            : 'use billingMode "PAY_PER_REQUEST", or add Application Auto Scaling targets (dynamodb:table:ReadCapacityUnits / WriteCapacityUnits, dynamodb:index:... for each GSI) with target-tracking policies (HardenedTable does this with autoscaling).',
      });
    }
    if (noPolicy.length) {
      findings.push({
        practice,
        subject: f.subject,
        problem: `autoscaling targets without a scaling policy for ${noPolicy.join(", ")}: the target alone never changes capacity.`,
        fix: "add an aws.appautoscaling.Policy (TargetTrackingScaling, DynamoDBReadCapacityUtilization / DynamoDBWriteCapacityUtilization) for each target.",
      });
    }
  }
  return findings;
}

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireAutoscaling",
    settingDescription: "provisioned tables and GSIs autoscale.",
    summary: "autoscaling",
    check: (model) => autoscalingFindings(model),
  },
];
