import { Subject } from "./facts/model";
import { globMatch } from "./facts/value";

/** An exemption as written in a policy's configuration. */
export interface ExemptionConfig {
  urn?: string;
  name?: string;
  tags?: Record<string, string>;
  reason?: string;
  expires?: string;
}

export interface Exemption {
  urn?: string;
  name?: string;
  tags?: Record<string, string>;
  reason: string;
  expires: Date;
  expiresText: string;
}

/** The JSON schema of `exemptions`, shared by every policy's `configSchema`. */
export const EXEMPTIONS_SCHEMA = {
  type: "array",
  description:
    "Resources this policy does not apply to, each with a reason and an expiry date. Match by URN pattern, resource name pattern (`*` wildcards) and/or tags; all given matchers must match.",
  items: {
    type: "object",
    properties: {
      urn: { type: "string", description: "URN pattern, e.g. `urn:pulumi:prod::shop::*::legacy-*`." },
      name: { type: "string", description: "Resource name pattern, e.g. `legacy-*`." },
      tags: {
        type: "object",
        additionalProperties: { type: "string" },
        description: "Tags the resource must carry.",
      },
      reason: { type: "string", minLength: 1, description: "Why the resource is exempt (shown in reviews)." },
      expires: {
        type: "string",
        description: "When the exemption stops applying: `YYYY-MM-DD` (00:00 UTC) or an ISO 8601 time.",
      },
    },
    required: ["reason", "expires"],
    // A misspelt matcher (`nmae`) would leave an exemption that matches nothing, or more than meant.
    additionalProperties: false,
  },
};

export interface ParsedExemptions {
  valid: Exemption[];
  /** Entries that cannot apply, with the reason; reported when they would have matched. */
  invalid: { entry: ExemptionConfig; problem: string }[];
}

function parseDate(text: string): Date | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export function parseExemptions(raw: unknown): ParsedExemptions {
  const out: ParsedExemptions = { valid: [], invalid: [] };
  if (!Array.isArray(raw)) return out;
  for (const item of raw) {
    if (!item || typeof item !== "object" || Array.isArray(item)) continue;
    const entry = item as Record<string, unknown>;
    const tags =
      entry.tags && typeof entry.tags === "object" && !Array.isArray(entry.tags)
        ? (Object.fromEntries(
            Object.entries(entry.tags as Record<string, unknown>).filter(([, v]) => typeof v === "string"),
          ) as Record<string, string>)
        : undefined;
    const config: ExemptionConfig = {
      urn: asString(entry.urn),
      name: asString(entry.name),
      tags: tags && Object.keys(tags).length ? tags : undefined,
      reason: asString(entry.reason),
      expires: asString(entry.expires),
    };
    if (!config.urn && !config.name && !config.tags) {
      out.invalid.push({ entry: config, problem: "names no urn, name or tags, so it matches nothing" });
      continue;
    }
    if (!config.reason) {
      out.invalid.push({ entry: config, problem: "has no reason" });
      continue;
    }
    const expires = config.expires ? parseDate(config.expires) : undefined;
    if (!expires) {
      out.invalid.push({
        entry: config,
        problem: config.expires ? `has an unreadable expiry "${config.expires}"` : "has no expiry date",
      });
      continue;
    }
    out.valid.push({
      urn: config.urn,
      name: config.name,
      tags: config.tags,
      reason: config.reason,
      expires,
      expiresText: config.expires!,
    });
  }
  return out;
}

function matches(
  e: { urn?: string; name?: string; tags?: Record<string, string> },
  subject: Subject,
): boolean {
  if (e.urn && !globMatch(e.urn, subject.urn)) return false;
  if (e.name && !globMatch(e.name, subject.name)) return false;
  if (e.tags) {
    for (const [k, v] of Object.entries(e.tags)) if (subject.tags.get(k) !== v) return false;
  }
  return !!(e.urn || e.name || e.tags);
}

export type ExemptionResult = { exempt: true } | { exempt: false; notes: string[] };

/** Whether an active exemption covers the subject; otherwise notes about expired or invalid ones that match it. */
export function checkExemption(subject: Subject, exemptions: ParsedExemptions, now: Date): ExemptionResult {
  const notes: string[] = [];
  for (const e of exemptions.valid) {
    if (!matches(e, subject)) continue;
    if (now.getTime() < e.expires.getTime()) return { exempt: true };
    notes.push(
      `An exemption for this resource expired on ${e.expiresText} (reason: "${e.reason}") and no longer applies.`,
    );
  }
  for (const { entry, problem } of exemptions.invalid) {
    if (matches(entry, subject))
      notes.push(`An exemption matching this resource ${problem}, so it does not apply.`);
  }
  return { exempt: false, notes };
}
