import * as fs from "fs";
import * as path from "path";

/** One policy of the pack, as the API reference lists it. */
export interface PolicyEntry {
  name: string;
  description: string;
  enforcementLevel: string;
  /** Every other plain (string, number, boolean) field the policy carries, e.g. a practice number. */
  details: Record<string, string>;
  /** Names of the policy's configuration properties, if it takes any. */
  config: string[];
}

/** The pack's policies, or why they could not be read. */
export type PolicyListing = { pack: string; policies: PolicyEntry[] } | { unavailable: string };

interface PolicyPackArgs {
  policies?: unknown[];
  enforcementLevel?: string;
}

/**
 * Reads the policies of the pack in `packDir` without starting it: loads the pack's built entry
 * (package.json `main`) with `@pulumi/policy`'s `PolicyPack` replaced by a recorder, so no gRPC
 * server starts. A `policies` export of the entry is used as well, so the pack's layout does not matter.
 */
export function loadPolicies(packDir: string): PolicyListing {
  const manifestPath = path.join(packDir, "package.json");
  if (!fs.existsSync(manifestPath)) return { unavailable: `no policy pack at ${packDir} (no package.json)` };
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { main?: string };
  const entry = path.resolve(packDir, manifest.main ?? "index.js");
  if (!fs.existsSync(entry)) {
    return { unavailable: `the policy pack is not built: ${entry} does not exist (run \`npm run build\`)` };
  }

  let policyModule: { PolicyPack: unknown };
  try {
    policyModule = require(require.resolve("@pulumi/policy/policy", { paths: [packDir] }));
  } catch (err) {
    return { unavailable: `@pulumi/policy is not installed for ${packDir}: ${(err as Error).message}` };
  }
  const recorded: { name: string; args: PolicyPackArgs }[] = [];
  const real = policyModule.PolicyPack;
  policyModule.PolicyPack = class RecordingPolicyPack {
    constructor(name: string, args: PolicyPackArgs) {
      recorded.push({ name, args });
    }
  };
  let exported: { policies?: unknown };
  try {
    delete require.cache[entry];
    exported = require(entry);
  } catch (err) {
    return { unavailable: `loading ${entry} failed: ${(err as Error).message}` };
  } finally {
    policyModule.PolicyPack = real;
  }

  const pack = recorded[0];
  const policies = Array.isArray(exported.policies) ? exported.policies : pack?.args.policies;
  if (!policies) return { unavailable: `${entry} neither constructs a PolicyPack nor exports \`policies\`` };
  const defaultLevel = pack?.args.enforcementLevel ?? "advisory";
  return {
    pack: pack?.name ?? path.basename(packDir),
    policies: policies.map((p) => policyEntry(p, defaultLevel)),
  };
}

function policyEntry(policy: unknown, defaultLevel: string): PolicyEntry {
  const fields = (policy ?? {}) as Record<string, unknown>;
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (["name", "description", "enforcementLevel"].includes(key)) continue;
    if (["string", "number", "boolean"].includes(typeof value)) details[key] = String(value);
  }
  const configSchema = fields.configSchema as { properties?: Record<string, unknown> } | undefined;
  return {
    name: String(fields.name ?? "(unnamed)"),
    description: String(fields.description ?? ""),
    enforcementLevel: String(fields.enforcementLevel ?? defaultLevel),
    details,
    config: Object.keys(configSchema?.properties ?? {}),
  };
}

/** The policy list as a Markdown page for the API reference. */
export function policiesMarkdown(listing: PolicyListing): string {
  const lines = ["---", "title: Policies", "---", "", "# Policies", ""];
  if ("unavailable" in listing) {
    lines.push(`The policy list could not be read: ${listing.unavailable}.`, "");
    return lines.join("\n");
  }
  lines.push(
    `The \`${listing.pack}\` policy pack (\`policypack/\`) has ${listing.policies.length} ` +
      `${listing.policies.length === 1 ? "policy" : "policies"}. Run it with ` +
      "`pulumi preview --policy-pack policypack`.",
    "",
  );
  if (!listing.policies.length) return lines.join("\n");
  lines.push("| Policy | Enforcement | Description |", "| --- | --- | --- |");
  for (const policy of listing.policies) {
    lines.push(`| \`${policy.name}\` | ${policy.enforcementLevel} | ${cell(policy.description)} |`);
  }
  for (const policy of listing.policies) {
    const extra = Object.entries(policy.details).map(([key, value]) => `- ${key}: ${value}`);
    if (policy.config.length)
      extra.push(`- configuration: ${policy.config.map((c) => `\`${c}\``).join(", ")}`);
    if (extra.length) lines.push("", `## ${policy.name}`, "", ...extra);
  }
  lines.push("");
  return lines.join("\n");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}
