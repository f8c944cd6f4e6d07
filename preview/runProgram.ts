import { PulumiProject } from "./project";
import { Recording, recordProgram } from "./recorder";

/** Runs a project's program offline, in preview mode, under the SDK's mocks. */
export async function runProgram(
  project: PulumiProject,
  config: Record<string, string> = {},
): Promise<Recording> {
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
  return recordProgram(() => require(project.main), {
    preview: true,
    project: project.name,
    stack: "offline",
    config: { ...project.config, ...config },
    withStack: true,
  });
}
