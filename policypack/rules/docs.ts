import { parseArn } from "../facts/arn";
import { PolicyDoc, Statement, actionCovers, known } from "../facts/iam";
import { IdentityPolicyFacts, ResourcePolicyFacts, Subject, TableFacts } from "../facts/model";

/** A policy document held by a resource, with a label for messages. */
export interface HeldDoc {
  label: string;
  doc: PolicyDoc;
}

export function statementLabel(held: HeldDoc, st: Statement): string {
  return `${held.label} statement ${st.index + 1}${st.sid ? ` "${st.sid}"` : ""}`;
}

/** Whether a resource pattern can name a DynamoDB resource: `*`, or an ARN whose service is dynamodb or a wildcard. */
export function touchesDynamoDb(resource: string): boolean {
  if (resource === "*") return true;
  const arn = parseArn(resource);
  if (!arn) return false;
  return arn.service === "dynamodb" || arn.service.includes("*") || arn.service.includes("?");
}

/** Whether a NotAction list still lets DynamoDB actions through. */
export function notActionAllowsDynamoDb(st: Statement): boolean {
  return !known(st.notActions).some(
    (pattern) => actionCovers(pattern, "dynamodb:GetItem") && actionCovers(pattern, "dynamodb:DeleteTable"),
  );
}

/** Whether a statement list reads like a stream policy (used when the policy's target ARN is unknown). */
export function mentionsStreamActions(docs: HeldDoc[]): boolean {
  return docs.some((h) =>
    h.doc.statements.some((st) =>
      known(st.actions).some(
        (a) =>
          ["dynamodb:GetRecords", "dynamodb:GetShardIterator"].some((s) => actionCovers(a, s)) &&
          !a.includes("*"),
      ),
    ),
  );
}

/** The kinds of resources that hold policy documents. */
export const DOCUMENT_HOLDERS = ["identity-policy", "resource-policy", "table"] as const;
export type DocumentHolder = IdentityPolicyFacts | ResourcePolicyFacts | TableFacts;

/** Policy documents a resource holds, whether they are resource policies (on a table or stream), and which are stream policies. */
export function documentsOf(facts: DocumentHolder): {
  docs: HeldDoc[];
  resourcePolicy: boolean;
  stream: HeldDoc[];
} {
  switch (facts.kind) {
    case "identity-policy":
      return { docs: facts.docs, resourcePolicy: false, stream: [] };
    case "resource-policy": {
      const held = [{ label: "resource policy", doc: facts.doc }];
      const stream = facts.target === "stream" || (facts.target === "unknown" && mentionsStreamActions(held));
      return { docs: held, resourcePolicy: true, stream: stream ? held : [] };
    }
    case "table":
      return {
        docs: facts.embeddedPolicies,
        resourcePolicy: true,
        stream: facts.embeddedPolicies.filter((p) => p.stream),
      };
  }
}

export type { Subject };
