/**
 * Wildcard matching as IAM, AWS Backup selections and the pack's exemptions use it: `*` matches any run of
 * characters (also none, also `:` and `/`), `?` exactly one character, anywhere in the pattern. See "IAM JSON
 * policy elements: Action" and "Resource" in the IAM User Guide
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 *
 * Patterns come from the stacks the pack analyzes, so matching must not depend on their shape: translated to a
 * regular expression, `*a*a*a…b` against `aaaa…` backtracks exponentially. Here the pattern is split at its
 * stars into segments; the first must match at the start, the last at the end, and each middle one is taken at
 * its leftmost place (a leftmost match never loses a solution a later one would find, because only stars sit
 * between segments). Cost: at most |pattern| x |text| character comparisons, never more, with no recursion.
 */

/** A pattern split at its stars, compiled once per pattern. */
interface Compiled {
  /** The segments between stars (with `?`), folded when matching ignores case. */
  segments: string[];
  /** Whether the pattern contains a star at all (otherwise it is one segment matched exactly). */
  star: boolean;
}

const compiled = new Map<string, Compiled>();
const foldedCompiled = new Map<string, Compiled>();

/** Case folding per UTF-16 unit, so that `?` still counts one character after folding. */
function fold(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += lower.length === ch.length ? lower : ch;
  }
  return out;
}

function compile(pattern: string, ignoreCase: boolean): Compiled {
  const cache = ignoreCase ? foldedCompiled : compiled;
  let c = cache.get(pattern);
  if (!c) {
    const source = ignoreCase ? fold(pattern) : pattern;
    c = { segments: source.split("*"), star: source.includes("*") };
    // Patterns repeat across a stack's documents; keep the cache bounded across requests.
    if (cache.size > 5000) cache.clear();
    cache.set(pattern, c);
  }
  return c;
}

/** Whether `segment` (with `?` for any one character) matches `text` at `at`. */
function segmentAt(segment: string, text: string, at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const p = segment.charCodeAt(i);
    if (p !== 63 /* ? */ && p !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost place in `text[from, to)` where `segment` matches whole, or -1. */
function find(segment: string, text: string, from: number, to: number): number {
  for (let at = from; at + segment.length <= to; at++) if (segmentAt(segment, text, at)) return at;
  return -1;
}

/** Whether `text` matches `pattern` (`*` and `?` wildcards). Case-sensitive unless `ignoreCase` (IAM actions). */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const { segments, star } = compile(pattern, ignoreCase);
  const subject = ignoreCase ? fold(text) : text;
  if (!star) return segments[0].length === subject.length && segmentAt(segments[0], subject, 0);
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (first.length + last.length > subject.length) return false;
  if (!segmentAt(first, subject, 0)) return false;
  const end = subject.length - last.length;
  if (!segmentAt(last, subject, end)) return false;
  let at = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i];
    if (segment === "") continue;
    const found = find(segment, subject, at, end);
    if (found < 0) return false;
    at = found + segment.length;
  }
  return true;
}

export function hasWildcard(text: string): boolean {
  return text.includes("*") || text.includes("?");
}
