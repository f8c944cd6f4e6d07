import { keyPhrase, keyShortfall } from "../facts/keyVocabulary";
import { TableCopy, TableFacts } from "../facts/model";
import { Finding } from "./finding";
import { resourcePolicy } from "../policies";
import { definePractice } from "./practice";

export const practice = definePractice(1, "Encrypt at rest with customer-managed KMS keys", {
  controls: ["AWS Config dynamodb-table-encrypted-kms"],
  topics: ["encryption"],
});

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
      practice,
      subject: t.subject,
      where: copy.label,
      problem: `encrypted with ${keyPhrase(copy.key)}: ${keyShortfall(copy.key)}`,
      fix: fix(t, copy),
    });
  }
  return findings;
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-customer-managed-key",
    displayName: "DynamoDB tables use customer-managed KMS keys",
    description:
      "Practice 1: every DynamoDB table and replica is encrypted with a customer-managed KMS key (not AWS-owned, not alias/aws/dynamodb).",
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: ["table"],
    remediationSteps:
      "Set serverSideEncryption.kmsKeyArn (aws), sseSpecification.kmsMasterKeyId (aws-native) and each replica's key to a customer-managed key in that region.",
    check: (t) => cmkFindings(t),
  }),
];
