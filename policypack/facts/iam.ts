import { globMatch } from "./glob";
import { Bag, Maybe, UNKNOWN, arr, jsonDoc, obj, plain, str, strList } from "./value";

/** One condition test: `"<operator>": {"<key>": values}`. Keys are lower-cased (IAM keys are case-insensitive). */
export interface Condition {
  operator: string;
  key: string;
  values: Maybe<Maybe<string>[]>;
}

export interface Principals {
  /** `"*"`, `{"AWS": "*"}` or a list containing `"*"`. */
  anyone: boolean;
  /** AWS principals (account IDs, ARNs). */
  aws: Maybe<string>[];
  /** Service principals. */
  services: Maybe<string>[];
  /** Federated or canonical-user principals. */
  others: Maybe<string>[];
  /** Some principal value is not known yet. */
  unknown: boolean;
  /** No `Principal` element (identity policies). */
  absent: boolean;
}

export interface Statement {
  index: number;
  sid?: string;
  effect: Maybe<string>;
  /** `NotPrincipal` was used instead of `Principal`. */
  notPrincipal: boolean;
  principals: Principals;
  actions: Maybe<Maybe<string>[]>;
  notActions: Maybe<Maybe<string>[]>;
  resources: Maybe<Maybe<string>[]>;
  notResources: Maybe<Maybe<string>[]>;
  conditions: Maybe<Condition[]>;
}

export interface PolicyDoc {
  /** The whole document is not known yet (typical in preview: it embeds ARNs of new resources). */
  unknown: boolean;
  /** The document is present but not a readable policy. */
  invalid: boolean;
  statements: Statement[];
}

export const UNKNOWN_DOC: PolicyDoc = { unknown: true, invalid: false, statements: [] };
export const ABSENT_DOC: PolicyDoc = { unknown: false, invalid: false, statements: [] };

function principals(value: unknown, absent: boolean): Principals {
  const p: Principals = { anyone: false, aws: [], services: [], others: [], unknown: false, absent };
  if (absent) return p;
  const v = plain(value);
  const s = str(v);
  if (s === UNKNOWN) p.unknown = true;
  else if (s === "*") p.anyone = true;
  else if (typeof s === "string") p.aws.push(s);
  const map = obj(v);
  if (map === UNKNOWN) p.unknown = true;
  else if (map) {
    for (const [kind, raw] of Object.entries(map)) {
      const list = strList(raw);
      if (list === UNKNOWN) {
        p.unknown = true;
        continue;
      }
      for (const item of list ?? []) {
        if (item === UNKNOWN) p.unknown = true;
        if (kind.toLowerCase() === "aws") {
          if (item === "*") p.anyone = true;
          else p.aws.push(item);
        } else if (kind.toLowerCase() === "service") p.services.push(item);
        else {
          if (item === "*") p.anyone = true;
          p.others.push(item);
        }
      }
    }
  }
  return p;
}

function conditionValues(raw: unknown): Maybe<Maybe<string>[]> {
  const v = plain(raw);
  if (typeof v === "boolean" || typeof v === "number") return [String(v)];
  const list = arr(v);
  if (Array.isArray(list)) {
    return list.map((item) => {
      const p = plain(item);
      return typeof p === "boolean" || typeof p === "number" ? String(p) : str(p);
    });
  }
  return strList(v);
}

function conditions(value: unknown): Maybe<Condition[]> {
  const block = obj(value);
  if (block === UNKNOWN) return UNKNOWN;
  if (!block) return [];
  const out: Condition[] = [];
  for (const [operator, tests] of Object.entries(block)) {
    const map = obj(tests);
    if (map === UNKNOWN) {
      out.push({ operator, key: "", values: UNKNOWN });
      continue;
    }
    for (const [key, raw] of Object.entries(map ?? {})) {
      out.push({ operator, key: key.toLowerCase(), values: conditionValues(raw) });
    }
  }
  return out;
}

function statement(raw: unknown, index: number): Statement | Maybe<never> {
  const s = obj(raw);
  if (s === UNKNOWN) return UNKNOWN;
  if (!s) return undefined;
  const sid = str(s.Sid);
  const hasNotPrincipal = s.NotPrincipal !== undefined;
  return {
    index,
    sid: typeof sid === "string" ? sid : undefined,
    effect: str(s.Effect),
    notPrincipal: hasNotPrincipal,
    principals: principals(
      hasNotPrincipal ? s.NotPrincipal : s.Principal,
      !hasNotPrincipal && s.Principal === undefined,
    ),
    actions: s.Action === undefined ? undefined : strList(s.Action),
    notActions: s.NotAction === undefined ? undefined : strList(s.NotAction),
    resources: s.Resource === undefined ? undefined : strList(s.Resource),
    notResources: s.NotResource === undefined ? undefined : strList(s.NotResource),
    conditions: conditions(s.Condition),
  };
}

/** Reads an IAM policy document given as a JSON string or an object. Never throws. */
export function policyDoc(value: unknown): PolicyDoc {
  const doc = jsonDoc(value);
  if (doc === UNKNOWN) return UNKNOWN_DOC;
  if (doc === undefined) return { unknown: false, invalid: true, statements: [] };
  const d = obj(doc);
  if (d === UNKNOWN) return UNKNOWN_DOC;
  if (!d) return { unknown: false, invalid: true, statements: [] };
  const raw = d.Statement;
  const list: Maybe<unknown[]> = Array.isArray(plain(raw)) ? arr(raw) : raw === undefined ? [] : [raw];
  if (list === UNKNOWN || (list?.length === 1 && str(list[0]) === UNKNOWN)) return UNKNOWN_DOC;
  const out: PolicyDoc = { unknown: false, invalid: list === undefined, statements: [] };
  (list ?? []).forEach((item, i) => {
    const st = statement(item, i);
    if (st === UNKNOWN) out.unknown = true;
    else if (st) out.statements.push(st);
    else out.invalid = true;
  });
  return out;
}

export function isAllow(st: Statement): boolean {
  return typeof st.effect === "string" && st.effect.toLowerCase() === "allow";
}

/** Whether an IAM action pattern (`dynamodb:Get*`, `*`, `dynamodb:?*`) covers `action` (case-insensitive, as IAM does). */
export function actionCovers(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/** Known strings of a list (unknown and absent elements dropped). */
export function known(list: Maybe<Maybe<string>[]>): string[] {
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
}

export function hasUnknown(list: Maybe<Maybe<string>[]>): boolean {
  return list === UNKNOWN || (Array.isArray(list) && list.some((x) => x === UNKNOWN));
}

export type { Bag };
