import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "yaml";
import { ExampleValue, Expression, pythonName, resourceInputProblems } from "./harness/exampleCheck";
import { PACKAGE_ROOT, packageSchema, stopPackagePlugin } from "./harness/packageSchema";
import { PackageSchema } from "./harness/plugin";
import { attributesRead, pythonCalls } from "./harness/pythonCalls";

const EXAMPLES = path.join(PACKAGE_ROOT, "examples");
const OTHER_LANGUAGES_DOC = path.join(PACKAGE_ROOT, "docs", "other-languages.md");

/** The example project's `packages:` entry for this package resolves to the package root. */
function assertPackageSource(exampleDir: string, schema: PackageSchema): void {
  const project = yaml.parse(fs.readFileSync(path.join(exampleDir, "Pulumi.yaml"), "utf8"));
  const source = project.packages?.[schema.name];
  assert.equal(typeof source, "string", `Pulumi.yaml has no packages.${schema.name}`);
  assert.equal(path.resolve(exampleDir, source), PACKAGE_ROOT);
}

/** The documentation shows the example as it is in the repository, not a copy that drifted. */
function assertDocumented(file: string): void {
  const doc = fs.readFileSync(OTHER_LANGUAGES_DOC, "utf8");
  assert.ok(
    doc.includes(fs.readFileSync(file, "utf8").trim()),
    `${OTHER_LANGUAGES_DOC} does not show ${file} as it is`,
  );
}

/** The names `${...}` interpolations in a YAML value start from (a resource, a variable, `pulumi`). */
function interpolationRoots(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(/\$\{\s*([A-Za-z_][\w-]*)/g)].map((m) => m[1]);
}

/** YAML values with `${...}` interpolations or `fn::` calls become expressions over the names they read. */
function yamlValue(value: unknown): ExampleValue {
  if (typeof value === "string" && value.includes("${"))
    return new Expression(value, interpolationRoots(value));
  if (Array.isArray(value)) return value.map(yamlValue);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0].startsWith("fn::")) {
      return new Expression(JSON.stringify(value), interpolationRoots(value));
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, yamlValue(v)]));
  }
  return value as ExampleValue;
}

function fullToken(type: string): string {
  const parts = type.split(":");
  return parts.length === 2 ? `${parts[0]}:index:${parts[1]}` : type;
}

after(stopPackagePlugin);

describe("examples for other languages match the package schema", function () {
  let schema: PackageSchema;

  before(async function () {
    this.timeout(240_000);
    schema = (await packageSchema()).schema;
  });

  describe("YAML (examples/yaml-single-account)", () => {
    const dir = path.join(EXAMPLES, "yaml-single-account");
    const file = path.join(dir, "Pulumi.yaml");
    const project = yaml.parse(fs.readFileSync(file, "utf8"));
    const resources: Record<string, { type: string; properties?: Record<string, unknown> }> =
      project.resources ?? {};
    const ours = () => Object.entries(resources).filter(([, r]) => r.type.startsWith(`${schema.name}:`));

    it("is a YAML project that takes the package from this repository", () => {
      assert.equal(project.runtime, "yaml");
      assertPackageSource(dir, schema);
    });

    it("uses the package's components by their schema type tokens", () => {
      assert.ok(ours().length > 0, "the example uses no component of the package");
      for (const [name, resource] of ours()) {
        assert.ok(
          schema.resources[fullToken(resource.type)],
          `${name}: ${resource.type} is not in the schema`,
        );
      }
    });

    it("passes only schema inputs, with the schema's types, and every required input", () => {
      const context = { schema, resources: new Set(Object.keys(resources)), naming: (n: string) => n };
      const problems = ours().flatMap(([name, resource]) =>
        resourceInputProblems(
          name,
          yamlValue(resource.properties ?? {}) as Record<string, ExampleValue>,
          schema.resources[fullToken(resource.type)],
          context,
        ),
      );
      assert.deepEqual(problems, []);
    });

    it("reads only outputs the schema declares", () => {
      const outputsRead = JSON.stringify({
        outputs: project.outputs,
        variables: project.variables,
        resources,
      });
      const components = new Map(ours().map(([name, r]) => [name, schema.resources[fullToken(r.type)]]));
      const read = [...outputsRead.matchAll(/\$\{\s*([\w-]+)\.(\w+)/g)].filter(([, name]) =>
        components.has(name),
      );
      assert.ok(read.length > 0, "the example exports no component output");
      for (const [, name, output] of read) {
        assert.ok(
          output in components.get(name)!.properties,
          `${name}.${output} is not an output in the schema`,
        );
      }
    });

    it("is shown as it is in docs/other-languages.md", () => assertDocumented(file));
  });

  describe("Python (examples/python-single-account)", () => {
    const dir = path.join(EXAMPLES, "python-single-account");
    const file = path.join(dir, "__main__.py");
    const source = fs.readFileSync(file, "utf8");

    it("is a Python project that takes the package from this repository and needs the SDKs it imports", () => {
      const project = yaml.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
      assert.equal(project.runtime?.name ?? project.runtime, "python");
      assertPackageSource(dir, schema);
      const requirements = fs.readFileSync(path.join(dir, "requirements.txt"), "utf8");
      assert.match(requirements, /^pulumi[>=<]/m);
      // The schema returns AWS resources (the table, the key), so the generated SDK needs pulumi-aws.
      if (schema.dependencies?.some((d) => d.name === "aws")) assert.match(requirements, /^pulumi-aws[>=<]/m);
    });

    it("imports the module `pulumi package add` generates and calls components by their schema names", () => {
      const module = `pulumi_${schema.name.replace(/-/g, "_")}`;
      const alias = new RegExp(`^import ${module} as (\\w+)$`, "m").exec(source)?.[1];
      assert.ok(alias, `__main__.py does not import ${module}`);
      const calls = pythonCalls(source, alias);
      assert.ok(calls.length > 0, "the example calls no component of the package");
      for (const call of calls)
        assert.ok(schema.resources[`${schema.name}:index:${call.callee}`], call.callee);
    });

    it("passes only schema inputs (snake_case), with the schema's types, and every required input", () => {
      const alias = /^import pulumi_\w+ as (\w+)$/m.exec(source)![1];
      const calls = pythonCalls(source, alias);
      const context = {
        schema,
        resources: new Set(calls.map((c) => c.target).filter((t): t is string => !!t)),
        naming: pythonName,
      };
      const problems = calls.flatMap((call) => {
        const { opts: _opts, ...inputs } = call.keywords;
        const resource = schema.resources[`${schema.name}:index:${call.callee}`];
        return resourceInputProblems(call.target ?? call.callee, inputs, resource, context);
      });
      assert.deepEqual(problems, []);
    });

    it("reads only outputs the schema declares", () => {
      const alias = /^import pulumi_\w+ as (\w+)$/m.exec(source)![1];
      let read = 0;
      for (const call of pythonCalls(source, alias).filter((c) => c.target)) {
        const outputs = Object.keys(schema.resources[`${schema.name}:index:${call.callee}`].properties).map(
          pythonName,
        );
        for (const attribute of attributesRead(source, call.target!)) {
          read++;
          assert.ok(
            [...outputs, "urn"].includes(attribute),
            `${call.target}.${attribute} is not an output in the schema`,
          );
        }
      }
      assert.ok(read > 0, "the example exports no component output");
    });

    it("is shown as it is in docs/other-languages.md", () => assertDocumented(file));
  });
});
