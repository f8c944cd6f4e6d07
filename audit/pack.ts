import * as fs from "fs";
import * as path from "path";
import type {
  Policies,
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { AnalyzerInfo, Diagnostic, PolicyConfig, PolicyInfo } from "../preview/analyzerClient";
import { packageRoot } from "../preview/cli";

/**
 * The thin adapter between the audit and the policy pack. The audit hands the pack what it read from AWS in
 * the shape the pack reads at preview (`@pulumi/aws` type tokens and property bags, a provider bag carrying the
 * region and account) and runs the pack's own policies on it: the facts, the rules and the finding text are the
 * pack's. Nothing here knows a rule.
 */
export interface PackResource {
  type: string;
  /** The resource's ARN (or ARN#part): where findings are reported. */
  urn: string;
  name: string;
  props: Record<string, unknown>;
  region: string;
  account: string;
  /** Property name -> URNs its value came from (a backup selection's `planId` -> the plan). */
  dependencies?: Record<string, string[]>;
}

/** Values not known to the audit, in the engine's wire form for unknowns (@pulumi/pulumi runtime/rpc.ts). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

interface PackModule {
  /** Every policy of the pack, with its defaults (policypack/pack.ts). */
  policies: Policies;
  PACK_NAME: string;
}

/** The pack's sources when running from TypeScript, its compiled `bin/` when running from `dist/`. */
function loadPack(): { module: PackModule; version: string } {
  const dir = path.join(packageRoot(), "policypack");
  const fromSources = __filename.endsWith(".ts");
  const entry = fromSources ? path.join(dir, "pack") : path.join(dir, "bin", "pack.js");
  const module = require(entry) as PackModule;
  const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string })
    .version;
  return { module, version };
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

function isStack(p: AnyPolicy): p is StackValidationPolicy {
  return "validateStack" in p && typeof p.validateStack === "function";
}

export const PACK_NAME = "dynamodb-hardened";

/** The policy pack, loaded once, with a configuration in the format of `--policy-pack-config`. */
export class Pack {
  readonly info: AnalyzerInfo;
  /** Names of the pack's stack policies: the ones that relate resources to each other. */
  readonly stackPolicies: ReadonlySet<string>;
  private readonly policies: AnyPolicy[];
  private readonly settings = new Map<string, { level: string; config: Record<string, unknown> }>();

  constructor(config: Record<string, PolicyConfig> = {}) {
    const { module, version } = loadPack();
    this.policies = module.policies as AnyPolicy[];
    this.stackPolicies = new Set(this.policies.filter(isStack).map((p) => p.name));
    this.info = {
      name: module.PACK_NAME ?? PACK_NAME,
      displayName: "DynamoDB hardened",
      version,
      description: "The twelve DynamoDB security practices.",
      supportsConfig: true,
      policies: this.policies.map((p): PolicyInfo => ({
        name: p.name,
        displayName: p.name,
        description: p.description ?? "",
        enforcementLevel: p.enforcementLevel ?? "advisory",
        severity: p.severity ?? "",
        type: isStack(p) ? "stack" : "resource",
        remediationSteps: p.remediationSteps ?? "",
        url: "",
        tags: p.tags ?? [],
      })),
    };
    for (const p of this.policies) {
      const own = config[p.name];
      const level =
        typeof own === "string" ? own : (own?.enforcementLevel ?? p.enforcementLevel ?? "advisory");
      const settings = typeof own === "object" && own ? { ...own } : {};
      delete (settings as { enforcementLevel?: unknown }).enforcementLevel;
      this.settings.set(p.name, { level, config: settings });
    }
  }

  /**
   * Every policy's verdict on a set of resources (one region's, or a batch of its tables with their context).
   * `judged`: the resources the per-resource policies check (default all); the stack policies see every one.
   */
  evaluate(resources: PackResource[], judged?: (r: PackResource) => boolean): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const policyResources = new Map<string, PolicyResource>();
    const asPolicyResource = (r: PackResource): PolicyResource => {
      let out = policyResources.get(r.urn);
      if (!out) {
        out = {
          type: r.type,
          urn: r.urn,
          name: r.name,
          props: r.props,
          opts: {},
          provider: providerOf(r),
          dependencies: [],
          propertyDependencies: {},
          isType: () => false,
          asType: () => undefined,
        } as unknown as PolicyResource;
        policyResources.set(r.urn, out);
      }
      return out;
    };
    const resolved = resources.map(asPolicyResource);
    for (const r of resources) {
      if (!r.dependencies) continue;
      const target = policyResources.get(r.urn)!;
      const byUrn = (urn: string) => policyResources.get(urn) ?? ({ urn } as PolicyResource);
      for (const [key, urns] of Object.entries(r.dependencies)) {
        target.propertyDependencies[key] = urns.map(byUrn);
        target.dependencies.push(...urns.map(byUrn));
      }
    }
    for (const policy of this.policies) {
      const { level, config } = this.settings.get(policy.name)!;
      if (level === "disabled") continue;
      const report = (message: string, urn: string) =>
        diagnostics.push({
          policyName: policy.name,
          policyPackName: this.info.name,
          policyPackVersion: this.info.version,
          description: policy.description ?? "",
          message: message ? `${policy.description}\n${message}` : (policy.description ?? ""),
          enforcementLevel: level as Diagnostic["enforcementLevel"],
          urn,
          severity: policy.severity ?? "",
        });
      const getConfig = () => config;
      if (isStack(policy)) {
        policy.validateStack({ resources: resolved, getConfig } as never, (message, urn) =>
          report(typeof message === "string" ? message : "", urn ?? ""),
        );
        continue;
      }
      const validate = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      for (const [i, r] of resolved.entries()) {
        if (judged && !judged(resources[i])) continue;
        const args = {
          type: r.type,
          props: r.props,
          urn: r.urn,
          name: r.name,
          opts: {},
          provider: r.provider,
          getConfig,
          isType: () => false,
          asType: () => undefined,
          notApplicable: () => undefined,
        };
        for (const v of validate) {
          if (typeof v === "function")
            v(args as never, (message) => report(typeof message === "string" ? message : "", r.urn));
        }
      }
    }
    return diagnostics;
  }
}

function providerOf(r: PackResource) {
  return {
    type: "pulumi:providers:aws",
    urn: `audit:${r.account}:${r.region}`,
    name: `${r.account}-${r.region}`,
    props: { region: r.region, allowedAccountIds: [r.account] },
    opts: {},
    isType: () => false,
    asType: () => undefined,
  };
}
