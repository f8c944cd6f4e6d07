import { strict as assert } from "assert";
import * as grpc from "@grpc/grpc-js";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "yaml";
import { InputPropertiesError } from "@pulumi/pulumi/proto/errors_pb";
import { ConstructRequest } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { FakeMonitor, MonitoredResource, startFakeMonitor } from "../harness/fakeMonitor";
import { PACKAGE_ROOT, PackageSchemaRun, packageSchema, stopPackagePlugin } from "../harness/packageSchema";
import { construct } from "../harness/plugin";

const PROJECT = "orders-app";
const STACK = "dev";
const REGION = "eu-west-1";
const TOKEN = "dynamodb-hardened:index:HardenedTable";
/** How a resource reference travels in a property bag: this signature under the special key. */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** How an unknown value travels in a property bag during a preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

after(stopPackagePlugin);

/** The YAML example's HardenedTable properties, as the YAML runtime sends them (interpolations resolved). */
function yamlExampleInputs(): Record<string, unknown> {
  const file = path.join(PACKAGE_ROOT, "examples", "yaml-single-account", "Pulumi.yaml");
  const project = yaml.parse(fs.readFileSync(file, "utf8"));
  const text = JSON.stringify(project.resources.orders.properties).replace(/\$\{pulumi\.stack\}/g, STACK);
  return JSON.parse(text);
}

function constructRequest(
  monitor: FakeMonitor,
  name: string,
  inputs: Record<string, unknown>,
  preview = false,
): ConstructRequest {
  const request = new ConstructRequest()
    .setProject(PROJECT)
    .setStack(STACK)
    .setOrganization("acme")
    .setDryrun(preview)
    .setParallel(4)
    .setMonitorendpoint(monitor.address)
    .setType(TOKEN)
    .setName(name)
    .setInputs(Struct.fromJavaScript(inputs as never));
  request.getConfigMap().set("aws:region", REGION);
  return request;
}

describe("Construct through the plugin, as the engine does for a YAML or Python program", function () {
  this.timeout(240_000);
  let run: PackageSchemaRun;
  let monitor: FakeMonitor;

  before(async () => {
    run = await packageSchema();
    monitor = await startFakeMonitor({
      project: PROJECT,
      stack: STACK,
      preview: false,
      config: { "aws:region": REGION },
    });
  });
  after(() => monitor?.stop());

  describe("the YAML example's table", () => {
    let state: Record<string, unknown>;
    let urn: string;
    let children: MonitoredResource[];
    const child = (type: string) => {
      const found = children.filter((r) => r.type === type);
      assert.equal(found.length, 1, `expected one ${type}, got ${found.length}`);
      return found[0];
    };

    before(async () => {
      const response = await construct(run.plugin, constructRequest(monitor, "orders", yamlExampleInputs()));
      urn = response.getUrn();
      state = response.getState()!.toJavaScript() as Record<string, unknown>;
      children = monitor.resources.filter((r) => r.parent === urn);
    });

    it("registers the component under its type token and its hardened children under it", () => {
      assert.equal(urn, `urn:pulumi:${STACK}::${PROJECT}::${TOKEN}::orders`);
      const table = child("aws:dynamodb/table:Table");
      const key = child("aws:kms/key:Key");
      assert.equal(key.inputs.enableKeyRotation, true);
      const sse = table.inputs.serverSideEncryption as Record<string, unknown>;
      assert.equal(sse.enabled, true);
      assert.match(String(sse.kmsKeyArn), /^arn:aws:kms:/);
      assert.deepEqual(table.inputs.pointInTimeRecovery, { enabled: true, recoveryPeriodInDays: 35 });
      assert.equal(table.inputs.deletionProtectionEnabled, true);
      assert.equal(table.inputs.streamViewType, "KEYS_ONLY");
      assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
      const tags = table.inputs.tags as Record<string, string>;
      assert.equal(tags.team, "payments");
      assert.equal(tags.stack, STACK);
      assert.equal(tags.backup, "required");
    });

    it("returns every output the schema declares, with the schema's types", () => {
      const outputs = run.schema.resources[TOKEN].properties;
      const required = run.schema.resources[TOKEN].required;
      for (const name of required)
        assert.ok(name in state, `required output ${name} missing from Construct's state`);
      for (const name of Object.keys(state))
        assert.ok(name in outputs, `Construct returned ${name}, not in the schema`);
      const table = child("aws:dynamodb/table:Table");
      // The made-up cloud puts ARNs in us-east-1 unless a child names its region; the region comes from config.
      assert.match(String(state.arn), /^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table\/orders-/);
      assert.equal(state.region, REGION);
      assert.match(String(state.keyArn), /^arn:aws:kms:/);
      assert.match(String(state.streamArn), /\/stream\//);
      assert.deepEqual(state.tableArns, { [REGION]: state.arn });
      assert.deepEqual(state.keyArns, { [REGION]: state.keyArn });
      const tableRef = state.table as Record<string, unknown>;
      assert.equal(tableRef[SPECIAL_SIG_KEY], RESOURCE_SIG, "table is returned as a resource reference");
      assert.equal(tableRef.urn, table.urn);
    });
  });

  it("rejects bad arguments from another language with every problem named, and creates nothing", async () => {
    const before = monitor.resources.length;
    const error = await construct(
      run.plugin,
      constructRequest(monitor, "bad", {
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        billingMode: "FAST",
        stream: { viewType: "EVERYTHING" },
      }),
    ).then(
      () => undefined,
      (err: grpc.ServiceError) => err,
    );
    assert.ok(error, "Construct accepted bad arguments");
    assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
    const statusBytes = error.metadata.get("grpc-status-details-bin")[0] as Buffer;
    const details = Status.deserializeBinary(statusBytes).getDetailsList()[0];
    const paths = InputPropertiesError.deserializeBinary(details.getValue_asU8())
      .getErrorsList()
      .map((e) => e.getPropertyPath());
    assert.deepEqual(paths.sort(), ["billingMode", "stream.viewType"]);
    const created = monitor.resources.slice(before);
    assert.deepEqual(
      created.map((r) => r.type),
      [],
      "nothing is registered for a component with bad arguments",
    );
  });

  it("previews the table with unknown ARNs, as `pulumi preview` from another language does", async () => {
    const previewMonitor = await startFakeMonitor({
      project: PROJECT,
      stack: STACK,
      preview: true,
      config: { "aws:region": REGION },
    });
    try {
      const response = await construct(
        run.plugin,
        constructRequest(previewMonitor, "preview-orders", yamlExampleInputs(), true),
      );
      const state = response.getState()!.toJavaScript() as Record<string, unknown>;
      const table = previewMonitor.resources.filter(
        (r) => r.type === "aws:dynamodb/table:Table" && r.parent === response.getUrn(),
      );
      assert.equal(table.length, 1);
      assert.equal(state.arn, UNKNOWN, "the table ARN is unknown until the table exists");
      assert.equal(state.region, REGION);
    } finally {
      previewMonitor.stop();
    }
  });
});
