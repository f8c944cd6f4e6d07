import { execFileSync } from "child_process";
import * as path from "path";

interface Sample {
  variant: string;
  count: number;
  ms: number;
  resources: number;
  peakHeapMb: number;
  maxRssMb: number;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function run(variant: string, count: number): Sample {
  const out = execFileSync(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join(__dirname, "componentWorker.ts"),
      variant,
      String(count),
    ],
    { encoding: "utf8", cwd: path.join(__dirname, "..") },
  );
  return JSON.parse(out) as Sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function compare(label: string, component: string, hand: string, count: number): void {
  const samples: Record<string, Sample[]> = { [component]: [], [hand]: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so drift on the machine hits both sides alike.
    for (const v of round % 2 ? [hand, component] : [component, hand]) samples[v].push(run(v, count));
  }
  const summary = (v: string) => ({
    msPerTable: median(samples[v].map((s) => s.ms)) / count,
    peakHeapMb: median(samples[v].map((s) => s.peakHeapMb)),
    maxRssMb: median(samples[v].map((s) => s.maxRssMb)),
    resources: samples[v][0].resources,
  });
  const c = summary(component);
  const h = summary(hand);
  console.log(`\n${label}: ${count} tables, ${ROUNDS} paired rounds (medians)`);
  console.log(
    `  ${"".padEnd(12)} ${"ms/table".padStart(9)} ${"peak heap MB".padStart(13)} ${"max RSS MB".padStart(11)} ${"resources".padStart(10)}`,
  );
  for (const [name, s] of [
    ["component", c],
    ["by hand", h],
  ] as const) {
    console.log(
      `  ${name.padEnd(12)} ${s.msPerTable.toFixed(2).padStart(9)} ${s.peakHeapMb.toFixed(1).padStart(13)} ${s.maxRssMb.toFixed(0).padStart(11)} ${String(s.resources).padStart(10)}`,
    );
  }
  console.log(
    `  ratio        time ${(c.msPerTable / h.msPerTable).toFixed(2)}x   peak heap ${(c.peakHeapMb / h.peakHeapMb).toFixed(2)}x   max RSS ${(c.maxRssMb / h.maxRssMb).toFixed(2)}x   (goal: at most 1.5x)`,
  );
}

compare("HardenedTable", "component", "hand", 200);
compare("Global HardenedTable, three regions", "global-component", "global-hand", 100);
