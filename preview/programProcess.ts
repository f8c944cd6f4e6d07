import { spawn } from "child_process";
import * as path from "path";
import { type ProgramJob, STATUS_FD, type WorkerMessage } from "./programWorker";
import { track } from "./processes";
import type { RecordedResource, Recording } from "./recorder";

/** The program could not be run to its end: it timed out, stalled, exited early or crashed. */
export class ProgramRunError extends Error {}

export interface ProgramProcessOptions {
  /** Milliseconds before the program is stopped. */
  timeoutMs: number;
  /** The limit as the user gave it (`--timeout`), for the message. */
  limitSeconds?: number;
  /** Called as each resource registers (for the progress line). */
  onResource?: (type: string, name: string, count: number) => void;
}

/** How to start the worker: compiled JavaScript as is, TypeScript sources through ts-node. */
function workerCommand(): string[] {
  const worker = path.join(__dirname, `programWorker${path.extname(__filename)}`);
  if (worker.endsWith(".ts")) return ["-r", require.resolve("ts-node/register/transpile-only"), worker];
  return [worker];
}

/**
 * Runs the program in its own Node.js process (so a busy loop can be stopped and `process.exit` in the
 * program cannot end the CLI), with its output on this process's stderr.
 */
export function runProgramProcess(job: ProgramJob, options: ProgramProcessOptions): Promise<Recording> {
  return new Promise((resolve, reject) => {
    // Offline: the SDK must not find an engine or monitor to talk to.
    const env = { ...process.env };
    for (const name of ["PULUMI_NODEJS_ENGINE", "PULUMI_NODEJS_MONITOR", "PULUMI_ENGINE", "PULUMI_MONITOR"])
      delete env[name];
    const child = track(
      spawn(process.execPath, [...workerCommand(), JSON.stringify(job)], {
        cwd: job.project.dir,
        env,
        stdio: ["ignore", 2, 2, "ipc", "pipe"],
      }),
    );
    let status = "";
    child.stdio[STATUS_FD]?.on("data", (chunk: Buffer) => (status += chunk.toString()));
    let count = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() => {
          child.kill("SIGKILL");
          reject(
            new ProgramRunError(
              `the program in ${job.project.dir} did not finish within ${options.limitSeconds ?? Math.round(options.timeoutMs / 1000)} s ` +
                `(${count} resources registered); it may loop forever or wait on a value that never ` +
                `resolves. Raise the limit with --timeout SECONDS if it is only slow.`,
            ),
          );
        }),
      options.timeoutMs,
    );
    child.on("message", (message: WorkerMessage) => {
      switch (message.kind) {
        case "resource":
          count++;
          options.onResource?.(message.type, message.name, count);
          return;
        case "done":
          return finish(() =>
            resolve({
              resources: message.resources as RecordedResource[],
              errors: message.errors.map((e) => Object.assign(new Error(e.message), { stack: e.message })),
            }),
          );
        case "stalled":
          return finish(() =>
            reject(
              new ProgramRunError(
                `the program in ${job.project.dir} stopped before it finished: something it waits on ` +
                  `(an Input, Output or Promise) never resolves (${message.registered} resources registered)`,
              ),
            ),
          );
        case "crashed":
          return finish(() =>
            reject(new ProgramRunError(`the program in ${job.project.dir} failed: ${message.error.message}`)),
          );
      }
    });
    child.once("error", (e) =>
      finish(() => reject(new ProgramRunError(`cannot start the program's process: ${e.message}`))),
    );
    // "close": the status pipe is drained by then.
    child.once("close", (code, signal) =>
      finish(() => {
        const exited = status
          ? (JSON.parse(status) as { exitCalled: number | string; registered: number })
          : undefined;
        if (exited)
          return reject(
            new ProgramRunError(
              `the program in ${job.project.dir} called process.exit(${exited.exitCalled}) before it finished ` +
                `(${exited.registered} resources registered); nothing was checked`,
            ),
          );
        reject(
          new ProgramRunError(
            signal
              ? `the program in ${job.project.dir} was killed by ${signal} before it finished`
              : `the program in ${job.project.dir} exited with code ${code} before it finished ` +
                  `(${count} resources registered); nothing was checked`,
          ),
        );
      }),
    );
  });
}
