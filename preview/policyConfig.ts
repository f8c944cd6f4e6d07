import * as fs from "fs";
import Ajv, { ErrorObject } from "ajv";
import type { EnforcementLevel, PolicyConfig, PolicyInfo } from "./analyzerClient";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export class PolicyConfigError extends Error {}

/** One policy's configuration after parsing: an optional level and its properties. */
interface ParsedConfig {
  enforcementLevel?: EnforcementLevel;
  properties: Record<string, unknown>;
}

/**
 * Reads a policy pack configuration file in the format of `pulumi preview --policy-pack-config`: a JSON
 * object keyed by policy name (or `all`), each value an enforcement level or an object with
 * `enforcementLevel` and the policy's configuration properties. Errors use the engine's wording
 * (pulumi/pulumi `pkg/resource/analyzer/config.go`).
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
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PolicyConfigError(`policy pack config ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new PolicyConfigError(`policy pack config ${file} must be a JSON object keyed by policy name`);
  }
  const config = { ...(parsed as Record<string, unknown>) };
  delete config.environments;
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === "string") {
      if (!LEVELS.includes(value as EnforcementLevel))
        throw new PolicyConfigError(
          `policy pack config ${file}: parsing enforcement level for "${name}": "${value}" is not a valid enforcement level; use one of ${LEVELS.join(", ")}`,
        );
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new PolicyConfigError(
        `policy pack config ${file}: parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`,
      );
    }
    const level = (value as { enforcementLevel?: unknown }).enforcementLevel;
    if (level !== undefined && !LEVELS.includes(level as EnforcementLevel)) {
      throw new PolicyConfigError(
        `policy pack config ${file}: parsing enforcement level for "${name}": ${JSON.stringify(level)} is not a valid enforcement level; use one of ${LEVELS.join(", ")}`,
      );
    }
  }
  return config as Record<string, PolicyConfig>;
}

function parse(value: PolicyConfig): ParsedConfig {
  if (typeof value === "string") return { enforcementLevel: value, properties: {} };
  const { enforcementLevel, ...properties } = value;
  return { enforcementLevel, properties };
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** An ajv error worded as the engine's validator (gojsonschema) words it. */
function describe(error: ErrorObject, config: Record<string, unknown>): string {
  const field = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const at = (text: string) => (field ? `${field}: ${text}` : text);
  const value = error.instancePath
    .split("/")
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], config);
  switch (error.keyword) {
    case "required":
      return `${(error.params as { missingProperty: string }).missingProperty} is required`;
    case "type":
      return at(
        `Invalid type. Expected: ${(error.params as { type: string }).type}, given: ${typeOf(value)}`,
      );
    case "enum":
      return at(
        `${field} must be one of the following: ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`,
      );
    case "additionalProperties":
      return at(
        `Additional property ${(error.params as { additionalProperty: string }).additionalProperty} is not allowed`,
      );
    default:
      return at(error.message ?? error.keyword);
  }
}

/**
 * Reconciles the file's configuration with the pack's policies as the engine does before `Configure`
 * (`ReconcilePolicyPackConfig`): every policy starts from its own default enforcement level and the
 * `default`s of its config schema; `all` sets every policy's level; a policy's entry sets its level
 * only when it names one and adds its properties; the result is validated against each policy's
 * config schema, and every violation is reported, sorted, in one error.
 */
export function resolvePolicyConfig(
  config: Record<string, PolicyConfig>,
  policies: PolicyInfo[],
  packName = "policy pack",
): Record<string, PolicyConfig> {
  const names = new Set(policies.map((p) => p.name));
  const unknown = Object.keys(config).filter((k) => k !== "all" && !names.has(k));
  if (unknown.length) {
    throw new PolicyConfigError(
      `policy pack config names unknown policies: ${unknown.join(", ")} (the pack has ${[...names].join(", ")})`,
    );
  }
  const result = new Map<string, ParsedConfig>();
  for (const policy of policies) {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      const def = (schema as { default?: unknown } | null)?.default;
      if (def !== undefined) defaults[key] = def;
    }
    result.set(policy.name, { enforcementLevel: policy.enforcementLevel, properties: defaults });
  }
  const all = config.all !== undefined ? parse(config.all) : undefined;
  if (all?.enforcementLevel)
    for (const entry of result.values()) entry.enforcementLevel = all.enforcementLevel;
  for (const [name, value] of Object.entries(config)) {
    const given = parse(value);
    const entry = result.get(name) ?? { properties: {} };
    if (given.enforcementLevel) entry.enforcementLevel = given.enforcementLevel;
    Object.assign(entry.properties, given.properties);
    result.set(name, entry);
  }
  const errors: string[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const policy of policies) {
    if (!policy.configSchema) continue;
    const schema: Record<string, unknown> = { type: "object" };
    if (Object.keys(policy.configSchema.properties ?? {}).length)
      schema.properties = policy.configSchema.properties;
    if (policy.configSchema.required?.length) schema.required = policy.configSchema.required;
    const properties = result.get(policy.name)?.properties ?? {};
    const validate = ajv.compile(schema);
    if (!validate(properties))
      for (const error of validate.errors ?? [])
        errors.push(`${policy.name}: ${describe(error, properties)}`);
  }
  if (errors.length) {
    throw new PolicyConfigError(`validating policy config for "${packName}": ${errors.sort().join("; ")}`);
  }
  const resolved: Record<string, PolicyConfig> = {};
  for (const [name, entry] of result) {
    if (name === "all") continue;
    resolved[name] = { enforcementLevel: entry.enforcementLevel ?? "advisory", ...entry.properties };
  }
  return resolved;
}
