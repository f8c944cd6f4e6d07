import { KeyExemptions, optionalKeyProtection } from "../shared/keyProtection";
import { KeyPolicyContext, accountAdministratorsStatement } from "../shared/kmsKeyPolicy";
import { PolicyDocument, PolicyStatement, policyDocument } from "../shared/policyDocument";

/** Where a trail lives and what it is called: enough to name it in policies before it exists. */
export interface TrailContext extends KeyPolicyContext {
  trailName: string;
  /** Set for an organization trail: logs land under `AWSLogs/<organizationId>/`. */
  organizationId?: string;
}

export function trailArn(ctx: TrailContext): string {
  return `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${ctx.trailName}`;
}

/** What the trail records. */
export interface DataEventSelection {
  /** Table ARNs; empty means every table. */
  tableArns: string[];
  /** Only write (non-read-only) events. */
  writeOnly: boolean;
  /** Also management events (DeleteTable, UpdateTable, …). */
  includeManagementEvents: boolean;
  /** Also DynamoDB Streams data events (GetRecords, …). */
  includeStreamEvents: boolean;
}

interface FieldSelector {
  field: string;
  equals?: string[];
  startsWiths?: string[];
}

/** A CloudTrail advanced event selector, shaped as `aws.cloudtrail.Trail` takes it. */
export interface AdvancedEventSelector {
  name: string;
  fieldSelectors: FieldSelector[];
}

/**
 * Advanced event selectors for DynamoDB data events: every table or the listed ones, every event or writes
 * only (the cost option: data events are billed per 100,000).
 */
export function dataEventSelectors(selection: DataEventSelection): AdvancedEventSelector[] {
  const writes: FieldSelector[] = selection.writeOnly ? [{ field: "readOnly", equals: ["false"] }] : [];
  const selectors: AdvancedEventSelector[] = [];
  if (selection.includeManagementEvents) {
    selectors.push({
      name: "Management events",
      fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }, ...writes],
    });
  }
  selectors.push({
    name: selection.writeOnly ? "DynamoDB table write events" : "DynamoDB table data events",
    fieldSelectors: [
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
      ...writes,
      ...(selection.tableArns.length ? [{ field: "resources.ARN", equals: selection.tableArns }] : []),
    ],
  });
  if (selection.includeStreamEvents) {
    selectors.push({
      name: "DynamoDB stream data events",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::DynamoDB::Stream"] },
        ...(selection.tableArns.length
          ? [{ field: "resources.ARN", startsWiths: selection.tableArns.map((arn) => `${arn}/stream/`) }]
          : []),
      ],
    });
  }
  return selectors;
}

/**
 * The trail key's policy: the account's administrators control it; CloudTrail may encrypt only for this
 * trail; CloudWatch Logs may use it only for the trail's log group. With a break-glass or key administrator
 * role, the key is protected as the central backup vault's is (`protectedKeyStatements`).
 */
export function trailKeyPolicy(
  ctx: TrailContext,
  logGroupName?: string,
  exemptions: KeyExemptions = { keyPolicyAdminRoleArns: [] },
): PolicyDocument {
  const trail = trailArn(ctx);
  const statements: PolicyStatement[] = [
    accountAdministratorsStatement(ctx),
    ...optionalKeyProtection(exemptions),
    {
      Sid: "CloudTrailEncryptsThisTrail",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trail },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${ctx.partition}:cloudtrail:*:${ctx.accountId}:trail/*`,
        },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trail } },
    },
  ];
  if (logGroupName) {
    statements.push({
      Sid: "CloudWatchLogsEncryptsTrailLogGroup",
      Effect: "Allow",
      Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroupName}`,
        },
      },
    });
  }
  return policyDocument(statements);
}

/**
 * The log bucket's policy: CloudTrail may check the ACL and write log files for this trail only, and every
 * request without TLS is denied.
 */
export function trailBucketPolicy(ctx: TrailContext, bucketArn: string, keyPrefix?: string): PolicyDocument {
  const trail = trailArn(ctx);
  const prefix = keyPrefix ? `${keyPrefix}/` : "";
  const logPaths = [`${bucketArn}/${prefix}AWSLogs/${ctx.accountId}/*`];
  if (ctx.organizationId) logPaths.push(`${bucketArn}/${prefix}AWSLogs/${ctx.organizationId}/*`);
  return policyDocument([
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": trail } },
    },
    {
      Sid: "CloudTrailWritesThisTrail",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: logPaths,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail } },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/** A CloudWatch metric filter and alarm over the trail's log events. */
export interface TrailAlarmDefinition {
  /** Metric and resource name suffix. */
  metric: string;
  /** What the alarm means. */
  description: string;
  /** CloudWatch Logs filter pattern over CloudTrail's JSON events. */
  pattern: string;
  /** Events in `period` seconds that raise the alarm. */
  threshold: number;
  /** True when the events are management events (the trail must record them). */
  management: boolean;
}

const DYNAMODB = `($.eventSource = "dynamodb.amazonaws.com")`;

/** The alarms the trail can raise: a table deleted, deletion protection turned off, mass item deletion. */
export function trailAlarmDefinitions(deleteItemThreshold: number): TrailAlarmDefinition[] {
  return [
    {
      metric: "DeleteTable",
      description: "A DynamoDB table was deleted.",
      pattern: `{ ${DYNAMODB} && ($.eventName = "DeleteTable") }`,
      threshold: 1,
      management: true,
    },
    {
      metric: "DeletionProtectionDisabled",
      description: "Deletion protection was turned off on a DynamoDB table.",
      pattern: `{ ${DYNAMODB} && ($.eventName = "UpdateTable") && ($.requestParameters.deletionProtectionEnabled IS FALSE) }`,
      threshold: 1,
      management: true,
    },
    {
      metric: "MassDeleteItem",
      description: `At least ${deleteItemThreshold} DynamoDB DeleteItem calls within 5 minutes.`,
      pattern: `{ ${DYNAMODB} && ($.eventName = "DeleteItem") }`,
      threshold: deleteItemThreshold,
      management: false,
    },
  ];
}
