import * as fs from "fs";
import type { EnforcementLevel, PolicyConfig, PolicyInfo } from "./analyzerClient";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export class PolicyConfigError extends Error {}

/**
 * Reads a policy pack configuration file in the format of `pulumi preview --policy-pack-config`: a JSON
 * object keyed by policy name (or `all`), each value an enforcement level or an object with
 * `enforcementLevel` and the policy's configuration properties.
 */
export function readPolicyConfig(file: string): Record<string, PolicyConfig> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyConfigError(
      `cannot read policy pack config ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PolicyConfigError(`policy pack config ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new PolicyConfigError(`policy pack config ${file} must be a JSON object keyed by policy name`);
  }
  const config = parsed as Record<string, unknown>;
  for (const [name, value] of Object.entries(config)) {
    const level =
      typeof value === "string" ? value : (value as { enforcementLevel?: unknown } | null)?.enforcementLevel;
    if (typeof value !== "string" && (value === null || typeof value !== "object" || Array.isArray(value))) {
      throw new PolicyConfigError(
        `policy pack config ${file}: "${name}" must be an enforcement level or an object`,
      );
    }
    if (level !== undefined && !LEVELS.includes(level as EnforcementLevel)) {
      throw new PolicyConfigError(
        `policy pack config ${file}: "${name}" has enforcement level "${String(level)}"; use one of ${LEVELS.join(", ")}`,
      );
    }
  }
  return config as Record<string, PolicyConfig>;
}

/** Resolves `all` and checks every named policy exists, as the engine does before `Configure`. */
export function resolvePolicyConfig(
  config: Record<string, PolicyConfig>,
  policies: PolicyInfo[],
): Record<string, PolicyConfig> {
  const names = new Set(policies.map((p) => p.name));
  const unknown = Object.keys(config).filter((k) => k !== "all" && !names.has(k));
  if (unknown.length) {
    throw new PolicyConfigError(`policy pack config names unknown policies: ${unknown.join(", ")}`);
  }
  const resolved: Record<string, PolicyConfig> = {};
  const all = config.all;
  for (const policy of policies) {
    const own = config[policy.name];
    if (all !== undefined && own === undefined) resolved[policy.name] = all;
    else if (own !== undefined) resolved[policy.name] = own;
  }
  return resolved;
}
