import { LEADING_KEYS_ACTIONS, MULTI_TENANT_TAG } from "../contract";
import { coversEveryDynamoDbAction, isDynamoDbOnly } from "../facts/actions";
import { parseDynamoDbArn } from "../facts/arn";
import { undecidedProblem } from "../facts/budget";
import { Condition, Statement, actionCovers, hasUnknown, isAllow, known } from "../facts/iam";
import { tableMatches } from "../facts/match";
import { Subject, TableFacts } from "../facts/model";
import { Node, StackModel, identityOf, isTable } from "../facts/stack";
import { UNKNOWN, hasWildcard } from "../facts/value";
import { HeldDoc, notActionAllowsDynamoDb, statementLabel, touchesDynamoDb } from "./docs";
import { Finding } from "./finding";
import { booleanSetting, resourcePolicy } from "../policies";
import { DOCUMENT_HOLDERS, documentsOf } from "./docs";
import type { StackCheck } from "./stackPolicy";
import { definePractice } from "./practice";
import { dataActionFindings, managedDataFindings, managedWildcardFindings } from "./p04BroadGrants";

export const practice = definePractice(4, "Least privilege and fine-grained access control", {
  controls: ["IAM Access Analyzer (no Security Hub control)"],
  topics: ["iam", "least-privilege"],
});

/**
 * Practice 4: no `*` or `dynamodb:*` actions on DynamoDB resources. `resourcePolicy` documents are attached to a
 * table or stream, so every statement in them is about DynamoDB.
 */
export function wildcardActionFindings(
  subject: Subject,
  docs: HeldDoc[],
  resourcePolicy: boolean,
): Finding[] {
  const findings: Finding[] = [];
  for (const held of docs) {
    for (const st of held.doc.statements) {
      if (!isAllow(st)) continue;
      const onDynamoDb =
        resourcePolicy || st.notResources !== undefined || known(st.resources).some(touchesDynamoDb);
      const wildcard = known(st.actions).find(
        (a) => coversEveryDynamoDbAction(a) && (onDynamoDb || isDynamoDbOnly(a)),
      );
      if (wildcard) {
        findings.push({
          practice,
          subject,
          where: statementLabel(held, st),
          problem: `allows "${wildcard}" on DynamoDB resources: every read, write, delete and admin action, with no item-level restriction.`,
          fix: "list the named actions the principal needs (for example dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem) on the named table ARNs.",
        });
      } else if (st.notActions !== undefined && onDynamoDb && notActionAllowsDynamoDb(st)) {
        findings.push({
          practice,
          subject,
          where: statementLabel(held, st),
          problem: "uses Allow with NotAction, which grants every DynamoDB action not listed.",
          fix: "replace NotAction with an Action list of named DynamoDB actions.",
        });
      }
    }
  }
  return findings;
}

const SCAN = "dynamodb:Scan";

function grants(st: Statement, action: string): boolean | "unknown" {
  if (st.actions === UNKNOWN) return "unknown";
  if (st.notActions !== undefined) return !known(st.notActions).some((p) => actionCovers(p, action));
  const actions = known(st.actions);
  if (actions.some((p) => actionCovers(p, action))) return true;
  return Array.isArray(st.actions) && st.actions.includes(UNKNOWN) ? "unknown" : false;
}

function hasLeadingKeys(conditions: Condition[]): boolean {
  return conditions.some(
    (c) =>
      c.key === "dynamodb:leadingkeys" &&
      /^forallvalues:string(equals|like)$/i.test(c.operator) &&
      c.values !== undefined,
  );
}

/**
 * Practice 4 (fine-grained access): a statement that grants item actions on a multi-tenant table must carry a
 * `ForAllValues:StringEquals` condition on `dynamodb:LeadingKeys`, and must not grant Scan.
 */
