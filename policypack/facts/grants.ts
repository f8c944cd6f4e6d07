import { parseArn } from "./arn";
import { Statement, actionCovers, isAllow, known } from "./iam";
import { UNKNOWN } from "./value";

/**
 * What a statement grants on data, and on which resources: data actions (items, streams, DAX items, KMS
 * cryptographic use) on "every table" (`*`, `arn:...:table/*`, `arn:...:dynamodb:*:*:*`), every stream, every
 * DAX cluster or every KMS key. Least privilege (seed 003, practice 4) names the table.
 */

/** IAM data actions by service. PartiQL statements are authorized by the PartiQL* actions. */
export const DATA_ACTIONS: Record<"dynamodb" | "dax" | "kms", string[]> = {
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
  dynamodb: [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PartiQLSelect",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
  ],
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodbacceleratordax.html
  dax: [
    "dax:GetItem",
    "dax:BatchGetItem",
    "dax:Query",
    "dax:Scan",
    "dax:PutItem",
    "dax:UpdateItem",
    "dax:DeleteItem",
    "dax:BatchWriteItem",
    "dax:ConditionCheckItem",
  ],
  // Cryptographic use of a key: what DynamoDB needs from a table's key on the caller's behalf.
  kms: [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:CreateGrant",
  ],
};

export type DataService = keyof typeof DATA_ACTIONS;

/** Wildcard actions that the wildcard-action rule already reports (`*`, `dynamodb:*`, `dax:*`, `kms:*`). */
export function isServiceWildcard(pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  return p === "*" || p === "dynamodb:*" || p === "dax:*" || p === "kms:*";
}

/** Whether a resource pattern names every resource of the service (no table, cluster or key name). */
export function namesEveryResource(resource: string, service: DataService): boolean {
  const r = resource.trim();
  if (r === "*") return true;
  const arn = parseArn(r);
  if (!arn) return false;
  if (arn.service !== "*" && arn.service.toLowerCase() !== service) return false;
  if (arn.resource === "*") return true;
  const [head, name] = arn.resource.split("/");
  const every = (part: string | undefined) => part === undefined || part === "*";
  if (service === "dynamodb") return (head === "table" || head === "*") && every(name);
  if (service === "dax") return (head === "cache" || head === "*") && every(name);
  return (head === "key" || head === "alias" || head === "*") && every(name);
}

export interface BroadDataGrant {
  service: DataService;
  /** The data actions granted (as named in DATA_ACTIONS). */
  actions: string[];
  /** The resource patterns that name every table, cluster or key. */
  resources: string[];
}

// A condition on the resource's tags (ABAC) or the caller's partition key scopes a grant on `*` to some items.
const SCOPING_CONDITION = /^(aws:resourcetag\/|dynamodb:leadingkeys$)/;

/**
 * The data actions an Allow statement grants on every table, stream, DAX cluster or KMS key, per service.
 * `skipWildcards` leaves out actions granted only through `*` or `<service>:*` (reported on their own).
 */
export function broadDataGrants(st: Statement, skipWildcards = true): BroadDataGrant[] {
  if (!isAllow(st) || st.actions === UNKNOWN || st.actions === undefined) return [];
  if (Array.isArray(st.conditions) && st.conditions.some((c) => SCOPING_CONDITION.test(c.key))) return [];
  const patterns = known(st.actions).filter((p) => !(skipWildcards && isServiceWildcard(p)));
  if (!patterns.length) return [];
  const resources = known(st.resources);
  const out: BroadDataGrant[] = [];
  for (const service of Object.keys(DATA_ACTIONS) as DataService[]) {
    const every = resources.filter((r) => namesEveryResource(r, service));
    if (!every.length) continue;
    const actions = DATA_ACTIONS[service].filter((a) => patterns.some((p) => actionCovers(p, a)));
    if (actions.length) out.push({ service, actions, resources: every });
  }
  return out;
}
