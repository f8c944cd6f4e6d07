import * as fs from "fs";
import * as path from "path";
import { PulumiProject } from "./project";
import { Recording, recordProgram } from "./recorder";

function registerTypeScript(): void {
  // A second ts-node instance would compile the program while the first one's source-map hook maps
  // stack traces, so construction lines (SARIF locations) would be the JavaScript's, not the program's.
  if ((process as unknown as Record<symbol, unknown>)[Symbol.for("ts-node.register.instance")]) return;
  try {
    require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
  } catch {
    // No ts-node: JavaScript programs still run; TypeScript ones fail with Node's own error.
  }
}

/** Forgets the program's own modules, so that running it again registers its resources again. */
function forgetProgramModules(dir: string): void {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(prefix) && !file.includes(`${path.sep}node_modules${path.sep}`))
      delete require.cache[file];
  }
}

/** Runs a project's program offline, in preview mode, under the SDK's mocks. */
export async function runProgram(
  project: PulumiProject,
  config: Record<string, string> = {},
): Promise<Recording> {
  registerTypeScript();
  forgetProgramModules(
    fs.existsSync(project.main) && fs.statSync(project.main).isDirectory()
      ? project.main
      : path.dirname(project.main),
  );
  return recordProgram(() => require(project.main), {
    preview: true,
    project: project.name,
    stack: "offline",
    config: { ...project.config, ...config },
    withStack: true,
  });
}
