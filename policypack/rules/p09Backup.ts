import { accountOfArn, parseDynamoDbArn, regionOfArn } from "../facts/arn";
import { TableIdentity, any, tableMatches } from "../facts/match";
import {
  PlanFacts,
  Placement,
  SelectionCondition,
  SelectionFacts,
  TableFacts,
  VaultFacts,
} from "../facts/model";
import { Node, StackModel, identityOf } from "../facts/stack";
import { PatternIndex } from "../facts/patternIndex";
import { undecidedProblem } from "../facts/budget";
import { Tri, UNKNOWN, globMatch, hasWildcard } from "../facts/value";
import { Finding } from "./finding";
import { unknownMayNameOtherTables } from "../facts/provenance";
import { booleanSetting, resourcePolicy } from "../policies";
import type { StackCheck } from "./stackPolicy";
import { definePractice } from "./practice";

export const practice = definePractice(9, "AWS Backup plans with copies elsewhere", {
  controls: ["Security Hub DynamoDB.4", "AWS Config dynamodb-resources-protected-by-backup-plan"],
  securityHub: ["DynamoDB.4"],
  topics: ["backup"],
});

/** Practice 9: backup vaults are encrypted with a customer-managed key. */
export function vaultFindings(v: VaultFacts): Finding[] {
  if (v.key.kind !== "aws-managed" && v.key.kind !== "aws-owned") return [];
  return [
    {
      practice,
      subject: v.subject,
      problem: `the vault is encrypted with the AWS-managed key${v.key.kind === "aws-managed" && v.key.ref ? ` ${v.key.ref}` : ""}: whoever controls the account controls the backups' key.`,
      fix: `set ${v.keyPath} to a customer-managed KMS key (ideally one owned by a separate backup account).`,
      controls: ["no Security Hub control"],
    },
  ];
}

interface SelectionIndex {
  node: Node<SelectionFacts>;
  /** Tables its resources depend on (usually none or one). */
  dependsOn: string[];
  excludes: string[];
  /** Whether its unknown resources may name tables it does not depend on (false when they come from RDS, S3, ...). */
  unknownOthers: boolean;
  /** Whether its plan copies elsewhere, computed when first needed. */
  copies?: Tri;
}

function tagTest(c: SelectionCondition, t: TableFacts): Tri {
  if (c.key === UNKNOWN || c.value === UNKNOWN || c.key === undefined || c.value === undefined)
    return "unknown";
  const value = t.subject.tags.get(c.key);
  if (value === UNKNOWN || (value === undefined && t.subject.tagsUnknown)) return "unknown";
  const equal =
    value !== undefined &&
    (c.test === "equals" || c.test === "not-equals" ? value === c.value : globMatch(c.value, value));
  return c.test.startsWith("not") ? (equal ? "no" : "yes") : equal ? "yes" : "no";
}

function allOf(results: Tri[]): Tri {
  if (results.includes("no")) return "no";
  return results.includes("unknown") ? "unknown" : "yes";
}

/** Whether one backup selection selects a table: (Resources OR ListOfTags) AND Conditions, minus NotResources. */
function selects(index: SelectionIndex, t: TableFacts, id: TableIdentity): Tri {
  const s = index.node.facts;
  const urn = t.subject.urn;
  if (
    typeof s.placement.region === "string" &&
    typeof id.region === "string" &&
    s.placement.region !== id.region
  )
    return "no";
  const inclusion: Tri[] = [];
  const other: Tri = index.unknownOthers ? "unknown" : "no";
  if (s.resources === UNKNOWN) inclusion.push(index.dependsOn.includes(urn) ? "yes" : other);
  else if (s.resources && s.resources.length) {
    if (index.dependsOn.includes(urn)) inclusion.push("yes");
    else inclusion.push(any(s.resources.map((r) => (r === UNKNOWN ? other : tableMatches(r, id)))));
  }
  if (s.anyTags.length) inclusion.push(any(s.anyTags.map((c) => tagTest(c, t))));
  if (s.anyTagsUnknown) inclusion.push("unknown");
  let result = inclusion.length ? any(inclusion) : "no";
  if (s.allConditions.length || s.conditionsUnknown) {
    const conditions = s.allConditions.map((c) => tagTest(c, t));
    if (s.conditionsUnknown) conditions.push("unknown");
    result = allOf([result, allOf(conditions)]);
  }
  if (result === "no") return "no";
  if (index.excludes.includes(urn)) return "no";
  if (
    s.notResources !== undefined &&
    s.notResources !== UNKNOWN &&
    s.notResources.some((r) => typeof r === "string" && tableMatches(r, id) === "yes")
  )
    return "no";
  return result;
}

