/**
 * The program's own process: runs it under the SDK's mocks and reports over IPC. Its stdout is the
 * CLI's stderr, so what the program prints never mixes with `--json` or `--sarif` output.
 */
import * as fs from "fs";
import type { PulumiProject } from "./project";
import { runProgram } from "./runProgram";

export interface ProgramJob {
  project: PulumiProject;
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
}

/** The worker's status pipe (fd 4): written synchronously, so it survives `process.exit`. */
export const STATUS_FD = 4;

/** Messages the worker sends to the CLI. */
export type WorkerMessage =
  | { kind: "resource"; type: string; name: string }
  | { kind: "done"; resources: unknown[]; errors: { message: string }[] }
  | { kind: "stalled"; registered: number }
  | { kind: "crashed"; error: { message: string } };

function send(message: WorkerMessage, then?: () => void): void {
  if (!process.send) return;
  process.send(message, undefined, {}, () => then?.());
}

function describe(e: unknown): { message: string } {
  if (e instanceof Error) {
    // Pulumi's RunError and InputPropertiesError carry the whole story in the message; others need the stack.
    return { message: e.message };
  }
  return { message: String(e) };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as ProgramJob;
  let registered = 0;
  let finished = false;
  process.on("disconnect", () => process.exit(0));
  // A program that calls process.exit ends the run: say so before the process goes, whatever the code.
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    if (!finished) {
      finished = true;
      try {
        fs.writeSync(STATUS_FD, JSON.stringify({ exitCalled: code ?? process.exitCode ?? 0, registered }));
      } catch {
        // No status pipe (run by hand): the exit code says enough.
      }
    }
    return exit(code as number);
  }) as typeof process.exit;
  process.on("beforeExit", () => {
    // Nothing left to run, yet the program has not finished: something it awaits never settles.
    if (finished) return;
    finished = true;
    send({ kind: "stalled", registered }, () => process.exit(3));
  });
  process.on("uncaughtException", (e) => {
    if (finished) return;
    finished = true;
    send({ kind: "crashed", error: describe(e) }, () => process.exit(1));
  });
  const recording = await runProgram(job.project, job.config, {
    stack: job.stack,
    secretKeys: job.secretKeys,
    onResource: (r) => {
      registered++;
      send({ kind: "resource", type: r.type, name: r.name });
    },
  });
  if (finished) return;
  finished = true;
  send({ kind: "done", resources: recording.resources, errors: recording.errors.map(describe) }, () =>
    process.exit(0),
  );
}

if (require.main === module) void main();
