/**
 * What the pack and the dynamodb-hardened components must agree on: tags the components write and the pack
 * reads, and the action lists the components grant and the pack accepts. The pack cannot import the
 * components (it is published alone), so these are copies; tests/policypack/contract.test.ts pins each one
 * to the constant `components/index.ts` exports.
 */

/** Set by the components on every child they create; findings on such a child point at the component. */
export const MANAGED_BY_TAG = "dynamodb-hardened:managed-by";

/** `"true"` on a table whose items belong to several tenants: its grants must carry `dynamodb:LeadingKeys`. */
export const MULTI_TENANT_TAG = "dynamodb-hardened:multi-tenant";

/** Why a stream carries `NEW_AND_OLD_IMAGES`; without it (and without replicas) practice 11 reports the table. */
export const STREAM_REASON_TAG = "dynamodb-hardened:stream-reason";

/** The tag HardenedTable sets and TableBackupPlan selects by default (AWS Backup selection by tag). */
export const BACKUP_TAG = { key: "backup", value: "required" } as const;

/** What a stream consumer is granted on a stream (StreamConsumer, StreamAccessGrant). */
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
] as const;

/** Item actions that carry partition keys, so `dynamodb:LeadingKeys` can restrict them (Scan cannot be). */
export const LEADING_KEYS_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;
