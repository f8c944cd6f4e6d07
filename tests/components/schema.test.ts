import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "yaml";
import {
  PACKAGE_ROOT,
  PackageSchemaRun,
  exportedComponentClasses,
  packageName,
  packageSchema,
  stopPackagePlugin,
  sourceSurface,
} from "../harness/packageSchema";
import { PackageSchema, PropertySpec, builtFixture, pluginSchema } from "../harness/plugin";
import { componentToken, schemaProblems } from "../harness/schemaCheck";

const PACKAGE = packageName();
const COMPONENTS = exportedComponentClasses(require(path.join(PACKAGE_ROOT, "components")));
const FIXTURES = path.join(__dirname, "..", "fixtures");

after(stopPackagePlugin);

describe("component package schema (GetSchema from the plugin, as the engine starts it)", function () {
  let run: PackageSchemaRun;
  let schema: PackageSchema;
  let problems: string[];

  before(async function () {
    this.timeout(240_000);
    run = await packageSchema();
    schema = run.schema;
    problems = schemaProblems(
      schema,
      sourceSurface(path.join(PACKAGE_ROOT, "components"), COMPONENTS),
      PACKAGE,
    );
  });

  after(function () {
    if (run) {
      console.log(
        `      plugin start ${run.startMs} ms, GetSchema ${run.schemaMs} ms` +
          (run.buildMs ? `, rebuilt stale dist/ in ${run.buildMs} ms` : ""),
      );
    }
  });

  it("is a nodejs plugin named after package.json, with its version and description", () => {
    const plugin = yaml.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "PulumiPlugin.yaml"), "utf8"));
    assert.equal(plugin.runtime, "nodejs");
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
    assert.equal(schema.name, "dynamodb-hardened");
    assert.equal(schema.version, pkg.version);
    assert.equal(schema.description, pkg.description);
  });

  it("serves exactly the exported ComponentResource classes, each under dynamodb-hardened:index:<ClassName>", () => {
    assert.ok(COMPONENTS.includes("HardenedTable"), `discovered components: ${COMPONENTS.join(", ")}`);
    assert.deepEqual(
      Object.keys(schema.resources).sort(),
      COMPONENTS.map((name) => componentToken(PACKAGE, name)).sort(),
    );
  });

  for (const name of COMPONENTS) {
    it(`${name}: every argument and public output is in the schema, typed and described, nothing TypeScript-only`, () => {
      const mine = problems.filter((p) => p.startsWith(`${name}:`) || p.includes(`:index:${name} `));
      assert.deepEqual(mine, []);
      const resource = schema.resources[componentToken(PACKAGE, name)];
      assert.ok(Object.keys(resource.inputProperties).length > 0, "no inputs");
      assert.ok(Object.keys(resource.properties).length > 0, "no outputs");
    });
  }

  it("every type the arguments use is complete, described, and no property is Any or a dangling reference", () => {
    const rest = problems.filter(
      (p) => !COMPONENTS.some((n) => p.startsWith(`${n}:`) || p.includes(`:index:${n} `)),
    );
    assert.deepEqual(rest, []);
  });

  describe("HardenedTable as other languages see it", () => {
    const input = (prop: string) =>
      schema.resources[componentToken(PACKAGE, "HardenedTable")].inputProperties[prop];
    const output = (prop: string) =>
      schema.resources[componentToken(PACKAGE, "HardenedTable")].properties[prop];
    const typeRef = (name: string) => `#/types/${PACKAGE}:index:${name}`;
    const shape = (spec: PropertySpec) => ({ type: spec.type, $ref: spec.$ref, plain: spec.plain });

    it("requires hashKey and attributes, and nothing else", () => {
      assert.deepEqual(schema.resources[componentToken(PACKAGE, "HardenedTable")].requiredInputs, [
        "attributes",
        "hashKey",
      ]);
    });

    it("takes structured arguments as typed objects, not Any", () => {
      assert.equal(input("attributes").items?.$ref, typeRef("HardenedTableAttributeArgs"));
      assert.equal(input("replicas").items?.$ref, typeRef("HardenedTableReplicaArgs"));
      assert.equal(input("access").$ref, typeRef("TableAccessArgs"));
      assert.equal(input("tags").additionalProperties?.type, "string");
    });

    it("accepts other resources' outputs where a value may come from one (key ARN, principals, VPC endpoint)", () => {
      assert.deepEqual(shape(input("kmsKeyArn")), { type: "string", $ref: undefined, plain: undefined });
      const access = schema.types[`${PACKAGE}:index:TableAccessArgs`].properties!;
      assert.equal(access.readerPrincipals.items?.plain, undefined);
      assert.equal(access.sourceVpce.plain, undefined);
    });

    it("returns the table and key as AWS resources, ARNs as strings, per-region ARNs as maps", () => {
      assert.match(
        output("table").$ref ?? "",
        /^\/aws\/v[\d.]+\/schema\.json#\/resources\/aws:dynamodb%2Ftable:Table$/,
      );
      assert.match(output("key").$ref ?? "", /^\/aws\/v[\d.]+\/schema\.json#\/resources\/aws:kms%2Fkey:Key$/);
      assert.equal(output("arn").type, "string");
      assert.equal(output("streamArn").optional, true);
      assert.equal(output("tableArns").additionalProperties?.type, "string");
      assert.ok(schema.dependencies?.some((d) => d.name === "aws"));
    });
  });
});

describe("the schema check fails on what other languages cannot use", function () {
  this.timeout(240_000);
  const fixtures: (() => void)[] = [];
  const fixture = (name: string) => {
    const built = builtFixture(path.join(FIXTURES, name), path.join(PACKAGE_ROOT, "node_modules"));
    fixtures.push(built.remove);
    return built.dir;
  };
  after(() => fixtures.forEach((remove) => remove()));

  it("an argument the schema cannot express (a union) makes GetSchema fail, naming the argument", async () => {
    const result = await pluginSchema(fixture("schema-union"));
    assert.equal(result.schema, undefined);
    assert.match(result.error ?? "", /Union types are not supported/);
    assert.match(result.error ?? "", /UnionArgs\.target/);
  });

  it("reports what the schema silently drops, leaks or types as Any", async () => {
    const source = path.join(FIXTURES, "schema-gaps");
    const built = fixture("schema-gaps");
    const result = await pluginSchema(built);
    assert.ok(result.schema, result.error);
    const classes = exportedComponentClasses(require(built));
    assert.deepEqual(classes, ["Gaps"]);
    const found = schemaProblems(result.schema, sourceSurface(source, classes), packageName(source));
    const expected = [
      /^Gaps: super\(\) registers type schema-gaps-fixture:index:Wrong/,
      /^Gaps: argument 'validate' is a function/,
      /^Gaps: private field 'state' becomes a public output/,
      /^Gaps: schema output '__#\d+@#cache' is not a public property/,
      /^Gaps: getter 'endpoint' is dropped/,
      /^Gaps: public method 'describe\(\)' is not available/,
      /^type GapsNested: 'onChange' is a function/,
      /input settings: typed as Any/,
      /input undocumented: no description/,
    ];
    for (const pattern of expected) {
      assert.ok(
        found.some((p) => pattern.test(p)),
        `expected a problem matching ${pattern}; got:\n${found.join("\n")}`,
      );
    }
    assert.equal(found.length, expected.length, found.join("\n"));
  });
});
