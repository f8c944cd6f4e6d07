import * as pulumi from "@pulumi/pulumi";
import { TableAccessArgs } from "../access/tableAccess";

/** A key or index attribute of the table. */
export interface HardenedTableAttributeArgs {
  /** Attribute name. */
  name: string;
  /** Attribute type: `S` (string), `N` (number) or `B` (binary). */
  type: string;
}

/** A global secondary index. */
export interface HardenedTableGlobalSecondaryIndexArgs {
  /** Index name. */
  name: string;
  /** Partition key attribute of the index; must be listed in `attributes`. */
  hashKey: string;
  /** Sort key attribute of the index; must be listed in `attributes`. */
  rangeKey?: string;
  /** Projected attributes: `ALL` (default), `KEYS_ONLY` or `INCLUDE`. */
  projectionType?: string;
  /** Attributes projected when `projectionType` is `INCLUDE`. */
  nonKeyAttributes?: string[];
}

/** A local secondary index. */
export interface HardenedTableLocalSecondaryIndexArgs {
  /** Index name. */
  name: string;
  /** Sort key attribute of the index; must be listed in `attributes`. */
  rangeKey: string;
  /** Projected attributes: `ALL` (default), `KEYS_ONLY` or `INCLUDE`. */
  projectionType?: string;
  /** Attributes projected when `projectionType` is `INCLUDE`. */
  nonKeyAttributes?: string[];
}

/** Target-tracking autoscaling for a `PROVISIONED` table and every global secondary index. */
export interface HardenedTableAutoscalingArgs {
  /** Lowest read capacity units (at least 1). */
  minReadCapacity: number;
  /** Highest read capacity units (at least `minReadCapacity`). */
  maxReadCapacity: number;
  /** Lowest write capacity units (at least 1). */
  minWriteCapacity: number;
  /** Highest write capacity units (at least `minWriteCapacity`). */
  maxWriteCapacity: number;
  /** Target utilization in percent, 20 to 90. Default 70. */
  targetUtilization?: number;
  /** Seconds between scale-in activities. Default 60. */
  scaleInCooldown?: number;
  /** Seconds between scale-out activities. Default 60. */
  scaleOutCooldown?: number;
}

/** A DynamoDB stream on the table. */
export interface HardenedTableStreamArgs {
  /**
   * What each stream record carries: `KEYS_ONLY` (default, least exposure), `NEW_IMAGE`, `OLD_IMAGE` or
   * `NEW_AND_OLD_IMAGES` (requires `reason`).
   */
  viewType?: string;
  /** Why the consumers need full item images. Required for `NEW_AND_OLD_IMAGES`; kept in a tag the policy pack reads. */
  reason?: string;
}

/** A replica of a global table, in another region of the same account. */
export interface HardenedTableReplicaArgs {
  /** The replica's region, e.g. `eu-west-1`. */
  region: string;
  /** A customer-managed key in the replica's region. Default: a replica of the table's multi-Region key, or a new key in that region. */
  kmsKeyArn?: pulumi.Input<string>;
  /** PITR on the replica. Default: the table's setting. Turning it off requires `allowPointInTimeRecoveryDisabled`. */
  pointInTimeRecovery?: boolean;
  /** Deletion protection on the replica. Default: the table's setting. Turning it off requires `allowDeletionProtectionDisabled`. */
  deletionProtection?: boolean;
  /**
   * The DynamoDB gateway endpoint (`vpce-...`) of the replica's region. Required when `access.sourceVpce` is
   * set: a gateway endpoint serves only its own region, so the replica's policy names its own endpoint.
   */
  sourceVpce?: pulumi.Input<string>;
  /** Extra tags for the replica's own resources (key, resource policy). */
  tags?: Record<string, string>;
}

