/**
 * The JSON `aws.iam.getPolicyDocument` produces, following the Terraform AWS provider's
 * `aws_iam_policy_document` data source (which the Pulumi provider wraps): `Version` defaults to
 * 2012-10-17, `Effect` to Allow; a list of one value is written as a string and longer lists are sorted
 * in reverse order; principals are grouped by type (`{"*": ["*"]}` is written `"*"`); conditions are
 * `{test: {variable: values}}`; statements of source documents come first and a statement with the
 * same `Sid` replaces the earlier one; override documents are merged last. Keys of maps are sorted
 * and `<`, `>`, `&` escaped, as Go's encoder writes them.
 */

type Bag = Record<string, unknown>;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function stringList(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values].sort().reverse();
}

function sortedKeys(obj: Bag): Bag {
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, obj[k]]),
  );
}

function principals(list: unknown): unknown {
  const items = Array.isArray(list) ? (list as Bag[]) : [];
  if (items.length === 0) return undefined;
  if (items.length === 1 && items[0].type === "*") {
    const ids = strings(items[0].identifiers);
    if (ids.length === 1 && ids[0] === "*") return "*";
  }
  const grouped: Record<string, string | string[]> = {};
  for (const p of items) {
    const type = String(p.type ?? "");
    const ids = stringList(strings(p.identifiers));
    const existing = grouped[type];
    if (existing === undefined) grouped[type] = ids;
    else
      grouped[type] = [
        ...(Array.isArray(existing) ? existing : [existing]),
        ...(Array.isArray(ids) ? ids : [ids]),
      ];
  }
  return sortedKeys(grouped);
}

function conditions(list: unknown): unknown {
  const items = Array.isArray(list) ? (list as Bag[]) : [];
  if (items.length === 0) return undefined;
  const raw: Record<string, Record<string, string[]>> = {};
  for (const c of items) {
    const test = String(c.test ?? "");
    const variable = String(c.variable ?? "");
    raw[test] ??= {};
    raw[test][variable] = [...(raw[test][variable] ?? []), ...strings(c.values)];
  }
  const out: Bag = {};
  for (const test of Object.keys(raw).sort()) {
    const vars: Bag = {};
    for (const variable of Object.keys(raw[test]).sort()) {
      const values = raw[test][variable];
      vars[variable] = values.length === 1 ? values[0] : values;
    }
    out[test] = vars;
  }
  return out;
}

function nonEmpty(values: string[]): string | string[] | undefined {
  return values.length ? stringList(values) : undefined;
}

function statement(s: Bag): Bag {
  const out: Bag = {
    Sid: typeof s.sid === "string" && s.sid ? s.sid : undefined,
    Effect: typeof s.effect === "string" && s.effect ? s.effect : "Allow",
    Action: nonEmpty(strings(s.actions)),
    NotAction: nonEmpty(strings(s.notActions)),
    Resource: nonEmpty(strings(s.resources)),
    NotResource: nonEmpty(strings(s.notResources)),
    Principal: principals(s.principals),
    NotPrincipal: principals(s.notPrincipals),
    Condition: conditions(s.conditions),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

interface Doc {
  Version?: string;
  Id?: string;
  Statement: Bag[];
}

function parseDoc(text: unknown): Doc | undefined {
  if (typeof text !== "string" || !text.trim()) return undefined;
  try {
    const doc = JSON.parse(text) as Bag;
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    return {
      Version: typeof doc.Version === "string" ? doc.Version : undefined,
      Id: typeof doc.Id === "string" ? doc.Id : undefined,
      Statement: statements as Bag[],
    };
  } catch {
    return undefined;
  }
}

function merge(into: Doc, doc: Doc): void {
  if (doc.Id) into.Id = doc.Id;
  if (doc.Version && (!into.Version || doc.Version > into.Version)) into.Version = doc.Version;
  for (const s of doc.Statement) {
    const sid = typeof s.Sid === "string" ? s.Sid : "";
    const at = sid ? into.Statement.findIndex((e) => e.Sid === sid) : -1;
    if (at >= 0) into.Statement[at] = s;
    else into.Statement.push(s);
  }
}

function goJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
}

function hashCode(text: string): string {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return String(hash);
}

/** The result of `aws:iam/getPolicyDocument:getPolicyDocument` for the invoke's inputs. */
export function policyDocument(inputs: Bag): Bag {
  const doc: Doc = { Statement: [] };
  for (const source of strings(inputs.sourcePolicyDocuments)) {
    const parsed = parseDoc(source);
    if (parsed) merge(doc, parsed);
  }
  const own: Doc = {
    Version: typeof inputs.version === "string" && inputs.version ? inputs.version : "2012-10-17",
    Id: typeof inputs.policyId === "string" && inputs.policyId ? inputs.policyId : undefined,
    Statement: (Array.isArray(inputs.statements) ? (inputs.statements as Bag[]) : []).map(statement),
  };
  merge(doc, own);
  for (const override of strings(inputs.overridePolicyDocuments)) {
    const parsed = parseDoc(override);
    if (parsed) merge(doc, parsed);
  }
  const ordered = Object.fromEntries(
    Object.entries({
      Version: doc.Version,
      Id: doc.Id,
      Statement: doc.Statement.length ? doc.Statement : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  const json = goJson(ordered, 2);
  return { ...inputs, id: hashCode(json), json, minifiedJson: goJson(ordered) };
}
