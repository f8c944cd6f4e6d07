import * as fs from "fs";
import { RecordedResource, Recording, UNKNOWN, recordProgram } from "../../preview/recorder";

export { RecordedResource, Recording, UNKNOWN };

/** Runs `program` under mocks and fails if it raised anything. */
export async function record(program: () => unknown, preview = false): Promise<RecordedResource[]> {
  const recording = await recordProgram(program, { preview });
  if (recording.errors.length) throw recording.errors[0];
  return recording.resources;
}

/** Runs `program` under mocks and returns what it raised, if anything. */
export async function recordErrors(program: () => unknown, preview = false): Promise<Recording> {
  return recordProgram(program, { preview });
}

export function byType(resources: RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: RecordedResource[], type: string): RecordedResource {
  const found = byType(resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** Every resource under `urn`, at any depth. */
export function descendants(resources: RecordedResource[], urn: string): RecordedResource[] {
  const out: RecordedResource[] = [];
  const frontier = [urn];
  while (frontier.length) {
    const parent = frontier.pop()!;
    for (const r of resources) {
      if (r.parent === parent) {
        out.push(r);
        frontier.push(r.urn);
      }
    }
  }
  return out;
}

const acceptsCache = new Map<string, string>();

/** Whether the resource class of `type` takes input `property` (read from the SDK's generated code). */
export function acceptsInput(type: string, property: string): boolean {
  const [pkg, mod] = type.split(":");
  const modulePath = mod.startsWith("index/") ? mod.slice("index/".length) : mod;
  let source = acceptsCache.get(type);
  if (source === undefined) {
    try {
      source = fs.readFileSync(require.resolve(`@pulumi/${pkg}/${modulePath}`), "utf8");
    } catch {
      source = "";
    }
    acceptsCache.set(type, source);
  }
  return source.includes(`resourceInputs["${property}"] = args ? args.${property} :`);
}

export function parsePolicy(value: unknown): { Statement: Record<string, unknown>[] } {
  if (typeof value !== "string") throw new Error(`policy is not a JSON string: ${String(value)}`);
  return JSON.parse(value);
}
