import { Bag } from "./facts/value";

const FAIL = Symbol("fail");
type Step = string | number;

function steps(path: string): Step[] {
  const out: Step[] = [];
  for (const segment of path.split(".")) {
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(segment);
    if (!m) return [];
    out.push(m[1]);
    if (m[2] !== undefined) out.push(Number(m[2]));
  }
  return out;
}

function isPlainObject(value: unknown): value is Bag {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

function set(container: unknown, path: Step[], value: unknown): unknown {
  if (!path.length) return value;
  const [step, ...rest] = path;
  if (typeof step === "number") {
    if (!Array.isArray(container) || step >= container.length) return FAIL;
    const next = set(container[step], rest, value);
    if (next === FAIL) return FAIL;
    const copy = container.slice();
    copy[step] = next;
    return copy;
  }
  if (container !== undefined && !isPlainObject(container)) return FAIL;
  const next = set(container?.[step], rest, value);
  if (next === FAIL) return FAIL;
  return { ...(container ?? {}), [step]: next };
}

/**
 * A copy of `bag` with `path` (`a.b`, `list[2].c`) set to `value`, sharing everything else (secrets stay wrapped).
 * Undefined when the path runs through a value that is not a plain object (unknown, secret, wrong type).
 */
export function withPath(bag: Bag, path: string, value: unknown): Bag | undefined {
  const p = steps(path);
  if (!p.length) return undefined;
  const result = set(bag, p, value);
  return result === FAIL ? undefined : (result as Bag);
}
