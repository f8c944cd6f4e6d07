/**
 * Checks a policy's configuration against the policy's own `configSchema`. The engine validates configuration
 * before it sends it, but a pack reached over gRPC (another engine, a test harness, a hand-written
 * `Configure`) gets whatever it is given; a setting the pack cannot read would otherwise fall back to its
 * default without a word. Covers the part of JSON Schema the pack's schemas use.
 */
export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === "number" && actual === "integer");
}

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Problems of `value` against `schema`, each naming its path; empty when it conforms. */
export function schemaProblems(schema: SchemaNode, value: unknown, path: string, depth = 0): string[] {
  if (depth > 32) return [`${path} is nested too deeply to check`];
  const actual = typeOf(value);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length && !types.some((t) => typeMatches(t, actual)))
    return [
      `${path} must be ${types.map((t) => `a${/^[aeiou]/.test(t) ? "n" : ""} ${t}`).join(" or ")}, not ${actual} ${show(value)}`,
    ];
  if (schema.enum && !schema.enum.some((e) => e === value))
    return [`${path} must be one of ${schema.enum.map(show).join(", ")}, not ${show(value)}`];
  const problems: string[] = [];
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${path} must have at least ${schema.minLength} character(s)`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
      problems.push(`${path} must match ${schema.pattern}, not ${show(value)}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${path} must be at least ${schema.minimum}, not ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      problems.push(`${path} must be at most ${schema.maximum}, not ${value}`);
  }
  if (Array.isArray(value) && schema.items) {
    value
      .slice(0, 1000)
      .forEach((item, i) =>
        problems.push(...schemaProblems(schema.items!, item, `${path}[${i}]`, depth + 1)),
      );
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? [])
      if (obj[key] === undefined) problems.push(`${path}.${key} is required`);
    for (const [key, item] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      if (sub) problems.push(...schemaProblems(sub, item, `${path}.${key}`, depth + 1));
      else if (typeof schema.additionalProperties === "object")
        problems.push(...schemaProblems(schema.additionalProperties, item, `${path}.${key}`, depth + 1));
      else if (schema.additionalProperties === false) problems.push(`${path}.${key} is not a known setting`);
    }
  }
  return problems;
}

/**
 * Problems of a policy's whole configuration. Unknown top-level keys are problems too: a misspelt setting
 * would otherwise leave the check at its default. `enforcementLevel` belongs to the engine.
 */
export function configProblems(
  properties: Record<string, SchemaNode>,
  config: Record<string, unknown>,
): string[] {
  const rest = { ...config };
  delete rest.enforcementLevel;
  return schemaProblems({ type: "object", properties, additionalProperties: false }, rest, "config");
}
