import { PackageSchema, PropertySpec, ResourceSpec } from "./plugin";

/** A value computed by the program (an interpolation, a call): its type is not checked, its sources are. */
export class Expression {
  constructor(
    readonly text: string,
    /** The program names the expression reads (a resource, a variable, `pulumi`). */
    readonly roots: string[],
  ) {}
}

export type ExampleValue =
  string | number | boolean | null | Expression | ExampleValue[] | { [key: string]: ExampleValue };

/** How an example program spells schema property names (YAML keeps them, Python snake_cases them). */
export type Naming = (schemaName: string) => string;

export interface ExampleContext {
  schema: PackageSchema;
  /** Names in the program whose values are resource outputs, unknown until deployment. */
  resources: Set<string>;
  naming: Naming;
}

/** Problems with the properties a program passes to one of the package's components. */
export function resourceInputProblems(
  where: string,
  properties: Record<string, ExampleValue>,
  resource: ResourceSpec,
  context: ExampleContext,
): string[] {
  return objectProblems(where, properties, resource.inputProperties, resource.requiredInputs, context);
}

/** The schema property an example key stands for, if any. */
export function schemaName(
  key: string,
  properties: Record<string, PropertySpec>,
  naming: Naming,
): string | undefined {
  return Object.keys(properties).find((name) => naming(name) === key);
}

/** Python's spelling of a schema name, as Pulumi's code generator makes it (`keyArn` → `key_arn`). */
export function pythonName(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

function objectProblems(
  where: string,
  value: Record<string, ExampleValue>,
  properties: Record<string, PropertySpec>,
  required: string[],
  context: ExampleContext,
): string[] {
  const problems: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const name = schemaName(key, properties, context.naming);
    if (!name) problems.push(`${where}: '${key}' is not a property in the schema`);
    else problems.push(...valueProblems(`${where}.${key}`, item, properties[name], context));
  }
  for (const name of required) {
    if (!(context.naming(name) in value))
      problems.push(`${where}: required '${context.naming(name)}' is missing`);
  }
  return problems;
}

function valueProblems(
  where: string,
  value: ExampleValue,
  spec: PropertySpec,
  context: ExampleContext,
): string[] {
  if (value instanceof Expression) {
    const outputs = value.roots.filter((root) => context.resources.has(root));
    return spec.plain && outputs.length
      ? [`${where}: a plain (known at construction) input cannot take the output ${value.text}`]
      : [];
  }
  if (spec.$ref?.startsWith("#/types/")) {
    const type = context.schema.types[decodeURIComponent(spec.$ref.slice("#/types/".length))];
    if (!isObject(value)) return [`${where}: expected an object (${spec.$ref})`];
    return objectProblems(where, value, type.properties ?? {}, type.required ?? [], context);
  }
  switch (spec.type) {
    case "string":
      return typeof value === "string" ? [] : [`${where}: expected a string`];
    case "number":
    case "integer":
      return typeof value === "number" ? [] : [`${where}: expected a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${where}: expected a boolean`];
    case "array":
      if (!Array.isArray(value)) return [`${where}: expected a list`];
      return value.flatMap((item, i) => valueProblems(`${where}[${i}]`, item, spec.items!, context));
    case "object":
      if (!isObject(value)) return [`${where}: expected a map`];
      return Object.entries(value).flatMap(([k, item]) =>
        spec.additionalProperties
          ? valueProblems(`${where}.${k}`, item, spec.additionalProperties, context)
          : [],
      );
    default:
      return [];
  }
}

function isObject(value: ExampleValue): value is { [key: string]: ExampleValue } {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Expression)
  );
}
