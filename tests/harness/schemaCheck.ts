import { DeclaredComponent, DeclaredSurface, OTHER_LANGUAGES_TAG } from "./componentSurface";
import { PackageSchema, PropertySpec, ResourceSpec } from "./plugin";

const ANY_REF = "pulumi.json#/Any";

/** The type token other languages use for a component class. */
export function componentToken(packageName: string, className: string): string {
  return `${packageName}:index:${className}`;
}

/**
 * Everything a user of another language would miss or trip over: each entry names the component,
 * the property and what to change. An empty list means the schema carries the whole public surface.
 */
export function schemaProblems(
  schema: PackageSchema,
  surface: DeclaredSurface,
  packageName: string,
): string[] {
  const problems: string[] = [];
  for (const component of surface.components) {
    problems.push(...componentProblems(schema, component, packageName));
  }
  problems.push(...typeProblems(schema, surface, packageName));
  problems.push(...propertyProblems(schema));
  return problems;
}

function componentProblems(
  schema: PackageSchema,
  component: DeclaredComponent,
  packageName: string,
): string[] {
  const name = component.className;
  const token = componentToken(packageName, name);
  const resource: ResourceSpec | undefined = schema.resources?.[token];
  if (!resource) return [`${name}: missing from the schema (expected resource ${token})`];
  const problems: string[] = [];
  if (!resource.isComponent) problems.push(`${name}: not marked as a component in the schema`);
  if (!resource.description?.trim()) problems.push(`${name}: no description (TSDoc on the class)`);
  if (component.typeToken !== token) {
    problems.push(
      `${name}: super() registers type ${component.typeToken ?? "(not a string constant)"}, but other languages ` +
        `construct ${token}`,
    );
  }

  const inputs = resource.inputProperties ?? {};
  for (const arg of component.args) {
    if (arg.kind === "method" || arg.kind === "function") {
      problems.push(`${name}: argument '${arg.name}' is a function; other languages cannot pass functions`);
    } else if (!(arg.name in inputs)) {
      problems.push(`${name}: argument '${arg.name}' is missing from the schema inputs`);
    }
  }
  const declaredArgs = new Set(component.args.map((a) => a.name));
  for (const input of Object.keys(inputs)) {
    if (!declaredArgs.has(input))
      problems.push(`${name}: schema input '${input}' is not an argument of ${component.argsType}`);
  }

  const outputs = resource.properties ?? {};
  for (const member of component.members) {
    if (member.isStatic) continue;
    const inSchema = member.name in outputs;
    if (member.visibility !== "public") {
      if (inSchema) {
        problems.push(
          `${name}: ${member.visibility} field '${member.name}' becomes a public output in other languages; ` +
            `keep internal state in local variables`,
        );
      }
    } else if (member.kind === "method" && !member.otherLanguages) {
      problems.push(
        `${name}: public method '${member.name}()' is not available from other languages; expose what it ` +
          `does as a component or outputs, and say how in an @${OTHER_LANGUAGES_TAG} TSDoc tag`,
      );
    } else if (member.kind === "accessor" && !member.otherLanguages) {
      problems.push(
        `${name}: getter '${member.name}' is dropped from the schema; make it a readonly property`,
      );
    } else if (member.kind === "function") {
      problems.push(
        `${name}: output '${member.name}' is a function; other languages cannot receive functions`,
      );
    } else if (!inSchema && member.kind === "property") {
      problems.push(`${name}: public property '${member.name}' is missing from the schema outputs`);
    }
  }
  const publicProperties = new Set(
    component.members.filter((m) => m.visibility === "public" && m.kind === "property").map((m) => m.name),
  );
  for (const output of Object.keys(outputs)) {
    if (!publicProperties.has(output) && !component.members.some((m) => m.name === output)) {
      problems.push(`${name}: schema output '${output}' is not a public property (a #private field leaks)`);
    }
  }
  return problems;
}

/** Object types the schema defines for this package, compared with the interfaces they came from. */
function typeProblems(schema: PackageSchema, surface: DeclaredSurface, packageName: string): string[] {
  const problems: string[] = [];
  const prefix = `${packageName}:index:`;
  for (const [token, type] of Object.entries(schema.types ?? {})) {
    const interfaceName = token.startsWith(prefix) ? token.slice(prefix.length) : token;
    const declarations = surface.interfaces.get(interfaceName) ?? [];
    if (declarations.length > 1) {
      problems.push(
        `type ${interfaceName}: ${declarations.length} interfaces share this name; the schema keeps only one of them`,
      );
    }
    const properties = type.properties ?? {};
    for (const member of declarations[0] ?? []) {
      if (member.kind === "method" || member.kind === "function") {
        problems.push(
          `type ${interfaceName}: '${member.name}' is a function; other languages cannot pass functions`,
        );
      } else if (!(member.name in properties)) {
        problems.push(`type ${interfaceName}: '${member.name}' is missing from the schema`);
      }
    }
  }
  return problems;
}

/** Every property of every resource and type: typed, documented, no accidental `any`, no dangling reference. */
function propertyProblems(schema: PackageSchema): string[] {
  const problems: string[] = [];
  const dependencies = new Set(
    (schema.dependencies ?? []).map((d) => `/${d.name}/v${d.version}/schema.json#`),
  );
  const check = (where: string, spec: PropertySpec, documented: boolean) => {
    if (documented && !spec.description?.trim()) problems.push(`${where}: no description (TSDoc)`);
    if (spec.$ref === ANY_REF) {
      problems.push(`${where}: typed as Any (an \`any\` in TypeScript); give it a concrete type`);
    } else if (spec.$ref?.startsWith("#/types/")) {
      const token = decodeURIComponent(spec.$ref.slice("#/types/".length));
      if (!schema.types?.[token]) problems.push(`${where}: refers to undefined type ${token}`);
    } else if (spec.$ref) {
      if (![...dependencies].some((d) => spec.$ref!.startsWith(d))) {
        problems.push(`${where}: refers to ${spec.$ref}, outside the schema's dependencies`);
      }
    } else if (!spec.type) {
      problems.push(`${where}: has no type`);
    }
    if (spec.type === "array") {
      if (!spec.items) problems.push(`${where}: array without an item type`);
      else check(`${where}[]`, spec.items, false);
    }
    if (spec.type === "object" && spec.additionalProperties)
      check(`${where}{}`, spec.additionalProperties, false);
  };
  for (const [token, resource] of Object.entries(schema.resources ?? {})) {
    for (const [prop, spec] of Object.entries(resource.inputProperties ?? {}))
      check(`${token} input ${prop}`, spec, true);
    for (const [prop, spec] of Object.entries(resource.properties ?? {}))
      check(`${token} output ${prop}`, spec, true);
  }
  for (const [token, type] of Object.entries(schema.types ?? {})) {
    for (const [prop, spec] of Object.entries(type.properties ?? {})) check(`${token}.${prop}`, spec, true);
  }
  return problems;
}
