import * as pulumi from "@pulumi/pulumi";

/** Restricts item actions to items whose partition key equals a principal tag of the caller's session. */
export interface TableAccessRoleLeadingKeysArgs {
  /** The principal tag whose value each item's partition key must equal, e.g. `tenantId`. */
  principalTag: string;
  /**
   * A fixed value for the tag, set on the role itself: every session of this role sees only that
   * partition (one role per tenant). Default: none; each caller passes the tag as a session tag when it
   * assumes the role, and the trust policy allows `sts:TagSession` for this one tag key only.
   */
  value?: string;
}

/** Arguments of `TableAccessRole`. Every hardened default is on unless turned off by name. */
export interface TableAccessRoleArgs {
  /** ARN of the table the role grants access to (`arn:aws:dynamodb:<region>:<account>:table/<name>`). */
  tableArn: pulumi.Input<string>;
  /**
   * IAM role (or user) ARNs, usually in the usage account, that may assume the role. Whole-account
   * principals (`arn:aws:iam::<account>:root`) need `allowWholeAccountTrust`; wildcards are refused.
   * The principals must exist when the role is created: IAM rejects trust policies naming unknown principals.
   */
  trustedPrincipals: pulumi.Input<string>[];
  /**
   * Allows `arn:aws:iam::<account>:root` in `trustedPrincipals`, which lets every principal of that
   * account with `sts:AssumeRole` permission assume the role. Default false: for demo accounts only.
   */
  allowWholeAccountTrust?: boolean;
  /**
   * The external ID callers must pass to `AssumeRole` (`sts:ExternalId`), 2 to 1224 characters of
   * letters, digits and `_+=,.@:/-`. Required. Pass it from secret configuration; it is output as a secret.
   */
  externalId: pulumi.Input<string>;
  /** When set, callers must also belong to this AWS Organization (`aws:PrincipalOrgID`, `o-...`). */
  organizationId?: string;
  /** Longest session, in seconds, 3600 to 43200. Default 3600. Role chaining caps sessions at one hour anyway. */
  maxSessionDuration?: number;

  /**
   * A preset of actions: `read-only` (default: DescribeTable, GetItem, BatchGetItem, Query, Scan,
   * ConditionCheckItem), `read-write` (read-only plus PutItem, UpdateItem, DeleteItem, BatchWriteItem) or
   * `session-store` (DescribeTable, GetItem, UpdateItem, PutItem, DeleteItem). Ignored when `actions` is set.
   */
  access?: string;
  /**
   * An explicit list of DynamoDB actions instead of a preset, e.g. `["dynamodb:GetItem", "dynamodb:Query"]`.
   * Only named data-plane and describe actions are accepted; wildcards and table administration are refused.
   */
  actions?: string[];
  /** Fine-grained access by partition key (`dynamodb:LeadingKeys`). Default: the whole table. */
  leadingKeys?: TableAccessRoleLeadingKeysArgs;
  /**
   * Fine-grained access by attribute: reads may return only these attributes (`dynamodb:Attributes` with
   * `dynamodb:Select = SPECIFIC_ATTRIBUTES`). Include the table's key attributes. Default: every attribute.
   */
  attributes?: string[];
  /** When set, table actions are allowed only through this VPC endpoint (`aws:sourceVpce`, `vpce-...`). */
  sourceVpce?: pulumi.Input<string>;
  /**
   * The table's customer-managed KMS key ARN. The role then gets the key permissions its actions need,
   * only through DynamoDB in the table's region (`kms:ViaService`). Leave unset for AWS-owned or AWS-managed
   * keys, or when the key policy already allows the account's principals through DynamoDB.
   */
  kmsKeyArn?: pulumi.Input<string>;

  /** Physical role name. Default: derived from the resource name with a random suffix. */
  roleName?: string;
  /** ARN of a managed policy to use as the role's permissions boundary. Default: none. */
  permissionsBoundary?: pulumi.Input<string>;
  /** Tags for the role. */
  tags?: Record<string, string>;
}
