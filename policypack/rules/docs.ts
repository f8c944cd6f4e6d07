import { parseArn } from "../facts/arn";
import { PolicyDoc, Statement, actionCovers, known } from "../facts/iam";
import { Subject } from "../facts/model";

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

export type { Subject };
