import type { ChildProcess } from "child_process";

/** Child processes this CLI started (the pack, the program): stopped whenever the CLI ends. */
const running = new Set<ChildProcess>();
let installed = false;

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SIGNAL_NUMBER: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Stops every tracked child now (synchronously: usable from an `exit` handler). */
export function stopAll(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
  running.clear();
}

/** Tracks `child` until it exits; the first call installs the exit and signal handlers. */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/**
 * Stops tracked children when this process exits, is interrupted (exit code 128 + signal, as shells
 * report it) or dies of an uncaught exception.
 */
export function stopChildrenOnExit(): void {
  if (installed) return;
  installed = true;
  process.on("exit", () => stopAll());
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      stopAll();
      process.stderr.write(
        `\nerror: interrupted (${signal}); the policy pack and the program were stopped\n`,
      );
      process.exit(128 + SIGNAL_NUMBER[signal]);
    });
  }
}

/**
 * Preloaded into child processes (`--import`): a child exits when its stdin closes, which happens
 * when this CLI dies, even of SIGKILL, so no pack process outlives it.
 */
export const EXIT_WITH_PARENT = `--import=data:text/javascript,process.stdin.on("end",()=>process.exit(0)).on("error",()=>process.exit(0)).resume()`;
