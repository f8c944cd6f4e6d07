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

async function main(): Promise<void> {
  buildIfStale(PACKAGE_ROOT);
  for (let round = 1; round <= ROUNDS; round++) {
    const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    const plugin = await startPlugin(PACKAGE_ROOT);
    try {
      const startCpu = cpuMs(plugin.pid);
      const { schema, error, ms } = await requestSchema(plugin);
      if (!schema) throw new Error(`GetSchema failed: ${error}`);
      const components = Object.keys(schema.resources).length;
      console.log(
        `round ${round} (load ${load}): plugin start ${plugin.startMs} ms wall / ${startCpu} ms CPU, ` +
          `GetSchema ${ms} ms wall / ${cpuMs(plugin.pid) - startCpu} ms CPU, ${components} components`,
      );
    } finally {
      plugin.stop();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
