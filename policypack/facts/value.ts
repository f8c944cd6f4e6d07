/**
 * Reading raw property bags without ever throwing. Every reader returns a known value, `UNKNOWN`
 * (a preview sentinel: the value exists but is not computed yet) or `undefined` (absent, or of a
 * type the reader cannot use). Nothing here goes through the policy SDK's unknown-checking proxy.
 */

/** A value that exists but is not known until the update (a preview sentinel). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;
export type Maybe<T> = T | Unknown | undefined;

/** Three-state answer to a yes/no question about a resource. */
export type Tri = "yes" | "no" | "unknown";

// The engine's sentinels for unknown values of each type (@pulumi/policy/proxy.js, @pulumi/pulumi/runtime/rpc.js).
const SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Bag = Record<string, unknown>;

/** Unwraps secrets in every form a policy can meet them: the SDK's `Secret` class and the wire signature. */
export function plain(value: unknown): unknown {
  let v = value;
  for (let i = 0; i < 4 && v !== null && typeof v === "object"; i++) {
    const obj = v as Bag;
    if (obj.constructor?.name === "Secret" && "value" in obj && Object.keys(obj).length === 1) v = obj.value;
    else if (obj[SECRET_SIG_KEY] === SECRET_SIG) v = obj.value;
    else break;
  }
  return v;
}

function sentinel(v: unknown): boolean {
  return v === UNKNOWN || (typeof v === "string" && v.length === 36 && SENTINELS.has(v));
}

/** Whether a raw value is unknown during preview (any of the engine's sentinels, or `UNKNOWN`). */
export function isUnknown(value: unknown): boolean {
  return sentinel(plain(value));
}

export function str(value: unknown): Maybe<string> {
  const v = plain(value);
  if (sentinel(v)) return UNKNOWN;
  return typeof v === "string" ? v : undefined;
}

/** Booleans, also as the strings "true"/"false" (providers coerce them). */
export function bool(value: unknown): Maybe<boolean> {
  const v = plain(value);
  if (typeof v === "boolean") return v;
  if (sentinel(v)) return UNKNOWN;
  if (typeof v === "string") {
    const lower = v.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  return undefined;
}

export function num(value: unknown): Maybe<number> {
  const v = plain(value);
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (sentinel(v)) return UNKNOWN;
  if (typeof v === "string") {
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  }
  return undefined;
}

export function obj(value: unknown): Maybe<Bag> {
  const v = plain(value);
  if (sentinel(v)) return UNKNOWN;
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Bag;
  return undefined;
}

export function arr(value: unknown): Maybe<unknown[]> {
  const v = plain(value);
  if (sentinel(v)) return UNKNOWN;
  return Array.isArray(v) ? v : undefined;
}

/** A property of an object that may itself be unknown or absent. */
export function at(value: Maybe<Bag>, key: string): unknown {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === undefined) return undefined;
  return value[key];
}

/** Strings of a list; unknown elements stay unknown. A single string counts as a list of one. */
export function strList(value: unknown): Maybe<Maybe<string>[]> {
  const v = plain(value);
  if (sentinel(v)) return UNKNOWN;
  if (typeof v === "string") return [v];
  if (!Array.isArray(v)) return undefined;
  return v.map(str);
}

export function triOf(value: Maybe<boolean>): Tri {
  if (value === UNKNOWN) return "unknown";
  return value === true ? "yes" : "no";
}

export function lower(value: Maybe<string>): Maybe<string> {
  return typeof value === "string" ? value.toLowerCase() : value;
}

/** Tags as a map: classic providers use a map, aws-native a list of `{key, value}`. Unknown values stay unknown. */
export function tagsOf(value: unknown): { tags: Map<string, Maybe<string>>; unknown: boolean } {
  const tags = new Map<string, Maybe<string>>();
  const v = plain(value);
  if (sentinel(v)) return { tags, unknown: true };
  if (typeof v === "string") return { tags, unknown: false };
  if (Array.isArray(v)) {
    let unknown = false;
    for (const item of v) {
      const entry = obj(item);
      if (entry === UNKNOWN) unknown = true;
      if (!entry || entry === UNKNOWN) continue;
      const key = str(entry.key ?? entry.Key);
      if (key === UNKNOWN) unknown = true;
      if (typeof key === "string") tags.set(key, str(entry.value ?? entry.Value));
    }
    return { tags, unknown };
  }
  if (v !== null && typeof v === "object") {
    for (const [k, item] of Object.entries(v as Bag)) tags.set(k, str(item));
  }
  return { tags, unknown: false };
}

/** Parses a JSON document given as a string or an object; unknown strings stay unknown. */
export function jsonDoc(value: unknown): Maybe<unknown> {
  const v = plain(value);
  if (sentinel(v)) return UNKNOWN;
  if (typeof v === "string") {
    try {
      return JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (v !== null && typeof v === "object") return v;
  return undefined;
}

export { globMatch, hasWildcard } from "./glob";