function placementDiffers(a: Placement, b: Placement): Tri {
  const results: Tri[] = [];
  for (const key of ["region", "account"] as const) {
    const x = a[key];
    const y = b[key];
    results.push(typeof x === "string" && typeof y === "string" ? (x !== y ? "yes" : "no") : "unknown");
  }
  return any(results);
}

/** Whether a plan copies recovery points to another region or account. */
export function planCopiesElsewhere(model: StackModel, plan: Node<PlanFacts>): Tri {
  const f = plan.facts;
  if (!f.copyDestinations.length) return f.rulesUnknown ? "unknown" : "no";
  const vaults = model
    .dependenciesOf(plan, "rules", "backupPlan")
    .filter((d): d is Node<VaultFacts> => d.facts.kind === "backup-vault");
  return any(
    f.copyDestinations.map((dest): Tri => {
      if (typeof dest === "string") {
        return placementDiffers({ region: regionOfArn(dest), account: accountOfArn(dest) }, f.placement);
      }
      if (!vaults.length) return "unknown";
      return any(vaults.map((v) => placementDiffers(v.facts.placement, f.placement)));
    }),
  );
}

/**
 * Practice 9, stack level: every table is selected by an AWS Backup selection (by ARN, by dependency on the
 * table, or by tags and conditions), and that selection's plan copies to another account or region.
 */
