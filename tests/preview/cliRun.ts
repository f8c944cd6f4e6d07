import { spawn } from "child_process";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const PROGRAMS = path.join(ROOT, "tests", "fixtures", "preview");

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Process ids of the CLI's children seen while it ran (the pack, the program). */
  children: number[];
}

export interface JsonReport {
  stack: string;
  summary: { resources: number; mandatory: number; advisory: number };
  resources: { urn: string; type: string; name: string; inputs: Record<string, unknown> }[];
  diagnostics: { policyName: string; enforcementLevel: string; urn: string; message: string }[];
}

/** Child pids of `pid` (Linux /proc), to prove none outlives the CLI. */
export function childrenOf(pid: number): number[] {
  const fs = require("fs") as typeof import("fs");
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Whether `pid` still runs (a zombie waiting to be reaped has stopped). */
export function alive(pid: number): boolean {
  const fs = require("fs") as typeof import("fs");
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Waits up to `ms` for every pid to stop; returns those still running. */
export async function stillRunning(pids: number[], ms = 15000): Promise<number[]> {
  const until = Date.now() + ms;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  return pids.filter(alive);
}

export interface PreviewOptions {
  env?: Record<string, string>;
  /** Send this signal to the CLI once it has started both children. */
  killWith?: NodeJS.Signals;
}

/** Runs `dynamodb-hardened preview ARGS` from the sources, on this Node.js, asynchronously. */
export function preview(args: string[], options: PreviewOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(ROOT, "bin/start.ts"), "preview", ...args],
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), ...options.env },
      },
    );
    let stdout = "";
    let stderr = "";
    const children = new Set<number>();
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const watch = setInterval(() => {
      const now = childrenOf(child.pid!);
      now.forEach((p) => children.add(p));
      if (options.killWith && now.length >= 2 && stderr.includes("Running")) {
        clearInterval(watch);
        // Both children are up: give the program a moment to be busy, then interrupt.
        setTimeout(() => child.kill(options.killWith), 1500);
      }
    }, 200);
    child.on("close", (code, signal) => {
      clearInterval(watch);
      resolve({ code, signal, stdout, stderr, children: [...children] });
    });
  });
}

/** Runs every job with at most `limit` at once. */
export async function inParallel<T>(jobs: (() => Promise<T>)[], limit = 4): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}
