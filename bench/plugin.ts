// `npm run bench:plugin`: what starting the package as a plugin costs, i.e. what `pulumi package add`
// and every `pulumi preview`/`up` from another language pay before the first component exists.
// CPU time is reported next to wall time because it barely depends on the machine's load.
import * as fs from "fs";
import { buildIfStale } from "../tests/harness/build";
import { PACKAGE_ROOT } from "../tests/harness/packageSchema";
import { requestSchema, startPlugin } from "../tests/harness/plugin";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** User plus system CPU milliseconds a Linux process has used so far. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * `npm run bench:plugin [-- DIR...]`: this package, or each package directory given (e.g. a checkout of
 * an earlier commit, built, as a baseline), started in turn in every round so that load hits all alike.
 */
async function main(): Promise<void> {
  const packages = process.argv.length > 2 ? process.argv.slice(2) : [PACKAGE_ROOT];
  for (const dir of packages) buildIfStale(dir);
  const schemaCpu = new Map<string, number[]>(packages.map((dir) => [dir, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const dir of packages) {
      const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];
      const plugin = await startPlugin(dir);
      try {
        const startCpu = cpuMs(plugin.pid);
        const { schema, error, ms } = await requestSchema(plugin);
        if (!schema) throw new Error(`GetSchema failed: ${error}`);
        const cpu = cpuMs(plugin.pid) - startCpu;
        schemaCpu.get(dir)!.push(cpu);
        const components = Object.keys(schema.resources).length;
        console.log(
          `round ${round} ${dir} (load ${load}): plugin start ${plugin.startMs} ms wall / ${startCpu} ms CPU, ` +
            `GetSchema ${ms} ms wall / ${cpu} ms CPU, ${components} components`,
        );
      } finally {
        plugin.stop();
      }
    }
  }
  if (packages.length > 1) {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const base = median(schemaCpu.get(packages[0])!);
    for (const dir of packages.slice(1)) {
      const m = median(schemaCpu.get(dir)!);
      console.log(
        `GetSchema CPU median: ${dir} ${m} ms = ${(m / base).toFixed(2)} x ${packages[0]} (${base} ms)`,
      );
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
