import { AdvancedSelector, FieldTest, TableFacts, TrailFacts } from "../facts/model";
import {
  TableIdentity,
  any,
  arnEndsWith,
  arnEquals,
  arnStartsWith,
  dataResourceMatches,
} from "../facts/match";
import { Node, StackModel, identityOf } from "../facts/stack";
import { Tri, UNKNOWN } from "../facts/value";
import { undecidedProblem } from "../facts/budget";
import { unknownMayNameOtherTables } from "../facts/provenance";
import { Finding, STACK_SUBJECT } from "./finding";
import type { StackCheck } from "./stackPolicy";
import { definePractice } from "./practice";

export const practice = definePractice(6, "CloudTrail data events", {
  controls: ["CIS AWS Foundations 3.x", "PCI-DSS 10 (no Security Hub control)"],
  topics: ["logging"],
});

const equalsByName = new WeakMap<
  FieldTest,
  { byName: Map<string, string[]>; rest: (string | typeof UNKNOWN | undefined)[] }
>();

/** Equality tests can list thousands of ARNs: look a table's candidates up by name instead of scanning them. */
function candidates(test: FieldTest, id: TableIdentity): FieldTest["values"] {
  if (test.op !== "equals" && test.op !== "notEquals") return test.values;
  let index = equalsByName.get(test);
  if (!index) {
    index = { byName: new Map(), rest: [] };
    for (const v of test.values) {
      const name = typeof v === "string" ? /:table\/([^/]+)$/.exec(v)?.[1] : undefined;
      if (name === undefined) index.rest.push(v);
      else {
        const list = index.byName.get(name);
        if (list) list.push(v as string);
        else index.byName.set(name, [v as string]);
      }
    }
    equalsByName.set(test, index);
  }
  if (typeof id.name !== "string") return test.values;
  return [...(index.byName.get(id.name) ?? []), ...index.rest];
}

function fieldTest(test: FieldTest, id: TableIdentity): Tri {
  const results = candidates(test, id).map((v): Tri => {
    if (v === UNKNOWN || v === undefined) return "unknown";
    switch (test.op) {
      case "equals":
      case "notEquals":
        return arnEquals(v, id);
      case "startsWith":
      case "notStartsWith":
        return arnStartsWith(v, id);
      default:
        return arnEndsWith(v, id);
    }
  });
  const matched = any(results);
  if (!test.op.startsWith("not")) return matched;
  return matched === "yes" ? "no" : matched === "no" ? "yes" : "unknown";
}

function advancedCovers(selector: AdvancedSelector, id: TableIdentity): Tri {
  const results = selector.arnTests.map((t) => fieldTest(t, id));
  if (selector.unknown) results.push("unknown");
  if (results.includes("no")) return "no";
  return results.includes("unknown") ? "unknown" : "yes";
}

interface TrailIndex {
  node: Node<TrailFacts>;
  exact: Map<string, string[]>;
  others: string[];
  unknownValues: boolean;
  dependsOn: Set<string>;
  /** Whether unknown selector values may name tables the trail does not depend on. */
  unknownOthers: boolean;
}

function indexTrail(model: StackModel, node: Node<TrailFacts>): TrailIndex {
  const index: TrailIndex = {
    node,
    exact: new Map(),
    others: [],
    unknownValues: false,
    dependsOn: new Set(),
    unknownOthers: unknownMayNameOtherTables([
      ...node.dependencies.of("eventSelectors"),
      ...node.dependencies.of("advancedEventSelectors"),
    ]),
  };
  for (const value of node.facts.dataResourceValues) {
    if (value === UNKNOWN) index.unknownValues = true;
    else if (typeof value === "string") {
      const match = /^arn:[^:]+:dynamodb:[^:*?]+:\d{12}:table\/([^*?/]+)$/.exec(value);
      if (match) {
        const list = index.exact.get(match[1]);
        if (list) list.push(value);
        else index.exact.set(match[1], [value]);
      } else index.others.push(value);
    }
  }
  for (const dep of model.dependenciesOf(node, "eventSelectors", "advancedEventSelectors"))
    index.dependsOn.add(dep.facts.subject.urn);
  return index;
}

