import { TableFacts } from "../facts/model";
import { Finding } from "./finding";
import { numberSetting, resourcePolicy } from "../policies";
import { definePractice } from "./practice";

export const practice = definePractice(2, "Enable point-in-time recovery", {
  controls: ["Security Hub DynamoDB.2", "AWS Config dynamodb-pitr-enabled"],
  securityHub: ["DynamoDB.2"],
  topics: ["recovery"],
});

/** Practice 2: PITR on for the table and every replica, with at least `minimumDays` of recovery window. */
export function pitrFindings(t: TableFacts, minimumDays: number): Finding[] {
  const findings: Finding[] = [];
  for (const copy of t.copies) {
    if (copy.pitr === "no") {
      findings.push({
        practice,
        subject: t.subject,
        where: copy.label,
        problem:
          copy.role === "replica"
            ? "point-in-time recovery is off on this replica (PITR is set per region; see also practice 12)."
            : "point-in-time recovery is off: only manual backups can restore the table.",
        fix: `set ${copy.pitrPath} to true${t.provider === "aws" && copy.pitrPath === "pointInTimeRecovery.enabled" ? " (pointInTimeRecovery: { enabled: true })" : ""}.`,
      });
    } else if (copy.pitr === "yes" && typeof copy.pitrDays === "number" && copy.pitrDays < minimumDays) {
      findings.push({
        practice,
        subject: t.subject,
        where: copy.label,
        problem: `the recovery window is ${copy.pitrDays} days, below the required ${minimumDays}.`,
        fix: `set ${copy.pitrPath.replace(/[^.]+$/, "recoveryPeriodInDays")} to at least ${minimumDays} (maximum 35).`,
      });
    }
  }
  return findings;
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-point-in-time-recovery",
    displayName: "DynamoDB point-in-time recovery is on",
    description:
      "Practice 2 (Security Hub DynamoDB.2): point-in-time recovery is on for every table and replica, with at least the configured recovery window.",
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: ["table"],
    remediationSteps:
      "Turn PITR on (remediate level does it for you): pointInTimeRecovery.enabled (aws), pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled (aws-native), per replica.",
    config: {
      minimumRecoveryPeriodDays: {
        type: "integer",
        minimum: 1,
        maximum: 35,
        default: 7,
        description: "Smallest recoveryPeriodInDays allowed (PITR keeps 35 days when it is not set).",
      },
    },
    check: (t, config) => pitrFindings(t, numberSetting(config, "minimumRecoveryPeriodDays", 7, 1, 35)),
    remediation: (t) => t.copies.filter((c) => c.pitr === "no").map((c) => c.pitrPath),
  }),
];
