import { DaxFacts } from "../facts/model";
import { Finding } from "./finding";
import { resourcePolicy } from "../policies";
import { definePractice } from "./practice";

export const practice = definePractice(8, "Encrypt DAX at rest and in transit", {
  controls: [
    "Security Hub DynamoDB.3",
    "AWS Config dax-encryption-enabled",
    "Security Hub DynamoDB.7",
    "AWS Config dax-tls-endpoint-encryption",
  ],
  securityHub: ["DynamoDB.3", "DynamoDB.7"],
  topics: ["encryption", "dax"],
});

/** Practice 8: DAX clusters encrypted at rest (DynamoDB.3) and with TLS endpoints (DynamoDB.7). */
export function daxFindings(d: DaxFacts): Finding[] {
  const findings: Finding[] = [];
  if (d.encryptedAtRest === "no") {
    findings.push({
      practice,
      subject: d.subject,
      problem: "the cluster is not encrypted at rest: node SSDs and snapshots hold plaintext items.",
      fix: "set serverSideEncryption to { enabled: true } (replaces the cluster).",
      controls: ["Security Hub DynamoDB.3", "AWS Config dax-encryption-enabled"],
    });
  }
  if (d.tls === "no") {
    findings.push({
      practice,
      subject: d.subject,
      problem:
        "the cluster endpoint is not encrypted in transit: clients read and write items in plaintext inside the VPC.",
      fix: 'set clusterEndpointEncryptionType to "TLS" (only at creation: a new cluster is needed).',
      controls: ["Security Hub DynamoDB.7", "AWS Config dax-tls-endpoint-encryption"],
    });
  }
  return findings;
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-dax-encryption",
    displayName: "DAX clusters are encrypted at rest and in transit",
    description:
      "Practice 8 (Security Hub DynamoDB.3, DynamoDB.7): DAX clusters are encrypted at rest and serve TLS endpoints.",
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: ["dax"],
    remediationSteps:
      'Create the cluster with serverSideEncryption.enabled = true and clusterEndpointEncryptionType = "TLS".',
    check: (d) => daxFindings(d),
  }),
];
