import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";

/**
 * The JSON schema of the policy configuration file users write (`pulumi preview --policy-pack-config`,
 * `pulumi policy enable --config`), built from the policies' own `configSchema`s. The engine reads that file
 * as an object keyed by policy name (or `all`, which sets every policy's level), each value an enforcement level
 * or an object with `enforcementLevel` and the policy's settings (pulumi/pulumi, pkg/engine policy config
 * parsing). `policypack/config.schema.json` is this function's output; a test keeps the two equal.
 */
export const CONFIG_SCHEMA_FILE = "config.schema.json";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

interface PolicyLike {
  name: string;
  description: string;
  enforcementLevel?: EnforcementLevel;
  configSchema?: PolicyConfigSchema;
}

type Json = Record<string, unknown>;

const level = { $ref: "#/definitions/enforcementLevel" };

/** The settings of one policy: a shared definition where a property is the pack-wide one (exemptions). */
function policySchema(policy: PolicyLike, shared: Map<string, { name: string; json: string }>): Json {
  const properties: Json = { enforcementLevel: level };
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    const common = shared.get(key);
    properties[key] = common && common.json === JSON.stringify(schema) ? { $ref: common.name } : schema;
  }
  const object: Json = { type: "object", properties, additionalProperties: false };
  if (policy.configSchema?.required?.length) object.required = policy.configSchema.required;
  const fallback = policy.enforcementLevel ? ` Default level: ${policy.enforcementLevel}.` : "";
  return {
    description: `${policy.description}${fallback}`,
    oneOf: [level, object],
  };
}

/**
 * Draft-07: the newest draft the engine's validator (gojsonschema) reads, and ajv's default. Properties every
 * policy declares identically (exemptions) are written once under `definitions`.
 */
export function policyConfigFileSchema(packName: string, policies: readonly PolicyLike[]): Json {
  const counts = new Map<string, { count: number; json: string; schema: unknown }>();
  for (const policy of policies) {
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      const json = JSON.stringify(schema);
      const seen = counts.get(key);
      if (!seen) counts.set(key, { count: 1, json, schema });
      else if (seen.json === json) seen.count++;
    }
  }
  const definitions: Json = {
    enforcementLevel: {
      description:
        "What a violation of the policy does: fail the update, warn, fix the resource, or nothing.",
      enum: LEVELS,
    },
  };
  const shared = new Map<string, { name: string; json: string }>();
  for (const [key, { count, json, schema }] of counts) {
    if (count < 2 || count < policies.length) continue;
    definitions[key] = schema;
    shared.set(key, { name: `#/definitions/${key}`, json });
  }
  const properties: Json = {
    all: {
      description: "Sets the enforcement level of every policy; a policy's own entry takes precedence.",
      oneOf: [
        level,
        { type: "object", properties: { enforcementLevel: level }, additionalProperties: false },
      ],
    },
  };
  for (const policy of policies) properties[policy.name] = policySchema(policy, shared);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `Configuration of the ${packName} policy pack`,
    description:
      "The file given to `pulumi preview --policy-pack-config` or `pulumi policy enable --config`: each policy's " +
      "enforcement level and settings, keyed by policy name. Generated from the policies' configSchema.",
    type: "object",
    properties,
    additionalProperties: false,
    definitions,
  };
}