function covers(index: TrailIndex, t: TableFacts, id: TableIdentity): Tri {
  const trail = index.node.facts;
  const results: Tri[] = [];
  if (typeof id.name === "string")
    for (const value of index.exact.get(id.name) ?? []) results.push(dataResourceMatches(value, id));
  else if (index.exact.size) results.push("unknown");
  for (const value of index.others) results.push(dataResourceMatches(value, id));
  const other: Tri = index.unknownOthers ? "unknown" : "no";
  if (index.unknownValues) results.push(index.dependsOn.has(t.subject.urn) ? "yes" : other);
  for (const selector of trail.advanced) results.push(advancedCovers(selector, id));
  if (trail.selectorsUnknown) results.push(index.dependsOn.has(t.subject.urn) ? "yes" : other);
  let covered = any(results);
  if (covered === "no") return "no";
  // Where the trail records: its region unless multi-region, its account unless an organization trail.
  const sameRegion: Tri =
    trail.multiRegion === "yes"
      ? "yes"
      : typeof trail.placement.region === "string" && typeof id.region === "string"
        ? trail.placement.region === id.region
          ? "yes"
          : "no"
        : "unknown";
  const sameAccount: Tri =
    trail.organization === "yes"
      ? "yes"
      : typeof trail.placement.account === "string" && typeof id.account === "string"
        ? trail.placement.account === id.account
          ? "yes"
          : "no"
        : "unknown";
  if (sameRegion === "no" || sameAccount === "no") return "no";
  if (trail.logging === "no") return "no";
  if (trail.logging === "unknown") covered = covered === "yes" ? "unknown" : covered;
  return covered;
}

const DATA_EVENTS_FIX =
  'add an event selector for the tables to a trail: eventSelectors: [{ dataResources: [{ type: "AWS::DynamoDB::Table", values: [tableArn] }] }], or advancedEventSelectors with eventCategory = Data and resources.type = AWS::DynamoDB::Table (use "arn:aws:dynamodb" to cover every table; an organization trail may cover them from another stack: then exempt them).';

/**
 * Practice 6, stack level: every table is covered by a logging CloudTrail trail that records its data events.
 * A stack without any trail gets one finding naming every table; otherwise each uncovered table gets its own.
 */
export function dataEventFindings(model: StackModel): Finding[] {
  const tables = model.tables.filter((t) => t.facts.shape === "table");
  if (!tables.length) return [];
  if (!model.trails.length) {
    const subjects = tables.map((t) => t.facts.subject);
    return [
      {
        practice,
        subject: STACK_SUBJECT,
        problem: "",
        group: {
          subjects,
          problem: (names) =>
            `has no CloudTrail trail recording DynamoDB data events: reads and writes of ${names.length === 1 ? "table" : `these ${names.length} tables`} ${names.join(", ")} leave no audit record.`,
        },
        fix: DATA_EVENTS_FIX,
      },
    ];
  }
  const trails = model.trails.map((t) => indexTrail(model, t));
  // Trails that name tables only by exact ARN are looked up by name; the others are compared table by table.
  const byName = new Map<string, TrailIndex[]>();
  const general: TrailIndex[] = [];
  for (const index of trails) {
    const trail = index.node.facts;
    if (index.others.length || index.unknownValues || trail.advanced.length || trail.selectorsUnknown)
      general.push(index);
    else {
      for (const name of index.exact.keys()) {
        const list = byName.get(name);
        if (list) list.push(index);
        else byName.set(name, [index]);
      }
    }
  }
  const budget = model.budget();
  const findings: Finding[] = [];
  for (const t of tables) {
    const id = identityOf(t.facts);
    const results: Tri[] = [];
    let undecided = false;
    const candidates =
      typeof id.name === "string" ? [byName.get(id.name) ?? [], general] : [byName.size ? trails : general];
    search: for (const list of candidates) {
      for (const index of list) {
        const trail = index.node.facts;
        if (!budget.spend(1 + index.others.length + trail.advanced.length)) {
          undecided = true;
          break search;
        }
        const r = covers(index, t.facts, id);
        results.push(r);
        if (r === "yes") break search;
      }
    }
    if (undecided) {
      findings.push({
        practice,
        subject: t.facts.subject,
        problem: undecidedProblem(budget, "whether a trail records this table's data events"),
        fix: "name tables in trail data resources by ARN, or use arn:aws:dynamodb for every table; or exempt the table.",
      });
      continue;
    }
    const result = any(results);
    if (result !== "no") continue;
    findings.push({
      practice,
      subject: t.facts.subject,
      problem:
        "no trail in this stack records this table's data events (GetItem, PutItem, Query, Scan, ...): reads and writes leave no audit record.",
      fix: DATA_EVENTS_FIX,
    });
  }
  return findings;
}

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireDataEvents",
    settingDescription: "every table is covered by a trail that logs its data events.",
    summary: "CloudTrail data events for every table",
    check: (model) => dataEventFindings(model),
  },
];
