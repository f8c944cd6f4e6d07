import { TableFacts } from "../facts/model";
import { Finding } from "./finding";

/** Practice 2: PITR on for the table and every replica, with at least `minimumDays` of recovery window. */
export function pitrFindings(t: TableFacts, minimumDays: number): Finding[] {
  const findings: Finding[] = [];
  for (const copy of t.copies) {
    if (copy.pitr === "no") {
      findings.push({
        practice: 2,
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
        practice: 2,
        subject: t.subject,
        where: copy.label,
        problem: `the recovery window is ${copy.pitrDays} days, below the required ${minimumDays}.`,
        fix: `set ${copy.pitrPath.replace(/[^.]+$/, "recoveryPeriodInDays")} to at least ${minimumDays} (maximum 35).`,
      });
    }
  }
  return findings;
}
