import { hasWildcard } from "./glob";

/** Longest literal prefix used as a key: longer prefixes are cut to it, and verified by the full match. */
const KEY = 8;

/**
 * Values keyed by a name pattern (`orders`, `team-a-*`, `*-audit`): `anchored(name)` returns those whose
 * pattern can match `name`, found by the pattern's literal prefix, plus every pattern without one. Callers
 * still match each candidate; the index only spares them the ones that cannot match.
 */
export class PatternIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly byPrefix = new Map<string, T[]>();
  /** Patterns that start with a wildcard: any name may match them. */
  readonly unanchored: T[] = [];
  private size = 0;

  add(pattern: string, value: T): void {
    this.size++;
    if (!hasWildcard(pattern)) return push(this.exact, pattern, value);
    const first = Math.min(...["*", "?"].map((w) => pattern.indexOf(w)).filter((i) => i >= 0));
    if (first === 0) this.unanchored.push(value);
    else push(this.byPrefix, pattern.slice(0, Math.min(first, KEY)), value);
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** Values whose pattern may match `name` and starts with a literal: exact, then by prefix (at most KEY lookups). */
  anchored(name: string): T[] {
    const out: T[] = [...(this.exact.get(name) ?? [])];
    if (this.byPrefix.size) {
      for (let k = 1; k <= Math.min(name.length, KEY); k++) {
        const list = this.byPrefix.get(name.slice(0, k));
        if (list) out.push(...list);
      }
    }
    return out;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
