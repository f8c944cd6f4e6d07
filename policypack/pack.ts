import type { PolicyPackArgs } from "@pulumi/policy";
import { PackPolicy } from "./policies";
import { PRACTICE_MODULES } from "./rules";
import { PRACTICES_DOC_URL, REPOSITORY_URL } from "./rules/practice";
import { stackPoliciesOf } from "./rules/stackPolicy";

export const PACK_NAME = "dynamodb-hardened";

/** The practices the pack checks, in order. */
export const PRACTICES = PRACTICE_MODULES.map((m) => m.practice);

/** Every policy of the pack, with its defaults: each practice's resource policies, then the stack policy. */
export const policies: PackPolicy[] = [
  ...PRACTICE_MODULES.flatMap((m) => m.policies ?? []),
  ...stackPoliciesOf(PRACTICE_MODULES.flatMap((m) => m.stackChecks ?? [])),
];

function readme(): string {
  const rows = policies.map(
    (p) =>
      `| [\`${p.name}\`](${p.url}) | ${p.practices.join(", ")} | ${p.enforcementLevel} | ${p.severity} |`,
  );
  return [
    `# DynamoDB hardened`,
    "",
    `The ${PRACTICES.length} DynamoDB security practices of [dynamodb-hardened](${REPOSITORY_URL}) for ` +
      "`@pulumi/aws` and `@pulumi/aws-native` resources, decided at `pulumi preview` even when values are not " +
      `known yet. What each practice asks and why: [practices](${PRACTICES_DOC_URL}); settings, exemptions ` +
      `and remediation: [policy pack](${REPOSITORY_URL}/blob/main/docs/policy-pack.md).`,
    "",
    "| Policy | Practices | Default level | Severity |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

/** What Pulumi Cloud shows of the pack (the `GetAnalyzerInfo` fields the policy SDK fills in). */
export const PACK_ARGS: PolicyPackArgs = {
  displayName: "DynamoDB hardened",
  description: `The ${PRACTICES.length} DynamoDB security practices for @pulumi/aws and @pulumi/aws-native resources, decided at preview even when values are unknown.`,
  readme: readme(),
  provider: "aws",
  tags: ["aws", "dynamodb", "security"],
  repository: REPOSITORY_URL,
  policies,
};
