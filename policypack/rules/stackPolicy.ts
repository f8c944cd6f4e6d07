import type { PolicyConfigSchema } from "@pulumi/policy";
import { StackModel } from "../facts/stack";
import { PackStackPolicy, PolicyConfig, booleanSetting, stackPolicy } from "../policies";
import { Finding } from "./finding";
import { Practice } from "./practice";

/** A check across resources, declared by its practice; the stack policy runs every one that is switched on. */
export interface StackCheck {
  practice: Practice;
  /** The boolean setting (default true) that switches the check off. */
  setting: string;
  /** What the setting switches, for its schema (after `Practice N: `). */
  settingDescription: string;
  /** What the check covers, for the stack policy's description. */
  summary: string;
  /** Further settings the check reads. */
  config?: PolicyConfigSchema["properties"];
  check: (model: StackModel, config: PolicyConfig) => Finding[];
}

const SEVERITY_ORDER = ["critical", "high", "medium"] as const;

/** The stack policy's name for checks of one severity: `dynamodb-stack` (high), `dynamodb-stack-<severity>`. */
export function stackPolicyName(severity: Practice["severity"]): string {
  return severity === "high" ? "dynamodb-stack" : `dynamodb-stack-${severity}`;
}

/**
 * The pack's stack policies: every practice's checks across resources, one switch each, grouped by the severity
 * seed 003 gives their practice (CrossGuard reports one severity per policy). Each group builds on the one stack
 * model of the request, so the grouping costs the SDK's per-policy pass and nothing more.
 */
export function stackPoliciesOf(checks: StackCheck[]): PackStackPolicy[] {
  return SEVERITY_ORDER.map((severity) => checks.filter((c) => c.practice.severity === severity))
    .filter((group) => group.length)
    .map((group) => stackPolicyOf(group, group[0].practice.severity));
}

function stackPolicyOf(checks: StackCheck[], severity: Practice["severity"]): PackStackPolicy {
  const practices = [...new Map(checks.map((c) => [c.practice.number, c.practice])).values()].sort(
    (a, b) => a.number - b.number,
  );
  const config: PolicyConfigSchema["properties"] = {};
  for (const c of checks) {
    config[c.setting] = {
      type: "boolean",
      default: true,
      description: `Practice ${c.practice.number}: ${c.settingDescription}`,
    };
    Object.assign(config, c.config);
  }
  return stackPolicy({
    name: stackPolicyName(severity),
    displayName: `DynamoDB practices across the stack (${severity})`,
    description: `Practices ${practices.map((p) => p.number).join(", ")} across resources: ${checks.map((c) => c.summary).join(", ")}.`,
    practices,
    enforcementLevel: "advisory",
    severity,
    remediationSteps:
      "Each finding names the resource to add or the property to set; turn off the checks your organization covers elsewhere.",
    config,
    check: (model, settings) =>
      checks.flatMap((c) => (booleanSetting(settings, c.setting, true) ? c.check(model, settings) : [])),
  });
}
