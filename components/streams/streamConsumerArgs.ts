import * as pulumi from "@pulumi/pulumi";

/**
 * Arguments of `StreamConsumer`, deployed in the consumer's account. Every hardened default is on
 * unless turned off or overridden by name.
 */
export interface StreamConsumerArgs {
  /** The stream to consume, usually in another account: `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>`. */
  streamArn: pulumi.Input<string>;
  /**
   * The consuming Lambda function: name, `name:alias`, or function ARN. The function must use this
   * component's `roleArn` as its execution role: the mapping reads the stream with that role.
   */
  functionName: pulumi.Input<string>;
  /**
   * The consumer's region. Default: the stream ARN's region. Lambda reads streams only in its own
   * region, so a different region is refused.
   */
  region?: string;
  /**
   * The customer-managed KMS key that encrypts the table (in the table's account and the stream's
   * region). Needed to read a stream of a table with a customer-managed key from another account; the
   * role then may decrypt with it only through DynamoDB and only for this table.
   */
  tableKmsKeyArn?: pulumi.Input<string>;

  /** `TRIM_HORIZON` (default: start at the oldest record still in the stream, nothing missed) or `LATEST`. */
  startingPosition?: string;
  /** Records per invocation, 1 to 10000. Default 100. */
  batchSize?: number;
  /** Seconds to gather records before invoking, 0 to 300. Default 0. */
  maximumBatchingWindowInSeconds?: number;
  /** Batches processed concurrently per shard, 1 to 10. Default 1 (records of an item stay in order). */
  parallelizationFactor?: number;
  /** Retries of a failed batch, 0 to 10000. Default 10. Unbounded (-1) is refused: one bad record would stall its shard. */
  maximumRetryAttempts?: number;
  /**
   * Oldest record age (seconds) still sent to the function, 60 to 604800. Default 3600: a failing record
   * leaves for the failure queue within an hour, with most of the stream's 24-hour retention left to
   * replay it. Unbounded (-1) is refused.
   */
  maximumRecordAgeInSeconds?: number;
  /** Split a failing batch in two and retry each half. Default true. */
  bisectBatchOnFunctionError?: boolean;
  /** Let the function report the failed records of a batch (`ReportBatchItemFailures`). Default true. */
  reportBatchItemFailures?: boolean;
  /** Only these event names reach the function: `INSERT`, `MODIFY`, `REMOVE`. Default: all. */
  eventNames?: string[];
  /** Further Lambda filter patterns (JSON), at most 5 filters with `eventNames` counted as one. Default: none. */
  filterPatterns?: string[];
  /** Whether the mapping polls the stream. Default true. */
  enabled?: boolean;
  /**
   * Create the event source mapping. Default true. Set false for the first deployment of a two-stack
   * setup: the role must exist before the table's account can name it, and Lambda refuses to create a
   * mapping its role cannot read yet.
   */
  createMapping?: boolean;

  /** How long failure records stay on the queue, in seconds, 60 to 1209600. Default 1209600 (14 days). */
  failureQueueRetentionSeconds?: number;
  /** A customer-managed KMS key in the consumer's region for the failure queue. Default: the component creates one with rotation. */
  queueKmsKeyArn?: pulumi.Input<string>;
  /** Days before a deleted created queue key is destroyed, 7 to 30. Default 30. */
  keyDeletionWindowInDays?: number;
  /** The function's log group. Default `/aws/lambda/<function name>`. */
  logGroupName?: string;
  /** A permissions boundary (IAM policy ARN) for the execution role, when the account requires one. */
  permissionsBoundaryArn?: pulumi.Input<string>;

  /** The stream's view type (`KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES`), checked against `neededViewType`. */
  streamViewType?: string;
  /** The least view type this consumer needs; a stream that exposes more is refused unless `allowWiderViewType`. */
  neededViewType?: string;
  /** Accepts a stream that exposes more than `neededViewType`. Default false. */
  allowWiderViewType?: boolean;
  /** Tags for every child that takes tags. */
  tags?: Record<string, string>;
}
