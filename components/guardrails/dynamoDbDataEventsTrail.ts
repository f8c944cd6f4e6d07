import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountContext } from "../shared/accountContext";
import { checkTableArn } from "../shared/arn";
import { DynamoDbDataEventsTrailArgs } from "./dynamoDbDataEventsTrailArgs";
import { policyDocument, policyJson } from "../shared/policyDocument";
import { checkBucketName, checkOrganizationId, duplicates } from "../shared/resourceIds";
import { componentTags } from "../shared/tags";
import {
  TrailContext,
  dataEventSelectors,
  trailAlarmDefinitions,
  trailBucketPolicy,
  trailKeyPolicy,
} from "./trailPolicies";
import {
  ArgumentProblems,
  Validated,
  addNameProblem,
  checkInput,
  inRange,
  oneOf,
} from "../shared/validation";
import { checkKeyIdArn, checkRegion, keyRegionProblem } from "../shared/checks";
import { customerManagedKey } from "../shared/customerManagedKey";
import {
  ExemptRoleArgs,
  exemptRolesInAccount,
  keyRoleAccountProblem,
  validateExemptRoles,
} from "../shared/keyProtection";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { DeferredChecks } from "../shared/deferredChecks";
import { DYNAMODB_DATA_EVENTS_TRAIL_ARGUMENT_TYPES } from "./guardrailsArgumentTypes";

export const READ_WRITE_TYPES = ["All", "WriteOnly"] as const;
export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;
/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const DEFAULT_RETENTION_DAYS = 365;
const DEFAULT_DELETE_ITEM_THRESHOLD = 1000;
const ALARM_PERIOD_SECONDS = 300;
const METRIC_NAMESPACE = "DynamoDbHardened";

/** The trail key's exempted roles, as the shared key-protection checks read them. */
function trailKeyExemptRoles(args: DynamoDbDataEventsTrailArgs): ExemptRoleArgs {
  return {
    breakGlassPath: "breakGlassRoleArn",
    breakGlassRoleArn: args.breakGlassRoleArn,
    adminsPath: "keyAdminRoleArns",
    adminRoleArns: args.keyAdminRoleArns,
  };
}

function checkTrailName(v: string): string | undefined {
  const valid =
    /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(v) &&
    !/[._-]{2}/.test(v) &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(v);
  return valid
    ? undefined
    : `"${v}" is not a trail name: 3 to 128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit, no two symbols in a row`;
}

interface CheckedTrailInputs {
  tableArns: pulumi.Input<string>[];
  kmsKeyArn?: pulumi.Input<string>;
}

