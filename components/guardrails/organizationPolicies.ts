import { PolicyDocument, PolicyStatement, policyDocument } from "../shared/policyDocument";

/** The most characters AWS Organizations accepts in an SCP or RCP document. */
export const ORGANIZATION_POLICY_MAX_CHARS = 5120;

/** The actions only break-glass roles may call under the deletion SCP. */
export const DELETION_ACTIONS = ["dynamodb:DeleteTable", "dynamodb:DeleteBackup"];

/**
 * The resource control policy: no principal outside the organization may use DynamoDB in its accounts,
 * even when a table's resource policy says otherwise. AWS service principals are exempt, as in the seed,
 * so replication, backups and other service access keep working.
 */
export function externalPrincipalsRcp(
  organizationId: string,
  trustedAccountIds: string[] = [],
): PolicyDocument {
  return policyDocument([
    {
      Sid: "DenyDynamoDbOutsideOrganization",
      Effect: "Deny",
      Principal: "*",
      Action: "dynamodb:*",
      Resource: "*",
      Condition: {
        StringNotEquals: {
          "aws:PrincipalOrgID": organizationId,
          ...(trustedAccountIds.length ? { "aws:PrincipalAccount": trustedAccountIds } : {}),
        },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
      },
    },
  ]);
}

/** What the service control policy denies, and to whom it leaves the denied actions. */
export interface TableProtectionScpInput {
  /** Roles (ARN patterns, `*` allowed in the account and name) exempt from every statement. */
  breakGlassRoleArns: string[];
  /** Roles that may also call UpdateTable, e.g. deployment pipelines. */
  tableAdministratorRoleArns: string[];
  /** Guard deletion protection: only break-glass and administrator roles may call UpdateTable. */
  guardDeletionProtection: boolean;
  /** Only break-glass roles may delete tables and backups. */
  denyDeletion: boolean;
}

/**
 * The service control policy. IAM has no condition key for UpdateTable's `DeletionProtectionEnabled`
 * parameter, so the policy cannot tell "turn deletion protection off" from other table changes: it leaves
 * UpdateTable to break-glass and named administrator roles, and the trail's alarm reports the change itself.
 */
export function tableProtectionScp(input: TableProtectionScpInput): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (input.guardDeletionProtection) {
    statements.push({
      Sid: "DenyUpdateTableOutsideBreakGlass",
      Effect: "Deny",
      // UpdateContinuousBackups turns PITR off (and its restore window with it); like UpdateTable it has no
      // condition key for the setting, so it is left to the same roles.
      Action: ["dynamodb:UpdateTable", "dynamodb:UpdateContinuousBackups"],
      Resource: "*",
      Condition: {
        ArnNotLike: {
          "aws:PrincipalArn": [...input.breakGlassRoleArns, ...input.tableAdministratorRoleArns],
        },
      },
    });
  }
  if (input.denyDeletion) {
    statements.push({
      Sid: "DenyDeletionOutsideBreakGlass",
      Effect: "Deny",
      Action: [...DELETION_ACTIONS],
      Resource: "*",
      Condition: { ArnNotLike: { "aws:PrincipalArn": input.breakGlassRoleArns } },
    });
  }
  return policyDocument(statements);
}
