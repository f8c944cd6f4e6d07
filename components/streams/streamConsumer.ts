import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../shared/policyDocument";
import { StreamConsumerArgs } from "./streamConsumerArgs";
import { functionBaseName, validateStreamConsumerArgs } from "./streamConsumerValidation";
import {
  failureQueueKeyPolicy,
  failureQueuePolicy,
  lambdaTrustPolicy,
  streamArnParts,
  streamConsumerPolicy,
} from "./streamPolicies";
import { componentTags } from "../shared/tags";

import { customerManagedKey } from "../shared/customerManagedKey";

const DEFAULTS = {
  startingPosition: "TRIM_HORIZON",
  batchSize: 100,
  maximumBatchingWindowInSeconds: 0,
  parallelizationFactor: 1,
  maximumRetryAttempts: 10,
  maximumRecordAgeInSeconds: 3600,
  failureQueueRetentionSeconds: 1209600,
} as const;

/**
 * Consumes a DynamoDB stream, usually one shared from another account by `StreamAccessGrant`: a Lambda
 * execution role that may read that one stream, a KMS-encrypted failure queue only that role may send
 * to, and an event source mapping with bounded retries, bisection, partial-batch reporting and an
 * on-failure destination. Deploy it in the consumer's account, in the stream's region.
 */
export class StreamConsumer extends pulumi.ComponentResource {
  /** The execution role; give it to the consuming function as its `role`. */
  public readonly role: aws.iam.Role;
  /** The role's inline identity policy. */
  public readonly rolePolicy: aws.iam.RolePolicy;
  /** The failure queue: metadata of batches that exhausted their retries or age. */
  public readonly queue: aws.sqs.Queue;
  /** The failure queue's resource policy. */
  public readonly queuePolicy: aws.sqs.QueuePolicy;
  /** The failure queue's key, when the component created it. */
  public readonly queueKey?: aws.kms.Key;
  /** The event source mapping, unless `createMapping` is false. */
  public readonly mapping?: aws.lambda.EventSourceMapping;
  /** The execution role's ARN. */
  public readonly roleArn: pulumi.Output<string>;
  /** The execution role's name. */
  public readonly roleName: pulumi.Output<string>;
  /** The failure queue's ARN. */
  public readonly queueArn: pulumi.Output<string>;
  /** The failure queue's URL. */
  public readonly queueUrl: pulumi.Output<string>;
  /** The ARN of the failure queue's key. */
  public readonly queueKeyArn: pulumi.Output<string>;
  /** The event source mapping's ARN; undefined while `createMapping` is false. */
  public readonly mappingArn: pulumi.Output<string | undefined>;
  /** The event source mapping's UUID; undefined while `createMapping` is false. */
  public readonly mappingUuid: pulumi.Output<string | undefined>;

