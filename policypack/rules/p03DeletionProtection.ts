import { TableFacts } from "../facts/model";
import { Finding } from "./finding";

/** Practice 3: deletion protection on the table and every replica. */
export function deletionProtectionFindings(t: TableFacts): Finding[] {
  return t.copies
    .filter((copy) => copy.deletionProtection === "no")
    .map((copy) => ({
      practice: 3,
      subject: t.subject,
      where: copy.label,
      problem:
        copy.role === "replica"
          ? "deletion protection is off on this replica (it is set per region; see also practice 12)."
          : "deletion protection is off: one DeleteTable call from a compromised pipeline destroys the table.",
      fix: `set ${copy.deletionProtectionPath} to true.`,
    }));
}
