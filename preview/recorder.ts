import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_INVOKE, mockCall, mockResourceState } from "./mockCloud";

// Internal SDK modules: the mock monitor and the RPC queue. Their shapes are stable since 3.x.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const mocksRuntime: any = require("@pulumi/pulumi/runtime/mocks");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const settingsRuntime: any = require("@pulumi/pulumi/runtime/settings");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const stackRuntime: any = require("@pulumi/pulumi/runtime/stack");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const rpcRuntime: any = require("@pulumi/pulumi/runtime/rpc");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const resourceProto: any = require("@pulumi/pulumi/proto/resource_pb");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const structProto: any = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require.resolve("@pulumi/pulumi/package.json")],
  }),
);

/** The value a preview sends for a property that is not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One resource as the engine would see it in `RegisterResource`. */
export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  parent: string;
  /** Provider reference, `urn::id`; empty for the default provider. */
  provider: string;
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  /** Inputs as the engine receives them: unknown values are the `UNKNOWN` sentinel, secrets are wrapped. */
  wireInputs: Record<string, unknown>;
  /** Inputs with secrets unwrapped; unknown values are `UNKNOWN`. */
  inputs: Record<string, unknown>;
  /** Where the resource was constructed: `RegisterResourceRequest.sourcePosition`, the SDK's first frame. */
  sourcePosition?: SourcePosition;
  /** The construction call stack (`RegisterResourceRequest.stackTrace`), innermost first. */
  stackTrace?: SourcePosition[];
}

/** A position the SDK reports in `RegisterResourceRequest`: a `file://` URI and 1-based line and column. */
export interface SourcePosition {
  uri: string;
  line: number;
  column: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function sourcePosition(pos: any): SourcePosition | undefined {
  if (!pos || !pos.getUri()) return undefined;
  return { uri: pos.getUri(), line: pos.getLine(), column: pos.getColumn() };
}

export interface RecordOptions {
  /** Preview mode: outputs of resources are unknown, as in `pulumi preview`. */
  preview: boolean;
  project?: string;
  stack?: string;
  /** Configuration, keyed `namespace:key` (e.g. `aws:region`). */
  config?: Record<string, string>;
  /** Configuration keys whose values are secret (`config.requireSecret` and `config.require` return secrets). */
  secretKeys?: string[];
  /** Called with each resource as soon as the engine would have received it. */
  onResource?: (resource: RecordedResource) => void;
  /** Wrap the program in a `pulumi:pulumi:Stack` root resource, as the engine does. */
  withStack?: boolean;
}

export interface Recording {
  resources: RecordedResource[];
  /** Errors the program raised, synchronously or in callbacks. */
  errors: Error[];
}

let sink: RecordedResource[] | undefined;
let onRegistered: ((resource: RecordedResource) => void) | undefined;
let patched = false;

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") {
      return unwrapSecrets(obj.value);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = unwrapSecrets(v);
    return out;
  }
  return value;
}

function patchMonitor(): void {
  if (patched) return;
  patched = true;
  const proto = mocksRuntime.MockMonitor.prototype;
  const original = proto.registerResource;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  proto.registerResource = function (req: any, callback: (err: unknown, res: any) => void) {
    const target = sink;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return original.call(this, req, (err: unknown, res: any) => {
      if (!err && target && res) {
        const wire = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const propertyDependencies: Record<string, string[]> = {};
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
          propertyDependencies[key] = deps.getUrnsList();
        });
        const resource: RecordedResource = {
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          custom: req.getCustom(),
          parent: req.getParent(),
          provider: req.getProvider(),
          protect: req.getProtect() ?? false,
          retainOnDelete: req.getRetainondelete() ?? false,
          ignoreChanges: req.getIgnorechangesList(),
          dependencies: req.getDependenciesList(),
          propertyDependencies,
          wireInputs: wire,
          inputs: unwrapSecrets(wire) as Record<string, unknown>,
          sourcePosition: sourcePosition(req.getSourceposition?.()),
          stackTrace: req
            .getStacktrace?.()
            ?.getFramesList()
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            .map((frame: any) => sourcePosition(frame.getPc()))
            .filter((pos: SourcePosition | undefined): pos is SourcePosition => pos !== undefined),
        };
        target.push(resource);
        onRegistered?.(resource);
      }
      callback(err, res);
    });
  };
  // An invoke the mock cloud cannot answer is unknown, as the engine answers an invoke it declines
  // during a preview (`ResourceInvokeResponse.unknown`): output-form invokes give unknown outputs.
  const originalInvoke = proto.invoke;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  proto.invoke = async function (this: any, req: any, callback: (err: unknown, res: unknown) => void) {
    const tok = req.getTok();
    if (tok === "pulumi:pulumi:getResource") return originalInvoke.call(this, req, callback);
    try {
      const inputs = rpcRuntime.deserializeProperties(req.getArgs());
      const result = await this.mocks.call({ token: tok, inputs, provider: req.getProvider() });
      const response = new resourceProto.ResourceInvokeResponse();
      if (result === UNKNOWN_INVOKE) response.setUnknown(true);
      else
        response.setReturn(
          structProto.Struct.fromJavaScript(await rpcRuntime.serializeProperties("", result)),
        );
      callback(null, response);
    } catch (err) {
      callback(err, undefined);
    }
  };
}

/**
 * Runs a Pulumi program under the SDK's mocks and returns every resource it registered, with the
 * options the engine would receive. Values computed by the cloud are mocked (see `mockCloud.ts`); in
 * preview mode they are unknown, as in `pulumi preview`.
 */
export async function recordProgram(program: () => unknown, options: RecordOptions): Promise<Recording> {
  patchMonitor();
  const config = { "aws:region": "us-east-1", ...(options.config ?? {}) };
  const secretKeys = options.secretKeys ?? [];
  process.env.PULUMI_CONFIG = JSON.stringify(config);
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(secretKeys);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const configRuntime: any = require("@pulumi/pulumi/runtime/config");
  configRuntime.setAllConfig(config, secretKeys);

  const resources: RecordedResource[] = [];
  const errors: Error[] = [];
  const onRejection = (reason: unknown) =>
    errors.push(reason instanceof Error ? reason : new Error(String(reason)));
  process.on("unhandledRejection", onRejection);
  sink = resources;
  onRegistered = options.onResource;
  const providerInputs = new Map<string, Record<string, unknown>>();
  try {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const result = mockResourceState(args, options.preview, providerInputs);
          if (args.type.startsWith("pulumi:providers:")) {
            providerInputs.set(`${args.name}`, args.inputs as Record<string, unknown>);
          }
          return result;
        },
        call: (args) => mockCall(args, config, providerInputs, options.preview),
      },
      options.project ?? "project",
      options.stack ?? "stack",
      options.preview,
    );
    try {
      if (options.withStack) {
        await stackRuntime.runInPulumiStack(async () => program());
      } else {
        await program();
      }
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
    }
    await settingsRuntime.waitForRPCs();
    // Let callbacks scheduled by the last RPCs run, so their errors are seen.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    sink = undefined;
    onRegistered = undefined;
    process.off("unhandledRejection", onRejection);
  }
  return { resources, errors };
}