export function backupCoverageFindings(model: StackModel, options: { requireCopy: boolean }): Finding[] {
  const tables = model.tables.filter((t) => t.facts.shape === "table");
  if (!tables.length) return [];
  const byDependency = new Map<string, SelectionIndex[]>();
  const byName = new Map<string, SelectionIndex[]>();
  const byTag = new Map<string, SelectionIndex[]>();
  // Wildcard table names (`table/team-a-*`), looked up by their literal prefix.
  const byPattern = new PatternIndex<SelectionIndex>();
  const general: SelectionIndex[] = [];
  const push = (map: Map<string, SelectionIndex[]>, key: string, s: SelectionIndex) => {
    const list = map.get(key);
    if (list) {
      if (list[list.length - 1] !== s) list.push(s);
    } else map.set(key, [s]);
  };
  for (const node of model.selections) {
    const s = node.facts;
    const native = s.subject.type.startsWith("aws-native:");
    const tablesAmong = (urns: string[]) => urns.filter((urn) => model.kindOf(urn) === "table");
    const resourceDeps = node.dependencies.of(native ? "backupSelection" : "resources");
    const index: SelectionIndex = {
      node,
      dependsOn: tablesAmong(resourceDeps),
      unknownOthers: unknownMayNameOtherTables(resourceDeps),
      excludes:
        native || s.notResources === undefined ? [] : tablesAmong(node.dependencies.of("notResources")),
    };
    for (const urn of index.dependsOn) push(byDependency, urn, index);
    let isGeneral =
      (s.resources === UNKNOWN && index.unknownOthers) || s.anyTagsUnknown || s.conditionsUnknown;
    for (const r of Array.isArray(s.resources) ? s.resources : []) {
      const arn = typeof r === "string" ? parseDynamoDbArn(r) : undefined;
      if (arn && arn.kind === "table" && !hasWildcard(arn.table)) push(byName, arn.table, index);
      else if (arn && arn.kind === "table" && arn.table !== "*" && !arn.table.startsWith("*"))
        byPattern.add(arn.table, index);
      else if (r === UNKNOWN && (index.dependsOn.length || !index.unknownOthers)) continue;
      else isGeneral = true;
    }
    const tagOnly =
      !(Array.isArray(s.resources) && s.resources.length) &&
      s.resources !== UNKNOWN &&
      !s.allConditions.length &&
      !s.conditionsUnknown;
    for (const c of s.anyTags) {
      if (tagOnly && c.test === "equals" && typeof c.key === "string" && typeof c.value === "string")
        push(byTag, `${c.key}\u0000${c.value}`, index);
      else isGeneral = true;
    }
    if (isGeneral) general.push(index);
  }

  const planCopies = new Map<Node<PlanFacts>, Tri>();
  const copiesOf = (s: SelectionIndex): Tri => {
    if (s.copies === undefined) {
      const plans = model
        .dependenciesOf(s.node, "planId", "backupPlanId")
        .filter((d): d is Node<PlanFacts> => d.facts.kind === "backup-plan");
      const results = plans.map((p) => {
        let result = planCopies.get(p);
        if (result === undefined) planCopies.set(p, (result = planCopiesElsewhere(model, p)));
        return result;
      });
      s.copies = plans.length ? any(results) : "unknown";
    }
    return s.copies;
  };

  const findings: Finding[] = [];
  const budget = model.budget();
  for (const t of tables) {
    const f = t.facts;
    const id = identityOf(f);
    const seen = new Set<SelectionIndex>();
    const results: Tri[] = [];
    const selecting: SelectionIndex[] = [];
    let undecided = false;
    // Stops at the first selection that settles the question (covered, and copied when copies are required).
    const consider = (list: Iterable<SelectionIndex> | undefined): boolean => {
      for (const s of list ?? []) {
        if (seen.has(s)) continue;
        seen.add(s);
        if (!budget.spend()) {
          undecided = true;
          return true;
        }
        const r = selects(s, f, id);
        results.push(r);
        if (r !== "yes") continue;
        selecting.push(s);
        if (!options.requireCopy || copiesOf(s) === "yes") return true;
      }
      return false;
    };
    const settled =
      consider(byDependency.get(f.subject.urn)) ||
      (typeof id.name === "string" && consider(byName.get(id.name))) ||
      (typeof id.name === "string" && consider(byPattern.anchored(id.name))) ||
      (byTag.size > 0 &&
        consider(
          [...f.subject.tags].flatMap(([key, value]) =>
            typeof value === "string" ? (byTag.get(`${key}\u0000${value}`) ?? []) : [],
          ),
        )) ||
      consider(byPattern.unanchored) ||
      consider(general);
    if (undecided) {
      findings.push({
        practice,
        subject: f.subject,
        problem: undecidedProblem(budget, "whether an AWS Backup selection covers this table"),
        fix: "name tables in backup selections by ARN or select them by tag (STRINGEQUALS), which the pack looks up directly; or exempt the table.",
      });
      continue;
    }
    if (!settled) {
      if (
        (typeof id.name !== "string" && (byName.size || !byPattern.empty)) ||
        (f.subject.tagsUnknown && byTag.size)
      )
        results.push("unknown");
    }
    const covered = any(results);
    if (covered === "no") {
      findings.push({
        practice,
        subject: f.subject,
        problem:
          "no AWS Backup selection in this stack covers this table; PITR alone keeps no copy outside the table's account and region.",
        fix: 'add it to a backup plan: an aws.backup.Selection with resources: [table.arn], or a tag selection such as selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "required" }] (HardenedTable tags every table backup=required; if an organization backup policy covers it, exempt it).',
      });
      continue;
    }
    if (covered !== "yes" || !options.requireCopy) continue;
    if (any(selecting.map(copiesOf)) === "no") {
      findings.push({
        practice,
        subject: f.subject,
        problem:
          "the backup plans that cover this table keep every copy in the same account and region: a compromised account or a regional outage takes the backups with the table.",
        fix: "add a copy action to the plan's rule: copyActions: [{ destinationVaultArn: <vault in another account or region> }] (cross-account copies need both accounts in one AWS Organization).",
      });
    }
  }
  return findings;
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-backup-vault-customer-key",
    displayName: "AWS Backup vaults use customer-managed KMS keys",
    description: "Practice 9: AWS Backup vaults are encrypted with a customer-managed KMS key.",
    practice,
    // DynamoDB.4 is about tables in a backup plan, which the stack policy checks; no control covers the vault key.
    securityHub: [],
    enforcementLevel: "advisory",
    severity: practice.severity,
    kinds: ["backup-vault"],
    remediationSteps:
      "Set the vault's kmsKeyArn (aws) or encryptionKeyArn (aws-native) to a customer-managed key.",
    check: (v) => vaultFindings(v),
  }),
];

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireBackup",
    settingDescription: "every table is in an AWS Backup selection.",
    summary: "AWS Backup (with copies elsewhere) for every table",
    config: {
      requireBackupCopy: {
        type: "boolean",
        default: true,
        description: "Practice 9: that selection's plan copies to another account or region.",
      },
    },
    check: (model, config) =>
      backupCoverageFindings(model, { requireCopy: booleanSetting(config, "requireBackupCopy", true) }),
  },
];