export function validateDynamoDbDataEventsTrailArgs(
  name: string,
  args: DynamoDbDataEventsTrailArgs,
): Validated<CheckedTrailInputs> {
  const problems = new ArgumentProblems();
  const checked: CheckedTrailInputs = { tableArns: [] };
  args = args ?? {};
  problems.check("region", args.region, checkRegion);
  const trailName = args.trailName ?? name;
  addNameProblem(problems, "trailName", checkTrailName(trailName), args.trailName);

  for (const i of duplicates(args.tableArns ?? [])) problems.add(`tableArns[${i}]`, "listed twice");
  checked.tableArns = (args.tableArns ?? []).map((arn, i) =>
    checkInput(arn, `tableArns[${i}]`, checkTableArn, problems)!,
  );
  const readWriteType = args.readWriteType ?? "All";
  const rwProblem = oneOf(READ_WRITE_TYPES)(readWriteType);
  if (rwProblem) problems.add("readWriteType", rwProblem);
  if (args.includeStreamEvents && readWriteType === "WriteOnly") {
    problems.add(
      "includeStreamEvents",
      `stream data events are all reads, so "WriteOnly" would record none of them`,
    );
  }
  problems.check("organizationId", args.organizationId, checkOrganizationId);

  checked.kmsKeyArn = checkInput(
    args.kmsKeyArn,
    "kmsKeyArn",
    (v) =>
      checkKeyIdArn("CloudTrail's key policy and log files name the key itself")(v) ??
      keyRegionProblem(v, args.region, "the trail"),
    problems,
  );
  validateExemptRoles(trailKeyExemptRoles(args), problems, undefined, keyRoleAccountProblem(undefined));
  if (args.kmsKeyArn !== undefined) {
    for (const path of ["breakGlassRoleArn", "keyAdminRoleArns"] as const) {
      if (args[path] !== undefined) {
        problems.add(path, "only applies to the key the component creates; kmsKeyArn names your own key");
      }
    }
  }
  if (args.bucketName !== undefined) {
    problems.check("bucketName", args.bucketName, checkBucketName);
  } else {
    // The engine names the bucket `<resource name>-logs-<7 hex>`; S3 must accept that too.
    const reason = checkBucketName(`${name}-logs-0000000`);
    if (reason)
      problems.add(
        "bucketName",
        `the default name derived from the resource name "${name}" is not valid (${reason}); set bucketName`,
      );
  }
  if (
    args.s3KeyPrefix !== undefined &&
    !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(args.s3KeyPrefix)
  ) {
    problems.add(
      "s3KeyPrefix",
      `"${args.s3KeyPrefix}" is not a key prefix: safe characters separated by "/", no "/" at either end`,
    );
  }
  problems.check("objectLockMode", args.objectLockMode, oneOf(OBJECT_LOCK_MODES));
  problems.check("retentionDays", args.retentionDays, inRange(1, 36500, "days"));

  const alarms = args.alarms;
  if (alarms) {
    if (args.includeManagementEvents === false) {
      problems.add(
        "includeManagementEvents",
        "the DeleteTable and deletion-protection alarms watch management events; keep them recorded, or remove alarms",
      );
    }
    problems.check(
      "alarms.deleteItemThreshold",
      alarms.deleteItemThreshold,
      inRange(1, 1_000_000, "DeleteItem calls per 5 minutes"),
    );
    if (
      alarms.logRetentionInDays !== undefined &&
      !(LOG_RETENTION_DAYS as readonly number[]).includes(alarms.logRetentionInDays)
    ) {
      problems.add(
        "alarms.logRetentionInDays",
        `${alarms.logRetentionInDays} is not allowed; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      );
    }
  }
  return { problems, checked };
}

interface CloudWatchDelivery {
  groupArn: pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  dependsOn: pulumi.Resource[];
}

/**
 * A CloudTrail trail that records DynamoDB data events (practice 6): every region, log file validation,
 * KMS encryption with a customer-managed key, and an S3 bucket with Object Lock, SSE-KMS, public access
 * blocked and TLS required. Optionally, CloudWatch alarms on DeleteTable, on deletion protection turned off
 * and on mass DeleteItem.
 */
export class DynamoDbDataEventsTrail extends pulumi.ComponentResource {
  /** The trail. */
  public readonly trail: aws.cloudtrail.Trail;
  /** The log bucket. */
  public readonly bucket: aws.s3.Bucket;
  /** The key that encrypts the log files, when the component created it. */
  public readonly key?: aws.kms.Key;
  /** The trail ARN. */
  public readonly arn: pulumi.Output<string>;
  /** The log bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The ARN of the key that encrypts the log files. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** The CloudWatch log group the alarms read, when `alarms` is set. */
  public readonly logGroup?: aws.cloudwatch.LogGroup;
  /** The alarms, keyed by metric (`DeleteTable`, `DeletionProtectionDisabled`, `MassDeleteItem`). */
  public readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;

  constructor(name: string, args: DynamoDbDataEventsTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    const awsRules = checkArgumentTypes(
      "DynamoDbDataEventsTrail",
      name,
      args,
      DYNAMODB_DATA_EVENTS_TRAIL_ARGUMENT_TYPES,
    );
    const { problems, checked } = validateDynamoDbDataEventsTrailArgs(name, args);
    problems.include(awsRules).throwIfAny("DynamoDbDataEventsTrail", name);
    const deferred = new DeferredChecks();
    super("dynamodb-hardened:index:DynamoDbDataEventsTrail", name, args, deferred.options(opts));
    // Children wait for the checks of arguments given as Outputs: a value refused once known creates nothing.
    deferred.waitFor(...problems.deferredChecks);

    const tags = componentTags(args.tags, "DynamoDbDataEventsTrail");
    const region = args.region;
    const retainOnDelete = args.retainOnDelete ?? true;
    const trailName = args.trailName ?? name;
    const logGroupName = args.alarms ? `/aws/cloudtrail/${trailName}` : undefined;
    const account = accountContext(this);
    const context: pulumi.Output<TrailContext> = pulumi
      .all([account.partition, account.accountId, region ?? aws.getRegionOutput({}, { parent: this }).region])
      .apply(([partition, accountId, r]) => ({
        partition,
        accountId,
        region: r,
        trailName,
        organizationId: args.organizationId,
      }));

    let keyArn: pulumi.Input<string>;
    if (checked.kmsKeyArn !== undefined) {
      keyArn = checked.kmsKeyArn;
    } else {
      // The trail's account, and so whether the exempted roles are in it, is known only now.
      deferred.waitFor(
        account.accountId.apply((id) =>
          exemptRolesInAccount(trailKeyExemptRoles(args), id, keyRoleAccountProblem(id)),
        ),
      );
      const exemptions = {
        breakGlassRoleArn: args.breakGlassRoleArn,
        keyPolicyAdminRoleArns: args.keyAdminRoleArns ?? [],
      };
      this.key = customerManagedKey(
        `${name}-key`,
        {
          description: `CloudTrail trail ${trailName}: log file encryption`,
          policy: policyJson(context.apply((ctx) => trailKeyPolicy(ctx, logGroupName, exemptions))),
          region,
          tags,
        },
        { parent: this, retainOnDelete },
      );
      keyArn = this.key.arn;
    }
    this.kmsKeyArn = pulumi.output(keyArn);

    this.bucket = new aws.s3.Bucket(
      `${name}-logs`,
      { bucket: args.bucketName, objectLockEnabled: true, forceDestroy: false, region, tags },
      { parent: this, retainOnDelete },
    );
    this.bucketName = this.bucket.bucket;
    const bucketSettings = this.hardenBucket(name, args, keyArn, context);

    let cloudWatch: CloudWatchDelivery | undefined;
    this.alarms = {};
    if (args.alarms && logGroupName) {
      this.logGroup = new aws.cloudwatch.LogGroup(
        `${name}-events`,
        {
          name: logGroupName,
          retentionInDays: args.alarms.logRetentionInDays ?? DEFAULT_RETENTION_DAYS,
          kmsKeyId: keyArn,
          region,
          tags,
        },
        { parent: this, retainOnDelete },
      );
      cloudWatch = this.deliverToCloudWatch(name, this.logGroup, tags);
      this.createAlarms(name, args, this.logGroup, trailName, tags);
    }

    const selectors = pulumi.all(checked.tableArns).apply((tableArns) =>
      dataEventSelectors({
        tableArns,
        writeOnly: args.readWriteType === "WriteOnly",
        includeManagementEvents: args.includeManagementEvents ?? true,
        includeStreamEvents: args.includeStreamEvents ?? false,
      }),
    );
    this.trail = new aws.cloudtrail.Trail(
      name,
      {
        name: trailName,
        s3BucketName: this.bucket.id,
        s3KeyPrefix: args.s3KeyPrefix,
        kmsKeyId: keyArn,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        isOrganizationTrail: args.organizationId !== undefined,
        enableLogFileValidation: true,
        enableLogging: true,
        advancedEventSelectors: selectors,
        cloudWatchLogsGroupArn: cloudWatch?.groupArn,
        cloudWatchLogsRoleArn: cloudWatch?.roleArn,
        region,
        tags,
      },
      // CloudTrail checks the bucket policy, the key policy and the delivery role when the trail is created.
      { parent: this, dependsOn: [...bucketSettings, ...(cloudWatch?.dependsOn ?? [])] },
    );
    this.arn = this.trail.arn;

    this.registerOutputs({
      trail: this.trail,
      bucket: this.bucket,
      key: this.key,
      arn: this.arn,
      bucketName: this.bucketName,
      kmsKeyArn: this.kmsKeyArn,
      logGroup: this.logGroup,
    });
  }

  /** Versioning, Object Lock, SSE-KMS, no ACLs, no public access, and the bucket policy. */
  private hardenBucket(
    name: string,
    args: DynamoDbDataEventsTrailArgs,
    keyArn: pulumi.Input<string>,
    context: pulumi.Output<TrailContext>,
  ): pulumi.Resource[] {
    const bucket = this.bucket.id;
    const region = args.region;
    const opts = { parent: this };
    const versioning = new aws.s3.BucketVersioning(
      `${name}-logs-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" }, region },
      opts,
    );
    const lock = new aws.s3.BucketObjectLockConfiguration(
      `${name}-logs-lock`,
      {
        bucket,
        rule: {
          defaultRetention: {
            mode: args.objectLockMode ?? "GOVERNANCE",
            days: args.retentionDays ?? DEFAULT_RETENTION_DAYS,
          },
        },
        region,
      },
      { ...opts, dependsOn: [versioning] },
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-logs-encryption`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
            bucketKeyEnabled: true,
          },
        ],
        region,
      },
      opts,
    );
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-logs-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" }, region },
      opts,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-logs-public-access`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
        region,
      },
      opts,
    );
    const document = pulumi
      .all([context, this.bucket.arn])
      .apply(([ctx, bucketArn]) => trailBucketPolicy(ctx, bucketArn, args.s3KeyPrefix));
    const policy = new aws.s3.BucketPolicy(
      `${name}-logs-policy`,
      { bucket, policy: policyJson(document), region },
      // A policy put before the public access block could be judged public and rejected.
      { ...opts, dependsOn: [publicAccess] },
    );
    return [versioning, lock, encryption, ownership, publicAccess, policy];
  }

  private deliverToCloudWatch(
    name: string,
    logGroup: aws.cloudwatch.LogGroup,
    tags: Record<string, string>,
  ): CloudWatchDelivery {
    const role = new aws.iam.Role(
      `${name}-delivery`,
      {
        description: "CloudTrail delivery to the trail's CloudWatch log group",
        assumeRolePolicy: JSON.stringify(
          policyDocument([
            {
              Sid: "CloudTrail",
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ]),
        ),
        tags,
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-delivery`,
      {
        role: role.id,
        policy: policyJson(
          logGroup.arn.apply((arn) =>
            policyDocument([
              {
                Sid: "WriteTrailLogGroupOnly",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${arn}:log-stream:*`,
              },
            ]),
          ),
        ),
      },
      { parent: this },
    );
    return {
      groupArn: pulumi.interpolate`${logGroup.arn}:*`,
      roleArn: role.arn,
      // CloudTrail checks at creation that the role can write to the group.
      dependsOn: [rolePolicy],
    };
  }

  private createAlarms(
    name: string,
    args: DynamoDbDataEventsTrailArgs,
    logGroup: aws.cloudwatch.LogGroup,
    trailName: string,
    tags: Record<string, string>,
  ): void {
    const alarmArgs = args.alarms!;
    const definitions = trailAlarmDefinitions(alarmArgs.deleteItemThreshold ?? DEFAULT_DELETE_ITEM_THRESHOLD);
    for (const definition of definitions) {
      const metricName = `${trailName}-${definition.metric}`;
      const filter = new aws.cloudwatch.LogMetricFilter(
        `${name}-${definition.metric}`,
        {
          logGroupName: logGroup.name,
          pattern: definition.pattern,
          metricTransformation: { name: metricName, namespace: METRIC_NAMESPACE, value: "1", unit: "Count" },
          region: args.region,
        },
        { parent: this },
      );
      this.alarms[definition.metric] = new aws.cloudwatch.MetricAlarm(
        `${name}-${definition.metric}`,
        {
          alarmDescription: `${definition.description} (trail ${trailName})`,
          namespace: METRIC_NAMESPACE,
          metricName,
          statistic: "Sum",
          period: ALARM_PERIOD_SECONDS,
          evaluationPeriods: 1,
          threshold: definition.threshold,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: alarmArgs.alarmActions,
          region: args.region,
          tags,
        },
        { parent: this, dependsOn: [filter] },
      );
    }
  }
}
