import { viaServiceValues } from "./partitions";
import { PolicyDocument, PolicyStatement, policyDocument } from "./policyDocument";

export interface KeyPolicyContext {
  partition: string;
  accountId: string;
  region: string;
}

/** The statement that keeps the key administrable by the account's IAM administrators. */
export function accountAdministratorsStatement(ctx: KeyPolicyContext): PolicyStatement {
  return {
    Sid: "AccountAdministrators",
    Effect: "Allow",
    Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/**
 * A key policy for a DynamoDB table key: the account's administrators control the key, and principals of
 * the account may use it only through DynamoDB in the given region (`kms:ViaService`).
 */
export function dynamoDbKeyPolicy(ctx: KeyPolicyContext): PolicyDocument {
  return policyDocument([
    accountAdministratorsStatement(ctx),
    {
      Sid: "DynamoDbUseInRegionOnly",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:CreateGrant",
        "kms:DescribeKey",
      ],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": viaServiceValues("dynamodb", ctx.region),
          "kms:CallerAccount": ctx.accountId,
        },
      },
    },
    {
      Sid: "DynamoDbServiceDescribe",
      Effect: "Allow",
      Principal: { Service: "dynamodb.amazonaws.com" },
      Action: ["kms:DescribeKey", "kms:ListAliases"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
    },
  ]);
}
