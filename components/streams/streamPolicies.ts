import { accountAdministratorsStatement, KeyPolicyContext } from "../shared/kmsKeyPolicy";
import { PolicyDocument, PolicyStatement, policyDocument } from "../shared/policyDocument";
import { viaServiceValues } from "../shared/partitions";

/** What a stream consumer needs on the stream itself. Named actions on one stream ARN, never `dynamodb:*`. */
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
] as const;

/** The parts of a stream ARN `arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>`. */
export interface StreamArnParts {
  partition: string;
  region: string;
  accountId: string;
  tableName: string;
}

export function streamArnParts(streamArn: string): StreamArnParts | undefined {
  const m = /^arn:([\w-]+):dynamodb:([a-z0-9-]+):(\d{12}):table\/([\w.-]+)\/stream\/[^*]+$/.exec(streamArn);
  return m ? { partition: m[1], region: m[2], accountId: m[3], tableName: m[4] } : undefined;
}

/** The account of an IAM ARN (`arn:aws:iam::<account>:role/...`). */
export function arnAccount(arn: string): string | undefined {
  return /^arn:[\w-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn)?.[1];
}

/**
 * The resource policy for one stream: the named roles may read this stream, nothing else. The table's
 * own policy is a separate resource; a stream policy cannot grant table access.
 */
export function streamResourcePolicy(
  streamArn: string,
  consumerRoleArns: string[],
  options: { organizationId?: string } = {},
): PolicyDocument {
  const statement: PolicyStatement = {
    Sid: "ConsumersReadThisStream",
    Effect: "Allow",
    Principal: { AWS: consumerRoleArns },
    Action: [...STREAM_READ_ACTIONS],
    Resource: streamArn,
  };
  if (options.organizationId) {
    statement.Condition = { StringEquals: { "aws:PrincipalOrgID": options.organizationId } };
  }
  return policyDocument([statement]);
}

/**
 * The encryption context DynamoDB passes to KMS for a table's keys. A grant constrained to it only
 * works for this table's key material, through DynamoDB.
 */
export function dynamoDbEncryptionContext(tableName: string, tableAccountId: string): Record<string, string> {
  return { "aws:dynamodb:tableName": tableName, "aws:dynamodb:subscriberId": tableAccountId };
}

/** Where the consumer's pieces live; every ARN is resolved. */
export interface ConsumerPolicyContext {
  partition: string;
  accountId: string;
  region: string;
  streamArn: string;
  queueArn: string;
  queueKeyArn: string;
  logGroupName: string;
  /** The key that encrypts the table and its stream, when it is a customer-managed key. */
  tableKeyArn?: string;
}

/**
 * The execution role's identity policy: read one stream, list streams (an action AWS cannot scope to a
 * resource), send failure records to one queue, write the function's own logs, and use the keys only
 * through the services that need them.
 */
export function streamConsumerPolicy(ctx: ConsumerPolicyContext): PolicyDocument {
  const stream = streamArnParts(ctx.streamArn);
  const logGroup = `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${ctx.logGroupName}`;
  const statements: PolicyStatement[] = [
    { Sid: "ReadTheStream", Effect: "Allow", Action: [...STREAM_READ_ACTIONS], Resource: ctx.streamArn },
    // ListStreams has no resource type: AWS only accepts "*" for it. It reveals stream ARNs, not records.
    { Sid: "ListStreams", Effect: "Allow", Action: "dynamodb:ListStreams", Resource: "*" },
    { Sid: "SendFailuresToTheQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: ctx.queueArn },
    {
      Sid: "UseTheQueueKeyThroughSqs",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: ctx.queueKeyArn,
      Condition: { StringEquals: { "kms:ViaService": viaServiceValues("sqs", ctx.region) } },
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [logGroup, `${logGroup}:*`],
    },
  ];
  if (ctx.tableKeyArn && stream) {
    const via = viaServiceValues("dynamodb", stream.region);
    const context = dynamoDbEncryptionContext(stream.tableName, stream.accountId);
    statements.push(
      {
        Sid: "DecryptTheStreamThroughDynamoDb",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: ctx.tableKeyArn,
        Condition: {
          StringEquals: {
            "kms:ViaService": via,
            ...Object.fromEntries(Object.entries(context).map(([k, v]) => [`kms:EncryptionContext:${k}`, v])),
          },
        },
      },
      {
        Sid: "DescribeTheTableKeyThroughDynamoDb",
        Effect: "Allow",
        Action: "kms:DescribeKey",
        Resource: ctx.tableKeyArn,
        Condition: { StringEquals: { "kms:ViaService": via } },
      },
    );
  }
  return policyDocument(statements);
}

/** Lambda may assume the role only on behalf of functions in the role's own account (confused deputy). */
export function lambdaTrustPolicy(accountId: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "LambdaInThisAccount",
      Effect: "Allow",
      Principal: { Service: "lambda.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/** Only the mapping's role may send to the failure queue, and only over TLS. */
export function failureQueuePolicy(queueArn: string, roleArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "MappingRoleSends",
      Effect: "Allow",
      Principal: { AWS: roleArn },
      Action: "sqs:SendMessage",
      Resource: queueArn,
    },
    {
      Sid: "NobodyElseSends",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { StringNotEquals: { "aws:PrincipalArn": roleArn } },
    },
    {
      Sid: "TlsOnly",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/** The failure queue's key: administrable by the account, usable by the account's principals only through SQS. */
export function failureQueueKeyPolicy(ctx: KeyPolicyContext): PolicyDocument {
  return policyDocument([
    accountAdministratorsStatement(ctx),
    {
      Sid: "SqsUseInRegionOnly",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": viaServiceValues("sqs", ctx.region),
          "kms:CallerAccount": ctx.accountId,
        },
      },
    },
  ]);
}