export function leadingKeysFindings(
  subject: Subject,
  held: HeldDoc,
  st: Statement,
  tables: string[],
): Finding[] {
  if (!isAllow(st) || st.conditions === UNKNOWN) return [];
  const names = tables.map((t) => `"${t}"`).join(", ");
  const findings: Finding[] = [];
  if (grants(st, SCAN) === true) {
    findings.push({
      practice,
      subject,
      where: statementLabel(held, st),
      problem: `grants dynamodb:Scan on multi-tenant table ${names}: a scan reads every tenant's items and dynamodb:LeadingKeys cannot restrict it.`,
      fix: "remove dynamodb:Scan (and wildcards that include it); use Query with a LeadingKeys condition.",
    });
  }
  const itemAccess = LEADING_KEYS_ACTIONS.some((a) => grants(st, a) === true);
  if (itemAccess && !hasLeadingKeys(st.conditions ?? [])) {
    findings.push({
      practice,
      subject,
      where: statementLabel(held, st),
      problem: `grants item actions on multi-tenant table ${names} without a dynamodb:LeadingKeys condition: every tenant's items are reachable.`,
      fix: 'add "Condition": { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["${aws:PrincipalTag/<tenant tag>}"] } } (leadingKeysPolicy() builds it).',
    });
  }
  return findings;
}

function isMultiTenant(t: TableFacts): boolean {
  const value = t.subject.tags.get(MULTI_TENANT_TAG);
  return typeof value === "string" && value.trim().toLowerCase() === "true";
}

