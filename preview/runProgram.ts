import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { PulumiProject } from "./project";
import { RecordedResource, Recording, recordProgram } from "./recorder";

export interface RunOptions {
  /** The stack name URNs carry (default `offline`). */
  stack?: string;
  /** Configuration over the project's defaults, keyed `namespace:key`. */
  config?: Record<string, string>;
  secretKeys?: string[];
  onResource?: (resource: RecordedResource) => void;
}

/**
 * Lets `require` load TypeScript the way the Pulumi Node.js runtime does (`cmd/run` in the SDK): the
 * project's own `typescript` and `ts-node` when installed, else the copies the SDK vendors, so a
 * consumer project needs nothing but the SDKs. Type checking is left to the project's build.
 */
function registerTypeScript(project: PulumiProject): void {
  // Already registered (ts-node running this CLI): a second ts-node instance would compile the program
  // while the first one's source-map hook maps stack traces, so construction lines (SARIF locations)
  // would be the JavaScript's, not the program's.
  if (require.extensions[".ts"]) return;
  if ((process as unknown as Record<symbol, unknown>)[Symbol.for("ts-node.register.instance")]) return;
  const sdk = path.dirname(
    require.resolve("@pulumi/pulumi/package.json", { paths: [project.dir, __dirname] }),
  );
  const tsutils = require(path.join(sdk, "tsutils"));
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  const tsconfig = path.join(project.dir, "tsconfig.json");
  const hasTsconfig = fs.existsSync(tsconfig);
  const compilerOptions = hasTsconfig ? tsutils.loadTypeScriptCompilerOptions(tsconfig) : {};
  require(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly: true,
    project: hasTsconfig ? tsconfig : undefined,
    skipProject: !hasTsconfig,
    compilerOptions: {
      target: "ES2020",
      sourceMap: "true",
      ...compilerOptions,
      module: "commonjs",
      moduleResolution: "node",
    },
  });
}

/** Forgets the program's own modules, so that running it again registers its resources again. */
function forgetProgramModules(dir: string): void {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(prefix) && !file.includes(`${path.sep}node_modules${path.sep}`))
      delete require.cache[file];
  }
}

function nearestPackageType(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: string }).type;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Whether Node loads `file` as an ES module (`.mjs`, or `.js` under `"type": "module"`). */
export function isEsModule(file: string): boolean {
  if (file.endsWith(".mjs")) return true;
  return file.endsWith(".js") && nearestPackageType(file) === "module";
}

// `import()` written so that TypeScript's CommonJS output keeps it a real dynamic import.
const dynamicImport = new Function("specifier", "return import(specifier)") as (
  s: string,
) => Promise<unknown>;

/** Loads the program's entry: `require` for CommonJS and TypeScript, `import()` for ES modules. */
function loadEntry(project: PulumiProject): () => Promise<unknown> {
  const entry = require.resolve(project.main);
  if (isEsModule(entry)) return () => dynamicImport(pathToFileURL(entry).href);
  return async () => {
    const exported = require(entry);
    // A program may export a function (or a promise) that builds the stack, as `pulumi up` allows.
    return typeof exported === "function" ? exported() : exported;
  };
}

/** Runs a project's program in this process, offline, in preview mode, under the SDK's mocks. */
export async function runProgram(
  project: PulumiProject,
  config: Record<string, string> = {},
  options: RunOptions = {},
): Promise<Recording> {
  registerTypeScript(project);
  forgetProgramModules(
    fs.existsSync(project.main) && fs.statSync(project.main).isDirectory()
      ? project.main
      : path.dirname(project.main),
  );
  let load: () => Promise<unknown>;
  try {
    load = loadEntry(project);
  } catch (e) {
    return { resources: [], errors: [e instanceof Error ? e : new Error(String(e))] };
  }
  return recordProgram(load, {
    preview: true,
    project: project.name,
    stack: options.stack ?? "offline",
    config: { ...project.config, ...config, ...(options.config ?? {}) },
    secretKeys: options.secretKeys,
    onResource: options.onResource,
    withStack: true,
  });
}