/** Arguments of `HardenedTable`. Every hardened default is on unless turned off by name. */
export interface HardenedTableArgs {
  /** Physical table name. Default: derived from the resource name with a random suffix. */
  name?: pulumi.Input<string>;
  /** The table's region. Default: the provider's region. Every child is created in this region. */
  region?: string;
  /** Partition key attribute; must be listed in `attributes`. */
  hashKey: string;
  /** Sort key attribute; must be listed in `attributes`. */
  rangeKey?: string;
  /** Attributes used as table or index keys. */
  attributes: HardenedTableAttributeArgs[];
  /** Global secondary indexes. */
  globalSecondaryIndexes?: HardenedTableGlobalSecondaryIndexArgs[];
  /** Local secondary indexes. */
  localSecondaryIndexes?: HardenedTableLocalSecondaryIndexArgs[];
  /** Attribute holding each item's expiry time (epoch seconds). Default: no TTL. */
  ttlAttribute?: string;
  /** `STANDARD` (default) or `STANDARD_INFREQUENT_ACCESS`. */
  tableClass?: string;

  /** `PAY_PER_REQUEST` (default, on-demand) or `PROVISIONED` (requires `autoscaling`). */
  billingMode?: string;
  /** Autoscaling for `PROVISIONED` capacity. */
  autoscaling?: HardenedTableAutoscalingArgs;

  /** A customer-managed KMS key for the table. Default: the component creates one with rotation. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days before a deleted created key is destroyed, 7 to 30. Default 30. */
  keyDeletionWindowInDays?: number;
  /**
   * Allows an AWS-owned or AWS-managed (`alias/aws/dynamodb`) key instead of a customer-managed key.
   * Default false. Such keys give no control over access or revocation and no CloudTrail audit of key use.
   */
  allowAwsManagedKey?: boolean;

  /** Point-in-time recovery. Default true. */
  pointInTimeRecovery?: boolean;
  /** Explicit opt-out needed to set `pointInTimeRecovery` (table or replica) to false. */
  allowPointInTimeRecoveryDisabled?: boolean;
  /** PITR recovery window in days, 1 to 35. Default 35. */
  recoveryPeriodInDays?: number;

  /** DynamoDB deletion protection. Default true. */
  deletionProtection?: boolean;
  /** Explicit opt-out needed to set `deletionProtection` (table or replica) to false. */
  allowDeletionProtectionDisabled?: boolean;
  /** Pulumi `protect` on the table: `pulumi destroy` refuses to delete it. Default true. */
  protect?: boolean;
  /** Leave the table (and the keys the component created for it) in AWS when removed from the program. Default false. */
  retainOnDelete?: boolean;
  /**
   * Lets a change replace a key the component created. Default false: keys carry `protect` like the table,
   * so a change that would replace a key in use (the first replica added or the last removed with the
   * `multiRegion` strategy, a change of `replicaKeyStrategy`) is refused by `pulumi up`. When true, keys are
   * not protected and are retained in AWS when replaced (`retainOnDelete`): backups and restore points taken
   * before the change may still need the old key.
   */
  allowKeyReplacement?: boolean;

  /** A stream on the table. Default: no stream. */
  stream?: HardenedTableStreamArgs;

  /** Who may use the table through its resource policy. Default: no resource policy. */
  access?: TableAccessArgs;

  /** Global table replicas, each in another region. Default: none. */
  replicas?: HardenedTableReplicaArgs[];
  /**
   * Replica keys: `multiRegion` (default: one multi-Region key with a replica key in each region) or
   * `perRegion` (independent keys).
   */
  replicaKeyStrategy?: string;
  /** Global table consistency: `eventual` (default) or `strong` (multi-Region strong consistency). */
  consistency?: string;
  /** The witness region for strong consistency with two regions. */
  witnessRegion?: string;

  /** Marks the table as holding several tenants' items; the policy pack then requires LeadingKeys conditions. */
  multiTenant?: boolean;
  /** Tags for the table and every child that takes tags. `backup=required` is always added. */
  tags?: Record<string, string>;
}
