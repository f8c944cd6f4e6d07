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

/** The pack's one stack policy: every practice's checks across resources, one switch each. */
export function stackPolicyOf(checks: StackCheck[]): PackStackPolicy {
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
    name: "dynamodb-stack",
    displayName: "DynamoDB practices across the stack",
    description: `Practices ${practices.map((p) => p.number).join(", ")} across resources: ${checks.map((c) => c.summary).join(", ")}.`,
    practices,
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps:
      "Each finding names the resource to add or the property to set; turn off the checks your organization covers elsewhere.",
    config,
    check: (model, settings) =>
      checks.flatMap((c) => (booleanSetting(settings, c.setting, true) ? c.check(model, settings) : [])),
  });
}
