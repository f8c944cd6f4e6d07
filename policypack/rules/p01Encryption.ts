import { keyPhrase, keyShortfall } from "../facts/keyVocabulary";
import { TableCopy, TableFacts } from "../facts/model";
import { StackModel } from "../facts/stack";
import { Finding } from "./finding";
import { resourcePolicy } from "../policies";
import { definePractice } from "./practice";
import type { StackCheck } from "./stackPolicy";

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

/**
 * Practice 1, stack level: a customer-managed key that encrypts a table rotates its key material automatically
 * (seed 003; https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys.html). The table's key property
 * depending on the key relates them, as at preview for a key made in the same stack and in the audit. Keys KMS
 * cannot rotate (asymmetric, HMAC, imported, custom key store, multi-Region replicas) and keys no table uses are
 * not judged; a rotation setting not known yet passes.
 */
export function keyRotationFindings(model: StackModel): Finding[] {
  const findings: Finding[] = [];
  const judged = new Set<string>();
  for (const t of model.tables) {
    for (const copy of t.facts.copies) {
      const kind = copy.key.kind;
      if (kind === "aws-owned" || kind === "aws-managed" || kind === "table-default") continue;
      for (const urn of t.dependencies.of(copy.keyPath.split(/[.[]/)[0])) {
        if (judged.has(urn) || model.kindOf(urn) !== "kms-key") continue;
        judged.add(urn);
        const key = model.get(urn)?.facts;
        if (key?.kind !== "kms-key" || key.rotation !== "no") continue;
        const where = copy.role === "table" ? "" : ` (${copy.label})`;
        findings.push({
          practice,
          subject: key.subject,
          where: key.rotationPath,
          controls: ["AWS Config cmk-backing-key-rotation-enabled", "Security Hub KMS.4"],
          problem: `it encrypts table "${t.facts.subject.name}"${where} and does not rotate its key material: the same material protects every item for as long as the key lives.`,
          fix: "set enableKeyRotation to true (KMS rotates the material yearly, or every rotationPeriodInDays, and keeps the old material to decrypt).",
        });
      }
    }
  }
  return findings;
}

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireKeyRotation",
    settingDescription:
      "customer-managed symmetric keys that encrypt a table rotate their key material automatically.",
    summary: "key rotation on table keys",
    check: (model) => keyRotationFindings(model),
  },
];

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
