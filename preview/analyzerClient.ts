import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { marshalForAnalyzer } from "./analyzerMarshal";
import { EXIT_WITH_PARENT, track } from "./processes";
import type { RecordedResource } from "./recorder";

// The generated gRPC code and messages of the engine protocol, from the SDK the pack itself runs on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** How a policy is enforced, as the engine names it. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** A resource as the engine sends it in `Analyze`, `AnalyzeStack` and `Remediate`. */
export interface AnalyzerResource {
  type: string;
  urn: string;
  name: string;
  /** The property bag: unknown values are sentinel strings, secrets are `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`. */
  properties: Record<string, unknown>;
  /** Parent URN (AnalyzeStack only). */
  parent?: string;
  /** URNs this resource depends on (AnalyzeStack only). */
  dependencies?: string[];
  /** Property name to the URNs its value came from (AnalyzeStack only). */
  propertyDependencies?: Record<string, string[]>;
  protect?: boolean;
  ignoreChanges?: string[];
  provider?: { type: string; urn: string; name: string; properties: Record<string, unknown> };
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
  severity: string;
}

export interface NotApplicable {
  policyName: string;
  reason: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: NotApplicable[];
}

export interface Remediation {
  policyName: string;
  description: string;
  /** The remediated property bag, when the policy changed the resource. */
  properties?: Record<string, unknown>;
  /** Set when the remediation could not run. */
  diagnostic: string;
}

export interface RemediateResult {
  remediations: Remediation[];
  notApplicable: NotApplicable[];
}

export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: string;
  type: "resource" | "stack" | "unknown";
  configSchema?: { properties: Record<string, unknown>; required: string[] };
  remediationSteps: string;
  url: string;
  tags: string[];
  framework?: { name: string; version: string; reference: string; specification: string };
}

export interface AnalyzerInfo {
  name: string;
  displayName: string;
  version: string;
  description: string;
  supportsConfig: boolean;
  policies: PolicyInfo[];
}

/** One policy's configuration: an enforcement level, or a level plus properties of its `configSchema`. */
export type PolicyConfig =
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

export interface StartOptions {
  /** Passed to the runner as `<engine-address>`. The Node.js runner discards it (see `start`). */
  engineAddress?: string;
  /** Extra environment for the pack process. */
  env?: Record<string, string>;
  /** How long to wait for the port, in milliseconds. Default 120 s (a pack without compiled JS is type-checked first). */
  timeoutMs?: number;
}

function sdkDir(packDir: string): string {
  // The engine runs the runner of the @pulumi/pulumi that the pack itself resolves.
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] }));
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES = ["unspecified", "low", "medium", "high", "critical"];

function levelName(value: number): EnforcementLevel {
  return LEVELS[value] ?? "advisory";
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withoutUndefined(v)));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
    return out;
  }
  return value;
}

/**
 * A policy pack started exactly as `pulumi preview --policy-pack DIR` starts it, spoken to over the
 * engine's `pulumirpc.Analyzer` gRPC protocol.
 */
