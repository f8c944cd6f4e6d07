import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ProjectError, PulumiProject } from "./project";

/** The configuration a program sees, as the CLI assembles it for a stack. */
export interface StackConfig {
  stack: string;
  /** Where the stack came from, for the progress line. */
  source: "option" | "only stack file" | "default";
  /** Values keyed `namespace:key`; structured values as JSON. */
  config: Record<string, string>;
  /** Keys whose values are secret. */
  secretKeys: string[];
  /** Encrypted values that could not be read offline (a placeholder is used). */
  placeholders: string[];
}

/** A `--config` / `--config-secret` argument: `key=value`, the key namespaced by the project when bare. */
export interface ConfigArg {
  key: string;
  value: string;
  secret: boolean;
}

/** The placeholder for an encrypted stack value the previewer cannot decrypt. */
export const ENCRYPTED_PLACEHOLDER = "offline-placeholder-for-encrypted-value";

function namespaced(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function stackFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

/**
 * Selects the stack (`--stack`, else the only `Pulumi.<stack>.yaml`, else `offline`) and merges its
 * configuration over the project's defaults, then `--config` values over both, as `pulumi preview -s
 * STACK -c key=value` does. Encrypted (`secure:`) values cannot be decrypted offline: they become a
 * secret placeholder unless given with `--config-secret`.
 */
export function loadStackConfig(
  project: PulumiProject,
  stack: string | undefined,
  args: ConfigArg[] = [],
): StackConfig {
  const candidates = stackFiles(project.dir);
  let source: StackConfig["source"] = "option";
  if (!stack) {
    if (candidates.length === 1) {
      stack = candidates[0];
      source = "only stack file";
    } else if (candidates.length > 1) {
      throw new ProjectError(
        `${project.dir} has several stacks (${candidates.join(", ")}); choose one with --stack NAME`,
      );
    } else {
      stack = "offline";
      source = "default";
    }
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new ProjectError(
      `--stack ${stack}: a stack name may contain only letters, digits, '-', '_' and '.'`,
    );
  }
  const config: Record<string, string> = { ...project.config };
  const secretKeys = new Set(project.secretKeys);
  const placeholders: string[] = [];
  const file = ["yaml", "yml"]
    .map((e) => path.join(project.dir, `Pulumi.${stack}.${e}`))
    .find((f) => fs.existsSync(f));
  if (file) {
    let doc: Record<string, unknown>;
    try {
      doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw new ProjectError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    for (const [rawKey, value] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
      const key = namespaced(project.name, rawKey);
      if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
        config[key] = ENCRYPTED_PLACEHOLDER;
        secretKeys.add(key);
        placeholders.push(key);
      } else if (value !== null && value !== undefined) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
      }
    }
  } else if (source === "option" && candidates.length) {
    throw new ProjectError(
      `--stack ${stack}: ${project.dir} has no Pulumi.${stack}.yaml; its stacks are ${candidates.join(", ")}`,
    );
  }
  for (const arg of args) {
    const key = namespaced(project.name, arg.key);
    config[key] = arg.value;
    if (arg.secret) secretKeys.add(key);
    const at = placeholders.indexOf(key);
    if (at >= 0) placeholders.splice(at, 1);
  }
  return { stack, source, config, secretKeys: [...secretKeys].sort(), placeholders };
}
