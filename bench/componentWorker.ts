import { recordProgram } from "../preview/recorder";
import { Variant, program } from "./componentPrograms";

// One measurement in a fresh process, so peak memory belongs to one variant only.
async function main(): Promise<void> {
  const [variant, count] = [process.argv[2] as Variant, Number(process.argv[3])];
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
  const start = process.hrtime.bigint();
  const recording = await recordProgram(program(variant, count), { preview: false });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  if (recording.errors.length) throw recording.errors[0];
  const resources = recording.resources.filter((r) => r.custom).length;
  process.stdout.write(
    JSON.stringify({
      variant,
      count,
      ms,
      resources,
      peakHeapMb: (peakHeap - heapBefore) / 2 ** 20,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