export class AnalyzerClient {
  /** Milliseconds from spawning the process to reading its port. */
  public readonly startMs: number;
  /** Everything the pack wrote to stderr so far. */
  public stderr = "";
  private closed = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: Any,
    private readonly proto: Any,
    private readonly struct: Any,
    private readonly empty: Any,
    public readonly port: number,
    startMs: number,
  ) {
    this.startMs = startMs;
    child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /**
   * Starts `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <packDir>` with the working
   * directory set to `packDir`, as the engine does, and connects once the pack prints its port.
   *
   * The Node.js runner drops `<engine-address>` before loading the pack; the SDK only talks to an
   * engine when `PULUMI_NODEJS_ENGINE` is set, and logs to the console otherwise. So no engine
   * server is needed, and that variable is removed from the pack's environment.
   */
  static async start(packDir: string, options: StartOptions = {}): Promise<AnalyzerClient> {
    const dir = path.resolve(packDir);
    const sdk = sdkDir(dir);
    const runner = path.join(sdk, "cmd", "run-policy-pack");
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...(options.env ?? {}),
    };
    delete env.PULUMI_NODEJS_ENGINE;
    delete env.TS_NODE_PROJECT;
    const began = process.hrtime.bigint();
    // The preloaded watch makes the pack exit when this process dies, whatever kills it.
    const child = track(
      spawn(process.execPath, [EXIT_WITH_PARENT, runner, options.engineAddress ?? "127.0.0.1:0", dir], {
        cwd: dir,
        env,
        stdio: ["pipe", "pipe", "pipe"],
      }),
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => {
        child.kill();
        reject(
          new Error(
            `policy pack in ${dir} printed no port within ${options.timeoutMs ?? 120000} ms\n${stderr}`,
          ),
        );
      }, options.timeoutMs ?? 120000);
      const onData = (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split("\n").find((l) => /^\d+$/.test(l.trim()));
        if (line) {
          clearTimeout(timer);
          child.stdout?.off("data", onData);
          resolve(Number(line.trim()));
        }
      };
      child.stdout?.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `policy pack in ${dir} exited with code ${code} before printing a port\n${stdout}\n${stderr}`,
          ),
        );
      });
    });
    const startMs = Number(process.hrtime.bigint() - began) / 1e6;
    child.removeAllListeners("exit");
    // Keep draining stdout so the pack never blocks on a full pipe.
    child.stdout?.on("data", () => undefined);

    const rpc = require(path.join(sdk, "proto", "analyzer_grpc_pb"));
    const proto = require(path.join(sdk, "proto", "analyzer_pb"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
    const struct = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdk] }));
    const empty = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdk] }));
    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 1024 * 1024 * 400,
      "grpc.max_send_message_length": 1024 * 1024 * 400,
    });
    const analyzer = new AnalyzerClient(child, client, proto, struct, empty, port, startMs);
    analyzer.stderr = stderr;
    return analyzer;
  }

  private call<T>(method: string, request: Any): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method](request, (err: Error | null, response: T) =>
        err ? reject(err) : resolve(response),
      );
    });
  }

  private toStruct(value: Record<string, unknown>): Any {
    return this.struct.Struct.fromJavaScript(withoutUndefined(value));
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const info: Any = await this.call("getAnalyzerInfo", new this.empty.Empty());
    return {
      name: info.getName(),
      displayName: info.getDisplayname(),
      version: info.getVersion(),
      description: info.getDescription(),
      supportsConfig: info.getSupportsconfig(),
      policies: info.getPoliciesList().map((p: Any) => {
        const schema = p.getConfigschema();
        const framework = p.getFramework();
        return {
          name: p.getName(),
          displayName: p.getDisplayname(),
          description: p.getDescription(),
          enforcementLevel: levelName(p.getEnforcementlevel()),
          severity: SEVERITIES[p.getSeverity()] ?? "unspecified",
          type: ["unknown", "resource", "stack"][p.getPolicyType()] ?? "unknown",
          configSchema: schema
            ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() }
            : undefined,
          remediationSteps: p.getRemediationSteps(),
          url: p.getUrl(),
          tags: p.getTagsList(),
          framework: framework
            ? {
                name: framework.getName(),
                version: framework.getVersion(),
                reference: framework.getReference(),
                specification: framework.getSpecification(),
              }
            : undefined,
        } as PolicyInfo;
      }),
    };
  }

  /** Sends `Configure`: per policy, an enforcement level and properties, as Pulumi Cloud policy groups do. */
  async configure(config: Record<string, PolicyConfig>): Promise<void> {
    const request = new this.proto.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, value] of Object.entries(config)) {
      const { enforcementLevel, ...properties } =
        typeof value === "string" ? { enforcementLevel: value } : value;
      const policyConfig = new this.proto.PolicyConfig();
      policyConfig.setEnforcementlevel(LEVELS.indexOf(enforcementLevel ?? "advisory"));
      policyConfig.setProperties(this.toStruct(properties));
      map.set(name, policyConfig);
    }
    await this.call("configure", request);
  }

  private options(resource: AnalyzerResource): Any {
    const options = new this.proto.AnalyzerResourceOptions();
    options.setProtect(resource.protect ?? false);
    options.setIgnorechangesList(resource.ignoreChanges ?? []);
    if (resource.parent) options.setParent(resource.parent);
    return options;
  }

  private provider(resource: AnalyzerResource): Any {
    if (!resource.provider) return undefined;
    const provider = new this.proto.AnalyzerProviderResource();
    provider.setType(resource.provider.type);
    provider.setUrn(resource.provider.urn);
    provider.setName(resource.provider.name);
    provider.setProperties(this.toStruct(resource.provider.properties));
    return provider;
  }

  /** `Remediate` takes an `AnalyzeRequest` too. */
  private request(resource: AnalyzerResource): Any {
    const request = new this.proto.AnalyzeRequest();
    request.setType(resource.type);
    request.setUrn(resource.urn);
    request.setName(resource.name);
    request.setProperties(this.toStruct(resource.properties));
    request.setOptions(this.options(resource));
    const provider = this.provider(resource);
    if (provider) request.setProvider(provider);
    return request;
  }

  private result(response: Any): AnalyzeResult {
    return {
      diagnostics: response.getDiagnosticsList().map((d: Any): Diagnostic => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: levelName(d.getEnforcementlevel()),
        urn: d.getUrn(),
        severity: SEVERITIES[d.getSeverity()] ?? "unspecified",
      })),
      notApplicable: response
        .getNotApplicableList()
        .map((n: Any): NotApplicable => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
  }

  /** Sends `Analyze` for one resource, as the engine does before creating or updating it. */
  async analyze(resource: AnalyzerResource): Promise<AnalyzeResult> {
    return this.result(await this.call("analyze", this.request(resource)));
  }

  /** Builds the `AnalyzeStack` request once, so callers that repeat it (benchmarks) can reuse it. */
  stackRequest(resources: AnalyzerResource[]): unknown {
    const request = new this.proto.AnalyzeStackRequest();
    request.setResourcesList(
      resources.map((resource) => {
        const r = new this.proto.AnalyzerResource();
        r.setType(resource.type);
        r.setUrn(resource.urn);
        r.setName(resource.name);
        r.setProperties(this.toStruct(resource.properties));
        r.setOptions(this.options(resource));
        const provider = this.provider(resource);
        if (provider) r.setProvider(provider);
        if (resource.parent) r.setParent(resource.parent);
        r.setDependenciesList(resource.dependencies ?? []);
        const deps = r.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
          // As the engine marshals AnalyzeStack (pkg/resource/plugin/analyzer_plugin.go): keys without dependencies are left out.
          if (!urns.length) continue;
          const d = new this.proto.AnalyzerPropertyDependencies();
          d.setUrnsList(urns);
          deps.set(key, d);
        }
        return r;
      }),
    );
    return request;
  }

  /** An `AnalyzeStack` request encoded once, for callers that send it repeatedly (benchmarks). */
  encodeStack(resources: AnalyzerResource[]): Uint8Array {
    return (this.stackRequest(resources) as Any).serializeBinary();
  }

  /** An `Analyze` request encoded, for callers that extend or resend the bytes (tests of hostile input). */
  encodeAnalyze(resource: AnalyzerResource): Uint8Array {
    return this.request(resource).serializeBinary();
  }

  /** An `AnalyzerResource` (one entry of `AnalyzeStack`'s list) encoded. */
  encodeStackResource(resource: AnalyzerResource): Uint8Array {
    return (this.stackRequest([resource]) as Any).getResourcesList()[0].serializeBinary();
  }

  /** Sends an already encoded `Analyze` request. */
  analyzeEncoded(bytes: Uint8Array): Promise<AnalyzeResult> {
    return this.sendEncoded("Analyze", bytes);
  }

  /** Sends an already encoded `Remediate` request (an `AnalyzeRequest`). */
  remediateEncoded(bytes: Uint8Array): Promise<RemediateResult> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        "/pulumirpc.Analyzer/Remediate",
        (b: Uint8Array) => Buffer.from(b),
        (buffer: Buffer) => this.proto.RemediateResponse.deserializeBinary(new Uint8Array(buffer)),
        bytes,
        (err: Error | null, response: Any) => (err ? reject(err) : resolve(this.remediateResult(response))),
      );
    });
  }

  /** Sends an already encoded `AnalyzeStack` request: the time measured is the pack's, not this client's encoder. */
  analyzeStackEncoded(bytes: Uint8Array): Promise<AnalyzeResult> {
    return this.sendEncoded("AnalyzeStack", bytes);
  }

  private sendEncoded(method: "Analyze" | "AnalyzeStack", bytes: Uint8Array): Promise<AnalyzeResult> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        `/pulumirpc.Analyzer/${method}`,
        (b: Uint8Array) => Buffer.from(b),
        (buffer: Buffer) => this.proto.AnalyzeResponse.deserializeBinary(new Uint8Array(buffer)),
        bytes,
        (err: Error | null, response: Any) => (err ? reject(err) : resolve(this.result(response))),
      );
    });
  }

  /** Sends `AnalyzeStack` with every resource, as the engine does at the end of a preview or update. */
  async analyzeStack(resources: AnalyzerResource[] | { prebuilt: unknown }): Promise<AnalyzeResult> {
    const request = Array.isArray(resources) ? this.stackRequest(resources) : resources.prebuilt;
    return this.result(await this.call("analyzeStack", request));
  }

  /** Sends `Remediate` for one resource; the engine then analyzes the remediated properties. */
  async remediate(resource: AnalyzerResource): Promise<RemediateResult> {
    return this.remediateResult(await this.call("remediate", this.request(resource)));
  }

  private remediateResult(response: Any): RemediateResult {
    return {
      remediations: response.getRemediationsList().map((r: Any): Remediation => ({
        policyName: r.getPolicyname(),
        description: r.getDescription(),
        properties: r.getProperties()?.toJavaScript(),
        diagnostic: r.getDiagnostic(),
      })),
      notApplicable: response
        .getNotApplicableList()
        .map((n: Any): NotApplicable => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
  }

  /** Closes the connection and stops the pack process. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}

/** The provider reference `urn::id` of a recorded resource, resolved against the recording. */
function providerOf(resource: RecordedResource, all: RecordedResource[]): AnalyzerResource["provider"] {
  if (!resource.provider) return undefined;
  const urn = resource.provider.split("::").slice(0, -1).join("::");
  const provider = all.find((r) => r.urn === urn);
  if (!provider) return undefined;
  return {
    type: provider.type,
    urn: provider.urn,
    name: provider.name,
    properties: marshalForAnalyzer(provider.wireInputs),
  };
}

/**
 * A recorded resource as the engine would send it to a policy pack: inputs marshalled as the engine
 * marshals them for analyzers (resource references as IDs or URNs, unknowns as sentinels, secrets
 * wrapped), options, provider, parent and dependencies.
 */
export function fromRecorded(resource: RecordedResource, all: RecordedResource[] = []): AnalyzerResource {
  return {
    type: resource.type,
    urn: resource.urn,
    name: resource.name,
    properties: marshalForAnalyzer(resource.wireInputs),
    parent: resource.parent || undefined,
    dependencies: resource.dependencies,
    propertyDependencies: resource.propertyDependencies,
    protect: resource.protect,
    ignoreChanges: resource.ignoreChanges,
    provider: providerOf(resource, all),
  };
}

/** Every recorded resource (components and providers included, as in the engine's snapshot), for `AnalyzeStack`. */
export function stackFromRecording(resources: RecordedResource[]): AnalyzerResource[] {
  return resources.map((r) => fromRecorded(r, resources));
}
