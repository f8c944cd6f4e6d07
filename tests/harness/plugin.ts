import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { EngineService, IEngineServer } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ConstructRequest, ConstructResponse, GetSchemaRequest } from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

/** The parts of a Pulumi package schema these tests read. */
export interface PackageSchema {
  name: string;
  version: string;
  description?: string;
  resources: Record<string, ResourceSpec>;
  types: Record<string, ObjectTypeSpec>;
  dependencies?: { name: string; version: string }[];
}

export interface ResourceSpec {
  isComponent?: boolean;
  description?: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

export interface ObjectTypeSpec {
  type: string;
  properties?: Record<string, PropertySpec>;
  required?: string[];
  enum?: unknown[];
}

export interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  description?: string;
  plain?: boolean;
  optional?: boolean;
}

/** A package running as a resource plugin, with a gRPC client connected to it. */
export interface RunningPlugin {
  client: ResourceProviderClient;
  /** The fake engine's address, which the plugin got on its command line. */
  engineAddress: string;
  /** Everything the plugin logged through the engine or on stderr. */
  logs: string[];
  /** Milliseconds from spawning the plugin to reading its port. */
  startMs: number;
  /** The plugin's process id. */
  pid: number;
  stop(): void;
}

const PLUGIN_START_TIMEOUT_MS = 60_000;
const CALL_DEADLINE_MS = 180_000;

/**
 * Starts `packageDir` as a resource plugin the way the Node.js language host does: `node
 * <package>/node_modules/@pulumi/pulumi/cmd/run-plugin <package> <engine address>`, with the user's
 * project (here an empty temporary directory) as the working directory. Reads the port it prints.
 */
export async function startPlugin(packageDir: string): Promise<RunningPlugin> {
  const logs: string[] = [];
  const engine = await startFakeEngine(logs);
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-project-"));
  const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [packageDir] });
  const started = Date.now();
  const child = spawn(process.execPath, [runPlugin, packageDir, engine.address], {
    cwd: projectDir,
    env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  let client: ResourceProviderClient | undefined;
  const stop = () => {
    client?.close();
    child.kill();
    engine.server.forceShutdown();
    fs.rmSync(projectDir, { recursive: true, force: true });
  };
  try {
    const port = await readPort(child, logs);
    client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
      client,
      engineAddress: engine.address,
      logs,
      startMs: Date.now() - started,
      pid: child.pid!,
      stop,
    };
  } catch (err) {
    stop();
    throw err;
  }
}

/** `GetSchema`: the parsed schema, or the plugin's error message; and how long the call took. */
export async function requestSchema(
  plugin: RunningPlugin,
): Promise<{ schema?: PackageSchema; error?: string; ms: number }> {
  const asked = Date.now();
  return new Promise((resolve) => {
    const deadline = new Date(Date.now() + CALL_DEADLINE_MS);
    plugin.client.getSchema(new GetSchemaRequest(), new grpc.Metadata(), { deadline }, (err, response) => {
      const ms = Date.now() - asked;
      if (err) resolve({ error: err.details || err.message, ms });
      else resolve({ schema: JSON.parse(response.getSchema()) as PackageSchema, ms });
    });
  });
}

/** `Construct`: what the engine asks a component provider for each component a program declares. */
export function construct(plugin: RunningPlugin, request: ConstructRequest): Promise<ConstructResponse> {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + CALL_DEADLINE_MS);
    plugin.client.construct(request, new grpc.Metadata(), { deadline }, (err, response) =>
      err ? reject(err) : resolve(response),
    );
  });
}

/** What a one-off `GetSchema` on a plugin returned, and how long each step took. */
export interface PluginSchema {
  schema?: PackageSchema;
  error?: string;
  startMs: number;
  schemaMs: number;
  logs: string[];
}

/** Starts the plugin, asks for its schema, stops it. */
export async function pluginSchema(packageDir: string): Promise<PluginSchema> {
  const plugin = await startPlugin(packageDir);
  try {
    const { schema, error, ms } = await requestSchema(plugin);
    return { schema, error, startMs: plugin.startMs, schemaMs: ms, logs: plugin.logs };
  } finally {
    plugin.stop();
  }
}

function readPort(child: ChildProcess, logs: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => fail(`no port after ${PLUGIN_START_TIMEOUT_MS} ms`),
      PLUGIN_START_TIMEOUT_MS,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`plugin did not start: ${why}\n${stdout}\n${logs.join("")}`));
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on("exit", (code) => fail(`exited with code ${code}`));
    child.on("error", (err) => fail(err.message));
  });
}

/** The engine's side: the plugin sends its logs here, and `Construct` refuses to run without it. */
async function startFakeEngine(logs: string[]): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED }, null);
  const engine: IEngineServer = {
    log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      logs.push(call.request.getMessage());
      callback(null, new Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
    requirePulumiVersion: unimplemented,
  };
  server.addService(EngineService, engine);
  const port = await bind(server);
  return { server, address: `127.0.0.1:${port}` };
}

/** Binds a gRPC server to a free local port. */
export function bind(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

/**
 * Copies a fixture package to a temporary directory the way a built package looks: `main` is
 * compiled JavaScript (transpiled here, so the plugin skips ts-node's type check) and the
 * TypeScript sources stay beside it for the schema inference. `node_modules` links to this
 * repository's. Returns the directory and a function that removes it.
 */
export function builtFixture(fixtureDir: string, nodeModules: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${path.basename(fixtureDir)}-`));
  for (const name of fs.readdirSync(fixtureDir)) {
    const source = fs.readFileSync(path.join(fixtureDir, name), "utf8");
    fs.writeFileSync(path.join(dir, name), source);
    if (name.endsWith(".ts")) {
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      fs.writeFileSync(path.join(dir, name.replace(/\.ts$/, ".js")), js.outputText);
    }
  }
  fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
