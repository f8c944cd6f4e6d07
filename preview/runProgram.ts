import { PulumiProject } from "./project";
import { Recording, recordProgram } from "./recorder";

function registerTypeScript(): void {
  try {
    require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
  } catch {
    // No ts-node: JavaScript programs still run; TypeScript ones fail with Node's own error.
  }
}

/** Runs a project's program offline, in preview mode, under the SDK's mocks. */
export async function runProgram(
  project: PulumiProject,
  config: Record<string, string> = {},
): Promise<Recording> {
  registerTypeScript();
  return recordProgram(() => require(project.main), {
    preview: true,
    project: project.name,
    stack: "offline",
    config: { ...project.config, ...config },
    withStack: true,
  });
}