function rootKey(path: string): string {
  return path.split(/[.[]/)[0];
}

/**
 * Practice 4, stack level: identity and resource policies that reach a multi-tenant table (by ARN, wildcard or,
 * when the ARN is not known yet, by dependency) must restrict item actions with `dynamodb:LeadingKeys`.
 */
export function leadingKeysStackFindings(
  model: StackModel,
  options: { resourcePolicies: boolean },
): Finding[] {
  const tenants = model.tables.filter((t) => t.facts.shape === "table" && isMultiTenant(t.facts));
  if (!tenants.length) return [];
  const tenantUrns = new Set(tenants.map((t) => t.facts.subject.urn));
  const byName = new Map<string, Node<TableFacts>[]>();
  for (const t of tenants) {
    const name = t.facts.physicalName;
    if (typeof name !== "string") continue;
    const list = byName.get(name);
    if (list) list.push(t);
    else byName.set(name, [t]);
  }
  // Known names in order, so that a wildcard's literal prefix finds its range by binary search.
  const sorted = [...byName.keys()].sort();
  const unnamed = tenants.filter((t) => typeof t.facts.physicalName !== "string");
  const withPrefix = (prefix: string): Node<TableFacts>[] => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: Node<TableFacts>[] = [];
    for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++)
      out.push(...byName.get(sorted[i])!);
    return out;
  };
  const budget = model.budget();
  let undecided = false;
  const label = (t: Node<TableFacts>) =>
    typeof t.facts.physicalName === "string" ? t.facts.physicalName : t.facts.subject.name;

  const targetsOf = (st: Statement, fromDependencies: Node<TableFacts>[]): Node<TableFacts>[] => {
    const found = new Set<Node<TableFacts>>();
    for (const resource of known(st.resources)) {
      const arn = parseDynamoDbArn(resource);
      if (arn && !hasWildcard(arn.table)) {
        for (const t of byName.get(arn.table) ?? [])
          if (tableMatches(resource, identityOf(t.facts), true) !== "no") found.add(t);
        continue;
      }
      const first = arn ? arn.table.search(/[*?]/) : 0;
      const candidates = first > 0 ? [...withPrefix(arn!.table.slice(0, first)), ...unnamed] : tenants;
      for (const t of candidates) {
        if (!budget.spend()) {
          undecided = true;
          break;
        }
        if (tableMatches(resource, identityOf(t.facts), true) === "yes") found.add(t);
      }
    }
    if (hasUnknown(st.resources)) for (const t of fromDependencies) found.add(t);
    return [...found];
  };

  const findings: Finding[] = [];
  for (const node of model.identityPolicies) {
    for (const held of node.facts.docs) {
      if (held.doc.unknown) continue;
      const deps = model.dependenciesOf(node, rootKey(held.path)).filter(isTable);
      // An unknown Resource is attributed to the tables the document depends on only when all of them are multi-tenant.
      const fromDeps = deps.length > 0 && deps.every((d) => tenantUrns.has(d.facts.subject.urn)) ? deps : [];
      for (const st of held.doc.statements) {
        undecided = false;
        const targets = targetsOf(st, fromDeps);
        if (undecided) {
          findings.push({
            practice,
            subject: node.facts.subject,
            where: statementLabel(held, st),
            problem: undecidedProblem(budget, "which multi-tenant tables this statement reaches"),
            fix: "name tables by ARN in the statement's Resource (or use wildcards that start with a literal table-name prefix); or exempt the policy.",
          });
          continue;
        }
        if (targets.length)
          findings.push(...leadingKeysFindings(node.facts.subject, held, st, targets.map(label)));
      }
    }
  }
  if (!options.resourcePolicies) return findings;
  for (const node of model.resourcePolicies) {
    const f = node.facts;
    if (f.target === "stream" || f.doc.unknown) continue;
    let table: Node<TableFacts> | undefined;
    const arn = typeof f.resourceArn === "string" ? parseDynamoDbArn(f.resourceArn) : undefined;
    if (arn) table = (byName.get(arn.table) ?? [])[0];
    if (!table) {
      table = model
        .dependenciesOf(node, "resourceArn")
        .filter(isTable)
        .find(
          (t) => tenantUrns.has(t.facts.subject.urn) && (!arn || typeof t.facts.physicalName !== "string"),
        );
    }
    if (!table) continue;
    const held = { label: "resource policy", doc: f.doc };
    for (const st of f.doc.statements)
      findings.push(...leadingKeysFindings(f.subject, held, st, [label(table)]));
  }
  for (const t of tenants) {
    for (const p of t.facts.embeddedPolicies) {
      if (p.stream || p.doc.unknown) continue;
      for (const st of p.doc.statements)
        findings.push(...leadingKeysFindings(t.facts.subject, p, st, [label(t)]));
    }
  }
  return findings;
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-no-wildcard-actions",
    displayName: "No wildcard DynamoDB actions",
    description:
      'Practice 4: identity and resource policies grant no "*" or "dynamodb:*" actions (and no Allow with NotAction) on DynamoDB resources.',
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: DOCUMENT_HOLDERS,
    remediationSteps: "List the named DynamoDB actions each principal needs on named table ARNs.",
    check: (facts) => {
      const held = documentsOf(facts);
      const managed =
        facts.kind === "identity-policy" ? managedWildcardFindings(facts.subject, facts.managedPolicies) : [];
      return [...wildcardActionFindings(facts.subject, held.docs, held.resourcePolicy), ...managed];
    },
  }),
  resourcePolicy({
    name: "dynamodb-data-actions-name-resources",
    displayName: "Data actions name their tables",
    description:
      'Practice 4: identity and resource policies, and the AWS-managed policies attached by ARN, grant data actions (items, PartiQL, stream reads, DAX items, KMS use) on named tables, streams, clusters and keys, not on "*" or table/*.',
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: DOCUMENT_HOLDERS,
    remediationSteps:
      "Name the table ARNs (with /index/* or /stream/* where needed) in Resource, or scope with aws:ResourceTag; replace AWS-managed policies such as AmazonDynamoDBFullAccess with an inline least-privilege policy.",
    check: (facts) => {
      const held = documentsOf(facts);
      const managed =
        facts.kind === "identity-policy" ? managedDataFindings(facts.subject, facts.managedPolicies) : [];
      return [...dataActionFindings(facts.subject, held.docs, held.resourcePolicy), ...managed];
    },
  }),
];

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireLeadingKeys",
    settingDescription: `policies that reach tables tagged ${MULTI_TENANT_TAG}=true restrict item actions with dynamodb:LeadingKeys.`,
    summary: "tenant isolation on multi-tenant tables",
    config: {
      leadingKeysInResourcePolicies: {
        type: "boolean",
        default: true,
        description:
          "Practice 4: also in the resource policies of those tables (a resource policy grant bypasses identity-policy conditions).",
      },
    },
    check: (model, config) =>
      leadingKeysStackFindings(model, {
        resourcePolicies: booleanSetting(config, "leadingKeysInResourcePolicies", true),
      }),
  },
];
