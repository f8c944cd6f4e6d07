import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { buildIfStale, listTypeScript } from "./build";
import { DeclaredSurface, declaredSurface } from "./componentSurface";
import { PackageSchema, RunningPlugin, requestSchema, startPlugin } from "./plugin";

/** The package root: the directory `pulumi package add` is pointed at. */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/** The package running as a plugin, and its schema as the engine gets it, with the time each step took. */
export interface PackageSchemaRun {
  plugin: RunningPlugin;
  schema: PackageSchema;
  buildMs: number;
  startMs: number;
  schemaMs: number;
}

let run: Promise<PackageSchemaRun> | undefined;

/**
 * Starts the package as a plugin once per test process (rebuilding a stale `dist/` first) and asks
 * for its schema. The plugin keeps running for `Construct` tests until `stopPackagePlugin()`.
 */
export function packageSchema(): Promise<PackageSchemaRun> {
  run ??= (async () => {
    const buildMs = buildIfStale(PACKAGE_ROOT);
    const plugin = await startPlugin(PACKAGE_ROOT);
    const { schema, error, ms } = await requestSchema(plugin);
    if (!schema) {
      plugin.stop();
      throw new Error(`GetSchema failed: ${error}\n${plugin.logs.join("")}`);
    }
    return { plugin, schema, buildMs, startMs: plugin.startMs, schemaMs: ms };
  })();
  return run;
}

/** Stops the shared plugin; call from a root-level `after` hook so mocha can exit. */
export async function stopPackagePlugin(): Promise<void> {
  const current = run;
  run = undefined;
  if (current) (await current.catch(() => undefined))?.plugin.stop();
}

/** The package name, which is also the provider name in every type token. */
export function packageName(root = PACKAGE_ROOT): string {
  return (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string }).name;
}

/** Names of the exported classes that extend `ComponentResource`: what the plugin must serve. */
export function exportedComponentClasses(moduleExports: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const value of Object.values(moduleExports)) {
    if (typeof value === "function" && value.prototype instanceof pulumi.ComponentResource)
      names.add(value.name);
  }
  return [...names].sort();
}

/** The declared surface of the given classes, read from every TypeScript file under `dir`. */
export function sourceSurface(dir: string, classNames: string[]): DeclaredSurface {
  return declaredSurface(listTypeScript(dir), classNames);
}