  constructor(name: string, args: StreamConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { problems, checked } = validateStreamConsumerArgs(name, args);
    problems.throwIfAny("StreamConsumer", name);
    // No inputs are registered on the component: the function takes this component's role, and in one
    // program the stream ARN comes from a grant that names that role, so both often arrive as deferred
    // outputs (`pulumi.deferredOutput`). Waiting for them here would deadlock on our own children.
    super("dynamodb-hardened:index:StreamConsumer", name, {}, opts);

    const tags = componentTags(args.tags, "StreamConsumer");
    const region = checked.region;
    const regionName = pulumi.output(region ?? aws.getRegionOutput({}, { parent: this }).region);
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    // Known ARNs were checked above; this catches a stream ARN that arrives as an Output.
    const streamArn = pulumi.all([checked.streamArn, regionName]).apply(([arn, consumerRegion]) => {
      const streamRegion = streamArnParts(arn)?.region;
      if (streamRegion && streamRegion !== consumerRegion) {
        throw new pulumi.InputPropertyError({
          propertyPath: "streamArn",
          reason: `the stream is in ${streamRegion}, but the event source mapping would be in ${consumerRegion}; Lambda reads streams only in its own region`,
        });
      }
      return arn;
    });

    let queueKeyArn: pulumi.Input<string>;
    if (checked.queueKmsKeyArn === undefined) {
      this.queueKey = customerManagedKey(
        `${name}-queue-key`,
        {
          description: `Stream consumer ${name}: failure queue encryption key`,
          deletionWindowInDays: args.keyDeletionWindowInDays,
          policy: policyJson(
            pulumi
              .all([partition, accountId, regionName])
              .apply(([p, account, r]) =>
                failureQueueKeyPolicy({ partition: p, accountId: account, region: r }),
              ),
          ),
          region,
          tags,
        },
        { parent: this },
      );
      queueKeyArn = this.queueKey.arn;
    } else {
      queueKeyArn = checked.queueKmsKeyArn;
    }

    this.queue = new aws.sqs.Queue(
      `${name}-failures`,
      {
        kmsMasterKeyId: queueKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: args.failureQueueRetentionSeconds ?? DEFAULTS.failureQueueRetentionSeconds,
        region,
        tags,
      },
      { parent: this },
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Stream consumer ${name}: Lambda execution role that reads one DynamoDB stream`,
        assumeRolePolicy: policyJson(accountId.apply(lambdaTrustPolicy)),
        permissionsBoundary: checked.permissionsBoundaryArn,
        tags,
      },
      { parent: this },
    );

    const logGroupName = pulumi
      .output(checked.functionName)
      .apply((fn) => args.logGroupName ?? `/aws/lambda/${functionBaseName(fn) ?? fn}`);
    this.rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.name,
        policy: policyJson(
          pulumi
            .all([
              partition,
              accountId,
              regionName,
              streamArn,
              this.queue.arn,
              queueKeyArn,
              logGroupName,
              checked.tableKmsKeyArn,
            ])
            .apply(([p, account, r, stream, queueArn, keyArn, logGroup, tableKeyArn]) =>
              streamConsumerPolicy({
                partition: p,
                accountId: account,
                region: r,
                streamArn: stream,
                queueArn,
                queueKeyArn: keyArn,
                logGroupName: logGroup,
                tableKeyArn,
              }),
            ),
        ),
      },
      { parent: this },
    );

    this.queuePolicy = new aws.sqs.QueuePolicy(
      `${name}-failures-policy`,
      {
        queueUrl: this.queue.url,
        policy: policyJson(
          pulumi.all([this.queue.arn, this.role.arn]).apply(([q, r]) => failureQueuePolicy(q, r)),
        ),
        region,
      },
      { parent: this },
    );

    if (args.createMapping !== false) {
      this.mapping = this.createMapping(name, args, streamArn, checked.functionName, region, tags);
    }

    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.queueArn = this.queue.arn;
    this.queueUrl = this.queue.url;
    this.queueKeyArn = pulumi.output(queueKeyArn);
    this.mappingArn = this.mapping ? this.mapping.arn : pulumi.output(undefined);
    this.mappingUuid = this.mapping ? this.mapping.uuid : pulumi.output(undefined);
    this.registerOutputs({
      roleArn: this.roleArn,
      roleName: this.roleName,
      queueArn: this.queueArn,
      queueUrl: this.queueUrl,
      queueKeyArn: this.queueKeyArn,
      mappingArn: this.mappingArn,
      mappingUuid: this.mappingUuid,
    });
  }

  private createMapping(
    name: string,
    args: StreamConsumerArgs,
    streamArn: pulumi.Output<string>,
    functionName: pulumi.Input<string>,
    region: string | undefined,
    tags: Record<string, string>,
  ): aws.lambda.EventSourceMapping {
    return new aws.lambda.EventSourceMapping(
      `${name}-mapping`,
      {
        eventSourceArn: streamArn,
        functionName,
        startingPosition: args.startingPosition ?? DEFAULTS.startingPosition,
        batchSize: args.batchSize ?? DEFAULTS.batchSize,
        maximumBatchingWindowInSeconds:
          args.maximumBatchingWindowInSeconds ?? DEFAULTS.maximumBatchingWindowInSeconds,
        parallelizationFactor: args.parallelizationFactor ?? DEFAULTS.parallelizationFactor,
        maximumRetryAttempts: args.maximumRetryAttempts ?? DEFAULTS.maximumRetryAttempts,
        maximumRecordAgeInSeconds: args.maximumRecordAgeInSeconds ?? DEFAULTS.maximumRecordAgeInSeconds,
        bisectBatchOnFunctionError: args.bisectBatchOnFunctionError ?? true,
        functionResponseTypes: args.reportBatchItemFailures === false ? [] : ["ReportBatchItemFailures"],
        destinationConfig: { onFailure: { destinationArn: this.queue.arn } },
        filterCriteria: filterCriteria(args),
        enabled: args.enabled ?? true,
        region,
        tags,
      },
      // The mapping checks at creation that its role can read the stream and reach the destination.
      { parent: this, dependsOn: [this.rolePolicy, this.queuePolicy] },
    );
  }
}

function filterCriteria(
  args: StreamConsumerArgs,
): aws.types.input.lambda.EventSourceMappingFilterCriteria | undefined {
  const patterns = [
    ...(args.eventNames?.length ? [JSON.stringify({ eventName: args.eventNames })] : []),
    ...(args.filterPatterns ?? []),
  ];
  return patterns.length ? { filters: patterns.map((pattern) => ({ pattern })) } : undefined;
}
