import { Hop, Policy } from "./harness/layers";

/** The accounts every journey uses. */
export const TABLE_ACCOUNT = "111111111111";
export const USAGE_ACCOUNT = "222222222222";
/** Another account of the same organization, never named in any grant. */
export const SAME_ORG_ACCOUNT = "333333333333";
/** An account outside the organization. */
export const OUTSIDER_ACCOUNT = "444444444444";
export const BACKUP_ACCOUNT = "999999999999";
export const ORG = "o-a1b2c3d4e5";
export const OTHER_ORG = "o-zzzzzzzzzz";
export const REGION = "us-east-1";
export const REPLICA_REGION = "eu-west-1";
export const TABLE_NAME = "orders";
export const BREAK_GLASS = `arn:aws:iam::${TABLE_ACCOUNT}:role/break-glass`;

export const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
export const tableArn = (region = REGION, name = TABLE_NAME) =>
  `arn:aws:dynamodb:${region}:${TABLE_ACCOUNT}:table/${name}`;

/** Who a caller is, as request context keys AWS sets for it. */
export interface Caller {
  arn: string;
  account: string;
  orgId?: string;
}

export const caller = (account: string, name: string, orgId?: string): Caller => ({
  arn: role(account, name),
  account,
  orgId,
});

export function callerContext(c: Caller): Record<string, string> {
  return {
    "aws:PrincipalAccount": c.account,
    "aws:PrincipalArn": c.arn,
    ...(c.orgId ? { "aws:PrincipalOrgID": c.orgId } : {}),
  };
}

/** An identity policy a caller's own account gives it: the named actions on the named resources. */
export function allowPolicy(actions: string[], resources: string[]): Policy {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: resources }] };
}

/** The encryption context DynamoDB sends to KMS for a table's key (DynamoDB developer guide, encryption.howitworks). */
export function dynamoDbEncryptionContext(
  tableName: string,
  account = TABLE_ACCOUNT,
): Record<string, string> {
  return { "aws:dynamodb:tableName": tableName, "aws:dynamodb:subscriberId": account };
}

/** The KMS hop DynamoDB makes on the caller's behalf when it reads or writes a CMK-encrypted table. */
export function tableKeyHop(
  c: Caller,
  action: string,
  keyArn: string,
  region: string,
  extra: Partial<Hop>,
): Hop {
  return {
    layer: `KMS ${action} on the table key through DynamoDB (${region})`,
    principal: c.arn,
    action,
    resource: keyArn,
    resourceAccount: TABLE_ACCOUNT,
    encryptionContext: dynamoDbEncryptionContext(TABLE_NAME),
    ...extra,
    context: {
      ...callerContext(c),
      "kms:ViaService": `dynamodb.${region}.amazonaws.com`,
      "kms:CallerAccount": c.account,
      ...(extra.context ?? {}),
    },
  };
}
