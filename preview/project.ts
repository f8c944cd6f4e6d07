import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** A Pulumi project, as read from its `Pulumi.yaml`. */
export interface PulumiProject {
  name: string;
  dir: string;
  /** The program's entry (a file or directory), resolved. */
  main: string;
  runtime: string;
  /** Configuration defaults declared in `Pulumi.yaml` (`config: {key: {value}}`), keyed `namespace:key`. */
  config: Record<string, string>;
  /** Keys declared `secret: true` in `Pulumi.yaml`. */
  secretKeys: string[];
}

export class ProjectError extends Error {}

function configKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Reads `Pulumi.yaml` (or `.yml`) in `dir`; throws `ProjectError` with what to fix. */
export function loadProject(dir: string): PulumiProject {
  const root = path.resolve(dir);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
  if (!file) throw new ProjectError(`${root} is not a Pulumi project: it has no Pulumi.yaml`);
  let doc: Record<string, unknown>;
  try {
    doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new ProjectError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const name = typeof doc.name === "string" ? doc.name : undefined;
  if (!name) throw new ProjectError(`${file} has no project name (name: ...)`);
  const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string })?.name;
  if (runtime !== "nodejs")
    throw new ProjectError(`${file}: runtime is ${runtime}; only nodejs programs can be previewed offline`);
  const main = path.resolve(root, typeof doc.main === "string" ? doc.main : ".");
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, spec] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    const value =
      spec !== null && typeof spec === "object"
        ? ((spec as Record<string, unknown>).value ?? (spec as Record<string, unknown>).default)
        : spec;
    if (value !== undefined)
      config[configKey(name, key)] = typeof value === "string" ? value : JSON.stringify(value);
    if (spec !== null && typeof spec === "object" && (spec as Record<string, unknown>).secret === true)
      secretKeys.push(configKey(name, key));
  }
  return { name, dir: root, main, runtime, config, secretKeys };
}
