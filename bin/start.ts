#!/usr/bin/env node
import * as path from "path";
import { ProjectError, loadProject } from "../preview/project";
import { runProgram } from "../preview/runProgram";
import { renderTree } from "../preview/tree";

async function main(argv: string[]): Promise<number> {
  const args = argv[0] === "preview" ? argv.slice(1) : argv;
  const dir = args.find((a) => !a.startsWith("-")) ?? path.resolve(__dirname, "..");
  let project;
  try {
    project = loadProject(dir);
  } catch (e) {
    if (e instanceof ProjectError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const recording = await runProgram(project);
  if (recording.errors.length) {
    console.error(`error: the program ${project.name} failed: ${recording.errors[0].message.split("\n")[0]}`);
    return 2;
  }
  console.log(`Previewing ${project.name} offline (mocked outputs; nothing is sent to AWS)\n`);
  console.log(renderTree(recording.resources));
  console.log(`\n${recording.resources.filter((r) => r.custom).length} resources would be created.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
