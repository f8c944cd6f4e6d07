/**
 * The IAM side of the audit. The action names are the SDK operations the audit calls, under each service's
 * IAM prefix; a test records the calls a full audit makes and checks both policies against them with an IAM
 * simulator, so the lists below cannot drift from the code.
 */

/** The SDK client name (without `Client`) -> the service's IAM action prefix. */
export const IAM_PREFIX: Record<string, string> = {
  DynamoDB: "dynamodb",
  KMS: "kms",
  Backup: "backup",
  CloudTrail: "cloudtrail",
  DAX: "dax",
  ApplicationAutoScaling: "application-autoscaling",
  Lambda: "lambda",
  EC2: "ec2",
  IAM: "iam",
  STS: "sts",
  Organizations: "organizations",
};

export function iamAction(service: string, operation: string): string {
  return `${IAM_PREFIX[service] ?? service.toLowerCase()}:${operation}`;
}

/** Calls the principal running the audit makes, not the role (sts:GetCallerIdentity needs no permission). */
export const AUDITOR_ACTIONS = ["sts:AssumeRole", "organizations:ListAccounts"];

/** Read-only, least privilege: the calls the audit makes in each account, nothing else. */
export const AUDIT_ROLE_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DynamoDbHardenedAuditRead",
      Effect: "Allow",
      Action: [
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
        "backup:GetBackupPlan",
        "backup:GetBackupSelection",
        "backup:GetBackupVaultAccessPolicy",
        "backup:ListBackupPlans",
        "backup:ListBackupSelections",
        "backup:ListBackupVaults",
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetEventSelectors",
        "cloudtrail:GetTrailStatus",
        "dax:DescribeClusters",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:DescribeTable",
        "dynamodb:GetResourcePolicy",
        "dynamodb:ListGlobalTables",
        "dynamodb:ListTables",
        "dynamodb:ListTagsOfResource",
        "ec2:DescribeRegions",
        "ec2:DescribeRouteTables",
        "ec2:DescribeVpcEndpoints",
        "iam:GetAccountAuthorizationDetails",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "lambda:ListEventSourceMappings",
        "lambda:ListFunctions",
      ],
      Resource: "*",
    },
  ],
};

/** The policy of the principal that runs the audit across accounts. */
export function auditorPolicy(partition: string, roleName: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AssumeTheAuditRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: `arn:${partition}:iam::*:role/${roleName}`,
      },
      { Sid: "ListTheOrganization", Effect: "Allow", Action: "organizations:ListAccounts", Resource: "*" },
    ],
  };
}

/** The audit role's trust policy: the auditor's principal may assume it, with the external id when one is set. */
export function auditRoleTrustPolicy(auditorArn: string, externalId?: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TheAuditorOnly",
        Effect: "Allow",
        Principal: { AWS: auditorArn },
        Action: "sts:AssumeRole",
        ...(externalId ? { Condition: { StringEquals: { "sts:ExternalId": externalId } } } : {}),
      },
    ],
  };
}
