import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, PolicyStatement, policyDocument } from "../shared/policyDocument";

/** Data-plane actions a reader needs. Named, never `dynamodb:*`. */
export const TABLE_READ_ACTIONS = [
  "dynamodb:DescribeTable",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:ConditionCheckItem",
] as const;

/** Data-plane actions a writer needs, in addition to the reader's. */
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
] as const;

/** Who may use a table, as given to `HardenedTable`'s `access` argument. */
export interface TableAccessArgs {
  /** IAM role or user ARNs allowed to read items (GetItem, Query, Scan, ...). */
  readerPrincipals?: pulumi.Input<string>[];
  /** IAM role or user ARNs allowed to read and write items. */
  writerPrincipals?: pulumi.Input<string>[];
  /** When set, every grant also requires the caller to belong to this AWS Organization (`aws:PrincipalOrgID`). */
  organizationId?: string;
  /** When set, every grant requires requests to arrive through this VPC endpoint ID (`aws:sourceVpce`). */
  sourceVpce?: pulumi.Input<string>;
  /**
   * The principal tag holding each caller's tenant (e.g. `tenantId`). When set, grants reach only items whose
   * partition key equals the caller's tag (`dynamodb:LeadingKeys`), and `Scan` is not granted. Required when
   * the table is `multiTenant`.
   */
  tenantPrincipalTag?: string;
}

/** `TableAccessArgs` with every value resolved. */
export interface ResolvedTableAccess {
  readerPrincipals?: string[];
  writerPrincipals?: string[];
  organizationId?: string;
  sourceVpce?: string;
  tenantPrincipalTag?: string;
}

type ConditionBlock = Record<string, Record<string, string | string[]>>;

/**
 * The `aws:sourceVpce` condition block for Allow statements of table resource policies and identity
 * policies: the statement applies only to requests that arrive through the given VPC endpoint(s).
 */
export function sourceVpceCondition(vpceIds: string | string[]): ConditionBlock {
  return { StringEquals: { "aws:sourceVpce": vpceIds } };
}

/**
 * The negated block, for Deny statements: it matches every request that does not arrive through the
 * endpoint(s), including requests from outside any VPC, where the key is absent.
 */
export function outsideSourceVpceCondition(vpceIds: string | string[]): ConditionBlock {
  return { StringNotEquals: { "aws:sourceVpce": vpceIds } };
}

/**
 * An identity-policy statement denying table actions unless the request arrives through the endpoint(s):
 * the IAM half of the two-layer control whose other half is the endpoint policy.
 */
export function denyOutsideVpcEndpointStatement(
  vpceIds: string | string[],
  tableArns: string[],
  actions: readonly string[] = [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
): PolicyStatement {
  return {
    Sid: "DenyOutsideVpcEndpoint",
    Effect: "Deny",
    Action: [...actions],
    Resource: tableArns.flatMap((arn) => [arn, `${arn}/index/*`]),
    Condition: outsideSourceVpceCondition(vpceIds),
  };
}

function grantConditions(access: ResolvedTableAccess): PolicyStatement["Condition"] | undefined {
  const conditions: ConditionBlock = {};
  if (access.organizationId) conditions.StringEquals = { "aws:PrincipalOrgID": access.organizationId };
  if (access.sourceVpce) {
    conditions.StringEquals = {
      ...conditions.StringEquals,
      ...sourceVpceCondition(access.sourceVpce).StringEquals,
    };
  }
  if (access.tenantPrincipalTag) {
    conditions["ForAllValues:StringEquals"] = {
      "dynamodb:LeadingKeys": [`\${aws:PrincipalTag/${access.tenantPrincipalTag}}`],
    };
  }
  return Object.keys(conditions).length ? conditions : undefined;
}

/** Scan reads every partition, so LeadingKeys cannot limit it: tenant-scoped grants leave it out. */
function grantable(actions: readonly string[], access: ResolvedTableAccess): string[] {
  return access.tenantPrincipalTag ? actions.filter((a) => a !== "dynamodb:Scan") : [...actions];
}

/**
 * The resource policy for a table (or one replica): named actions for named principals on the table
 * and its indexes. It never names `*` as a principal and never denies the replication service.
 */
export function tableResourcePolicy(tableArn: string, access: ResolvedTableAccess): PolicyDocument {
  const resources = [tableArn, `${tableArn}/index/*`];
  const condition = grantConditions(access);
  const statements: PolicyStatement[] = [];
  const readers = access.readerPrincipals ?? [];
  const writers = access.writerPrincipals ?? [];
  if (readers.length) {
    statements.push({
      Sid: "Readers",
      Effect: "Allow",
      Principal: { AWS: readers },
      Action: grantable(TABLE_READ_ACTIONS, access),
      Resource: resources,
      ...(condition ? { Condition: condition } : {}),
    });
  }
  if (writers.length) {
    statements.push({
      Sid: "Writers",
      Effect: "Allow",
      Principal: { AWS: writers },
      Action: grantable([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS], access),
      Resource: resources,
      ...(condition ? { Condition: condition } : {}),
    });
  }
  if (access.sourceVpce && (readers.length || writers.length)) {
    // The Allow conditions stop cross-account callers; this also stops same-account callers whose own
    // identity policies would allow them outside the endpoint.
    statements.push({
      Sid: "DenyOutsideVpcEndpoint",
      Effect: "Deny",
      Principal: { AWS: [...new Set([...readers, ...writers])] },
      Action: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
      Resource: resources,
      Condition: outsideSourceVpceCondition(access.sourceVpce),
    });
  }
  return policyDocument(statements);
}
