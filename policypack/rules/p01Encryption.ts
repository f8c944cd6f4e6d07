import { keyPhrase, keyShortfall } from "../facts/keyVocabulary";
import { TableCopy, TableFacts } from "../facts/model";
import { Finding } from "./finding";

function fix(t: TableFacts, copy: TableCopy): string {
  const where = typeof copy.region === "string" ? ` in ${copy.region}` : " in the copy's own region";
  if (t.provider === "aws-native") {
    return copy.keyPath === "sseSpecification"
      ? 'set sseSpecification to { sseEnabled: true, sseType: "KMS", kmsMasterKeyId: <customer-managed key ARN> }.'
      : `set sseSpecification to { sseEnabled: true, sseType: "KMS" } and ${copy.keyPath} to a customer-managed key${where}.`;
  }
  if (copy.keyPath === "serverSideEncryption") {
    return "set serverSideEncryption to { enabled: true, kmsKeyArn: <customer-managed key ARN> } (HardenedTable creates a key with rotation by default).";
  }
  return `set ${copy.keyPath} to a customer-managed key${where}.`;
}

/** Practice 1: the table and every replica are encrypted with a customer-managed key. An unknown key ARN is one. */
export function cmkFindings(t: TableFacts): Finding[] {
  const findings: Finding[] = [];
  for (const copy of t.copies) {
    const kind = copy.key.kind;
    if (kind !== "aws-owned" && kind !== "aws-managed" && kind !== "table-default") continue;
    findings.push({
      practice: 1,
      subject: t.subject,
      where: copy.label,
      problem: `encrypted with ${keyPhrase(copy.key)}: ${keyShortfall(copy.key)}`,
      fix: fix(t, copy),
    });
  }
  return findings;
}
