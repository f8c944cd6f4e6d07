import { TableFacts } from "../facts/model";
import { Finding } from "./finding";
import { resourcePolicy } from "../policies";
import { definePractice } from "./practice";

export const practice = definePractice(3, "Enable deletion protection", {
  controls: ["Security Hub DynamoDB.6", "AWS Config dynamodb-table-deletion-protection-enabled"],
  securityHub: ["DynamoDB.6"],
  topics: ["recovery"],
});

/** Practice 3: deletion protection on the table and every replica. */
export function deletionProtectionFindings(t: TableFacts): Finding[] {
  return t.copies
    .filter((copy) => copy.deletionProtection === "no")
    .map((copy) => ({
      practice,
      subject: t.subject,
      where: copy.label,
      problem:
        copy.role === "replica"
          ? "deletion protection is off on this replica (it is set per region; see also practice 12)."
          : "deletion protection is off: one DeleteTable call from a compromised pipeline destroys the table.",
      fix: `set ${copy.deletionProtectionPath} to true.`,
    }));
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-deletion-protection",
    displayName: "DynamoDB deletion protection is on",
    description:
      "Practice 3 (Security Hub DynamoDB.6): deletion protection is on for every table and replica.",
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: ["table"],
    remediationSteps:
      "Set deletionProtectionEnabled to true on the table and each replica (remediate level does it for you).",
    check: (t) => deletionProtectionFindings(t),
    remediation: (t) =>
      t.copies.filter((c) => c.deletionProtection === "no").map((c) => c.deletionProtectionPath),
  }),
];
