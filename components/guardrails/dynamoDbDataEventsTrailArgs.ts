import * as pulumi from "@pulumi/pulumi";

/** CloudWatch alarms on the trail's events. */
export interface DynamoDbDataEventsTrailAlarmArgs {
  /** DeleteItem calls within 5 minutes that raise the mass-deletion alarm. Default 1000. */
  deleteItemThreshold?: number;
  /** Where alarms notify, e.g. SNS topic ARNs. Default: none (the alarms still change state). */
  alarmActions?: pulumi.Input<string>[];
  /** Days the trail's CloudWatch log group keeps events, one of CloudWatch's retention values. Default 365. */
  logRetentionInDays?: number;
}

/** Arguments of `DynamoDbDataEventsTrail`. Every hardened default is on unless turned off by name. */
export interface DynamoDbDataEventsTrailArgs {
  /** The trail's home region. Default: the provider's region. The trail records every region. */
  region?: string;
  /** The trail name: 3 to 128 letters, digits, `.`, `_`, `-`. Default: the resource name. */
  trailName?: string;
  /** Tables whose data events are recorded. Default: every table, in every region. */
  tableArns?: pulumi.Input<string>[];
  /**
   * `All` (default: reads and writes) or `WriteOnly` (only events that change data, the cheaper option;
   * data events are billed per 100,000).
   */
  readWriteType?: string;
  /** Also record management events (DeleteTable, UpdateTable, …). Default true; the alarms on them need it. */
  includeManagementEvents?: boolean;
  /** Also record DynamoDB Streams data events (GetRecords, …). Default false: stream pollers call them constantly. */
  includeStreamEvents?: boolean;
  /** Make it an organization trail (management account or delegated administrator only); the organization ID. */
  organizationId?: string;

  /** A customer-managed KMS key for the log files. Default: the component creates one with rotation. */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * The one IAM role of the trail's account that may schedule the deletion of, disable, or stop the rotation
   * of the key the component creates (its key policy denies it to everyone else: a deleted key makes every
   * log file unreadable), and change its policy. Default: none, and the key policy has no such deny unless
   * `keyAdminRoleArns` is set. Not with `kmsKeyArn`.
   */
  breakGlassRoleArn?: string;
  /**
   * IAM roles of the trail's account that may change the created key's policy but never delete or disable
   * it: usually the role that deploys this stack, which must be here or be `breakGlassRoleArn` (KMS refuses
   * a key policy that locks its creator out). Not with `kmsKeyArn`.
   */
  keyAdminRoleArns?: string[];
  /** Name of the log bucket. Default: derived from the resource name with a random suffix. */
  bucketName?: string;
  /** A prefix for log file keys in the bucket, without slashes at either end. */
  s3KeyPrefix?: string;
  /**
   * Object Lock mode for log files: `GOVERNANCE` (default: users with `s3:BypassGovernanceRetention` can still
   * delete) or `COMPLIANCE` (no one, root included, can delete a log file before its retention ends).
   */
  objectLockMode?: string;
  /** Days each log file is locked, 1 to 36500. Default 365. */
  retentionDays?: number;
  /** Keep the bucket, key and log group in AWS when they are removed from the program. Default true. */
  retainOnDelete?: boolean;

  /** CloudWatch alarms on DeleteTable, on deletion protection turned off and on mass DeleteItem. Default: none. */
  alarms?: DynamoDbDataEventsTrailAlarmArgs;
  /** Tags for the trail and every child that takes tags. */
  tags?: Record<string, string>;
}
