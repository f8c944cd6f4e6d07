import { TableFacts } from "../facts/model";
import { StackModel } from "../facts/stack";
import { Finding } from "./finding";
import { resourcePolicy } from "../policies";
import type { StackCheck } from "./stackPolicy";
import { definePractice } from "./practice";

export const practice = definePractice(12, "Secure global tables in every region", {
  controls: ["Security Hub DynamoDB.1-7 in every replica region"],
  topics: ["global-tables", "encryption"],
});

/** Practice 12: no 2017 global tables; every copy's key lives in the copy's own region. */
export function globalTableFindings(t: TableFacts): Finding[] {
  if (t.shape === "legacy-global") {
    return [
      {
        practice,
        subject: t.subject,
        problem:
          "this is a version 2017.11.29 global table: replicas are separate tables with no per-replica key, PITR or deletion-protection settings kept in step.",
        fix: "migrate to global tables version 2019.11.21: replicas on aws.dynamodb.Table (replicas) or aws.dynamodb.TableReplica, each with its own-region key, PITR and deletion protection.",
      },
    ];
  }
  const findings: Finding[] = [];
  for (const copy of t.copies) {
    if (copy.key.kind !== "customer" || !copy.key.region || typeof copy.region !== "string") continue;
    if (copy.key.region !== copy.region) {
      findings.push({
        practice,
        subject: t.subject,
        where: copy.label,
        problem: `uses a KMS key from ${copy.key.region} for data in ${copy.region}; KMS keys are regional and each replica needs its own-region key.`,
        fix: `set ${copy.keyPath === "serverSideEncryption" ? "serverSideEncryption.kmsKeyArn" : copy.keyPath} to a key in ${copy.region} (a replica of a multi-Region key works).`,
      });
    }
  }
  return findings;
}

/**
 * Practice 12, stack level: when a copy's key ARN is not known yet (the key is created in the same stack), the
 * keys it depends on tell its region. A copy none of whose keys is in its region is flagged.
 */
export function replicaKeyRegionFindings(model: StackModel): Finding[] {
  const findings: Finding[] = [];
  for (const t of model.tables) {
    for (const copy of t.facts.copies) {
      if (copy.key.kind !== "unknown" || typeof copy.region !== "string") continue;
      const regions = new Set<string>();
      let unknown = false;
      for (const urn of t.dependencies.of(copy.keyPath.split(/[.[]/)[0])) {
        if (model.kindOf(urn) !== "kms-key") continue;
        const region = model.placementOf(urn)?.region;
        if (typeof region === "string") regions.add(region);
        else unknown = true;
      }
      if (!regions.size || unknown || regions.has(copy.region)) continue;
      findings.push({
        practice,
        subject: t.facts.subject,
        where: copy.label,
        problem: `the key it uses comes from ${[...regions].map((k) => `"${k}"`).join(", ")}, not ${copy.region}; KMS keys are regional and each replica needs its own-region key.`,
        fix: `create the key (or a replica of a multi-Region key) in ${copy.region} and use it for ${copy.keyPath}.`,
      });
    }
  }
  return findings;
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-global-table-replicas",
    displayName: "DynamoDB global tables are current and keyed per region",
    description:
      "Practice 12: no 2017 global tables, and every table and replica uses a KMS key from its own region.",
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: ["table"],
    remediationSteps:
      "Use global tables version 2019.11.21 with a key in each replica's region (replicas of a multi-Region key work).",
    check: (t) => globalTableFindings(t),
  }),
];

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireReplicaKeyRegions",
    settingDescription: "keys created in the stack for a replica are in the replica's region.",
    summary: "replica keys in their region",
    check: (model) => replicaKeyRegionFindings(model),
  },
];
