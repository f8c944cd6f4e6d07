/**
 * Offline preview start-up cost, as ratios against starting the policy pack alone, measured in the same
 * run: the pack's start is the floor a preview cannot go under (the engine starts it too).
 *
 *   npm run bench:preview                 # this checkout
 *   PREVIEW_BASELINE_ROOT=DIR npm run bench:preview   # also a baseline checkout's CLI (same node_modules)
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { AnalyzerClient } from "../preview/analyzerClient";

const ROOT = path.resolve(__dirname, "..");
const PACK = path.join(ROOT, "policypack");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PROGRAMS = {
  "three resources": path.join(ROOT, "bench", "threeResources"),
  "examples/multi-account": path.join(ROOT, "examples", "multi-account"),
};

async function packAlone(): Promise<number> {
  const began = process.hrtime.bigint();
  const client = await AnalyzerClient.start(PACK);
  await client.getAnalyzerInfo();
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  await client.close();
  return ms;
}

function previewOnce(root: string, dir: string): number {
  const began = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(root, "bin", "start.ts"), "preview", dir, "--json"],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    },
  );
  if (run.status !== 0 && run.status !== 1) throw new Error(`${root} preview ${dir} failed:\n${run.stderr}`);
  return Number(process.hrtime.bigint() - began) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const roots: [string, string][] = [["this checkout", ROOT]];
  if (process.env.PREVIEW_BASELINE_ROOT)
    roots.push(["baseline", path.resolve(process.env.PREVIEW_BASELINE_ROOT)]);
  const pack: number[] = [];
  const times = new Map<string, number[]>();
  // Alternate the measurements so that load on the machine affects every series alike.
  for (let i = 0; i < RUNS; i++) {
    pack.push(await packAlone());
    for (const [label, root] of roots)
      for (const [name, dir] of Object.entries(PROGRAMS)) {
        const k = `${label}: ${name}`;
        times.set(k, [...(times.get(k) ?? []), previewOnce(root, dir)]);
      }
  }
  const floor = median(pack);
  console.log(`node ${process.version}, ${RUNS} runs each, medians`);
  console.log(`pack alone (start + GetAnalyzerInfo): ${(floor / 1000).toFixed(2)} s`);
  for (const [k, xs] of times)
    console.log(
      `${k}: ${(median(xs) / 1000).toFixed(2)} s = ${(median(xs) / floor).toFixed(2)}x the pack alone`,
    );
}

void main();
