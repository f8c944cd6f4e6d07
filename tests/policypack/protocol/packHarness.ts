import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AnalyzeResult, AnalyzerClient, AnalyzerResource, Diagnostic } from "../../../preview/analyzerClient";

export const PACK_DIR = path.join(__dirname, "..", "..", "..", "policypack");
export const PACK_NAME = "dynamodb-hardened";

/** The engine's unknown-string sentinel (preview). */
export const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function newest(dir: string, ext: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "bin") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, ext));
    else if (entry.name.endsWith(ext)) latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

let built = false;

/** The pack runs its compiled `bin/` (as the engine would): rebuild it when a source is newer. */
export function ensureBuilt(): void {
  if (built) return;
  const entry = path.join(PACK_DIR, "bin", "index.js");
  if (!fs.existsSync(entry) || fs.statSync(entry).mtimeMs < newest(PACK_DIR, ".ts")) {
    execFileSync(
      process.execPath,
      [require.resolve("typescript/bin/tsc"), "-p", path.join(PACK_DIR, "tsconfig.json")],
      { stdio: "inherit" },
    );
  }
  built = true;
}

/** Starts the pack once for the enclosing `describe` and stops it afterwards. */
export function usePack(dir = PACK_DIR): () => AnalyzerClient {
  let client: AnalyzerClient | undefined;
  before(async function () {
    this.timeout(120000);
    ensureBuilt();
    client = await AnalyzerClient.start(dir);
  });
  after(async () => {
    await client?.close();
  });
  return () => {
    if (!client) throw new Error("pack not started");
    return client;
  };
}

/** A resource as the engine sends it; the URN is made from the type and name. */
export function res(
  type: string,
  name: string,
  properties: Record<string, unknown>,
  extra: Partial<AnalyzerResource> = {},
): AnalyzerResource {
  return { type, name, urn: `urn:pulumi:test::pack::${type}::${name}`, properties, ...extra };
}

/** Diagnostics of one policy (or all of this pack's). */
export function diags(result: AnalyzeResult, policy?: string): Diagnostic[] {
  return result.diagnostics.filter(
    (d) => d.policyPackName === PACK_NAME && (!policy || d.policyName === policy),
  );
}

/** Asserts exactly `count` diagnostics from `policy`, each mentioning every fragment, and returns them. */
export function expectFindings(
  result: AnalyzeResult,
  policy: string,
  count: number,
  ...fragments: string[]
): Diagnostic[] {
  const found = diags(result, policy);
  assert.strictEqual(
    found.length,
    count,
    `${policy}: expected ${count} diagnostics, got ${found.length}:\n${messages(result)}`,
  );
  for (const d of found)
    for (const f of fragments)
      assert.ok(d.message.includes(f), `${policy}: "${f}" missing from:\n${d.message}`);
  return found;
}

/** Like `expectFindings`, for the diagnostics of one practice only (the stack policy reports several). */
export function expectPractice(
  result: AnalyzeResult,
  policy: string,
  practice: number,
  count: number,
  ...fragments: string[]
): Diagnostic[] {
  const found = diags(result, policy).filter((d) => d.message.includes(`[practice ${practice}:`));
  assert.strictEqual(
    found.length,
    count,
    `${policy}, practice ${practice}: expected ${count}, got ${found.length}:\n${messages(result)}`,
  );
  for (const d of found)
    for (const f of fragments) assert.ok(d.message.includes(f), `"${f}" missing from:\n${d.message}`);
  return found;
}

export function expectNone(result: AnalyzeResult, policy?: string): void {
  assert.deepStrictEqual(
    diags(result, policy).map((d) => `${d.policyName}: ${d.message}`),
    [],
    `unexpected diagnostics`,
  );
}

/** No diagnostic says a policy could not run (the SDK's advisory fallback for unknown values). */
export function expectNoCantRun(result: AnalyzeResult): void {
  const cantRun = result.diagnostics.filter((d) =>
    /can't run|could not evaluate|\[internal\]/.test(d.message),
  );
  assert.deepStrictEqual(
    cantRun.map((d) => d.message),
    [],
  );
}

export function messages(result: AnalyzeResult): string {
  return diags(result)
    .map((d) => `- ${d.policyName} (${d.enforcementLevel}): ${d.message.split("\n").slice(1).join(" ")}`)
    .join("\n");
}

/** Pack-level fields of `GetAnalyzerInfo` that `AnalyzerClient` does not read, asked over the pack's own port. */
export interface PackLevelInfo {
  readme: string;
  provider: string;
  tags: string[];
  repository: string;
}

export async function packLevelInfo(client: AnalyzerClient, dir = PACK_DIR): Promise<PackLevelInfo> {
  const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [dir] }));
  const rpc = require(path.join(sdk, "proto", "analyzer_grpc_pb"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
  const empty = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdk] }));
  const raw = new rpc.AnalyzerClient(`127.0.0.1:${client.port}`, grpc.credentials.createInsecure());
  try {
    const info = await new Promise<{
      getReadme(): string;
      getProvider(): string;
      getTagsList(): string[];
      getRepository(): string;
    }>((resolve, reject) =>
      raw.getAnalyzerInfo(new empty.Empty(), (err: Error | null, response: never) =>
        err ? reject(err) : resolve(response),
      ),
    );
    return {
      readme: info.getReadme(),
      provider: info.getProvider(),
      tags: info.getTagsList(),
      repository: info.getRepository(),
    };
  } finally {
    raw.close();
  }
}
