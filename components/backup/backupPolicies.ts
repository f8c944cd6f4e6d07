import {
  KeyExemptions,
  exceptPrincipals,
  optionalKeyProtection,
  protectedKeyStatements,
} from "../shared/keyProtection";
import { accountAdministratorsStatement } from "../shared/kmsKeyPolicy";
import { PolicyDocument, PolicyStatement, policyDocument } from "../shared/policyDocument";
import { viaServiceValues } from "../shared/partitions";

/** Who may copy recovery points into a central vault: named accounts, an organization, or both (both must hold). */
export interface CopySources {
  /** Source account IDs. */
  accountIds: string[];
  /** An AWS Organizations ID (`o-…`). */
  organizationId?: string;
}

/** The account and region a vault or key lives in. */
export interface BackupPolicyContext {
  partition: string;
  accountId: string;
  region: string;
}

/** Recovery point actions that destroy or shorten backups. Backup vault policies accept no action wildcards. */
export const RECOVERY_POINT_DESTRUCTIVE_ACTIONS = [
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
  "backup:DisassociateRecoveryPoint",
  "backup:DisassociateRecoveryPointFromParent",
] as const;

/** Actions that would let someone remove the vault's protections, or the vault itself. */
export const VAULT_PROTECTION_ACTIONS = [
  "backup:PutBackupVaultAccessPolicy",
  "backup:DeleteBackupVaultAccessPolicy",
  "backup:PutBackupVaultLockConfiguration",
  "backup:DeleteBackupVaultLockConfiguration",
  "backup:DeleteBackupVault",
] as const;

/** What AWS Backup needs from a vault key to write or read a recovery point with it. */
export const BACKUP_KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
] as const;

/** Grants AWS Backup creates for the resources it manages. */
export const BACKUP_KEY_GRANT_ACTIONS = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"] as const;

/**
 * Principals of the key's own account may use it through AWS Backup in its region, whatever their IAM
 * policies say, as with the AWS-managed `aws/backup` key: AWS Backup's roles then need no key permission.
 */
function backupInAccountStatements(ctx: BackupPolicyContext): PolicyStatement[] {
  const condition = {
    "kms:ViaService": viaServiceValues("backup", ctx.region),
    "kms:CallerAccount": ctx.accountId,
  };
  return [
    {
      Sid: "AccountUseThroughBackup",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [...BACKUP_KEY_USE_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: condition },
    },
    {
      Sid: "AccountGrantsForBackup",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [...BACKUP_KEY_GRANT_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: condition, Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

function accountRoots(partition: string, accountIds: string[]): string[] {
  return accountIds.map((id) => `arn:${partition}:iam::${id}:root`);
}

/** Principal and conditions that match the copy sources: named account roots, or everyone in the organization. */
function sourcePrincipal(
  partition: string,
  sources: CopySources,
): Pick<PolicyStatement, "Principal" | "Condition"> {
  const orgCondition = sources.organizationId
    ? { StringEquals: { "aws:PrincipalOrgID": sources.organizationId } }
    : undefined;
  if (sources.accountIds.length) {
    return { Principal: { AWS: accountRoots(partition, sources.accountIds) }, Condition: orgCondition };
  }
  if (!orgCondition) throw new Error("copy sources need account IDs or an organization ID");
  return { Principal: "*", Condition: orgCondition };
}

/**
 * The access policy of a central backup vault: the copy sources may copy recovery points in; nobody but the
 * break-glass role may delete recovery points or change their lifecycle; nobody but the break-glass role and
 * the vault administrators may change or remove the vault's policy or lock, or delete the vault.
 */
export function centralVaultAccessPolicy(
  ctx: BackupPolicyContext,
  sources: CopySources,
  exemptions: { breakGlassRoleArn?: string; vaultAdminRoleArns: string[] },
): PolicyDocument {
  const breakGlass = exemptions.breakGlassRoleArn ? [exemptions.breakGlassRoleArn] : [];
  const statements: PolicyStatement[] = [
    {
      Sid: "AllowCopyIntoFromSourceAccounts",
      Effect: "Allow",
      ...sourcePrincipal(ctx.partition, sources),
      Action: "backup:CopyIntoBackupVault",
      Resource: "*",
    },
    {
      Sid: "DenyRecoveryPointDeletion",
      Effect: "Deny",
      Principal: "*",
      Action: [...RECOVERY_POINT_DESTRUCTIVE_ACTIONS],
      Resource: "*",
      Condition: exceptPrincipals(breakGlass),
    },
    {
      // Also lists the recovery point actions, so that this one statement has the shape AWS Config's
      // backup-recovery-point-manual-deletion-disabled rule looks for; the statement above still denies
      // those actions to the vault administrators.
      Sid: "DenyVaultProtectionChanges",
      Effect: "Deny",
      Principal: "*",
      Action: [
        "backup:DeleteRecoveryPoint",
        "backup:UpdateRecoveryPointLifecycle",
        ...VAULT_PROTECTION_ACTIONS,
      ],
      Resource: "*",
      Condition: exceptPrincipals([...breakGlass, ...exemptions.vaultAdminRoleArns]),
    },
  ];
  return policyDocument(statements);
}

/**
 * The key policy of a central vault's key: the account's administrators control it, but only the break-glass
 * role may delete or disable it; the account's principals and the copy sources may use it only through AWS
 * Backup in the vault's region, as copy jobs need.
 */
export function centralVaultKeyPolicy(
  ctx: BackupPolicyContext,
  sources: CopySources,
  exemptions: KeyExemptions = { keyPolicyAdminRoleArns: [] },
): PolicyDocument {
  const viaBackup = { "kms:ViaService": viaServiceValues("backup", ctx.region) };
  const source = sourcePrincipal(ctx.partition, sources);
  const orgCondition = source.Condition?.StringEquals ?? {};
  return policyDocument([
    accountAdministratorsStatement(ctx),
    ...protectedKeyStatements(exemptions),
    ...backupInAccountStatements(ctx),
    {
      Sid: "SourceAccountsUseThroughBackup",
      Effect: "Allow",
      Principal: source.Principal,
      Action: [...BACKUP_KEY_USE_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: { ...viaBackup, ...orgCondition } },
    },
    {
      Sid: "SourceAccountsGrantsForBackup",
      Effect: "Allow",
      Principal: source.Principal,
      Action: [...BACKUP_KEY_GRANT_ACTIONS],
      Resource: "*",
      Condition: {
        StringEquals: { ...viaBackup, ...orgCondition },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    },
  ]);
}

/**
 * The key policy of a workload account's local vault key: the account's administrators control it, its
 * principals may use it through AWS Backup, and the accounts that receive copies may use it through AWS
 * Backup to read the recovery points they copy. With a break-glass or key administrator role, the key is
 * protected as the central vault's is (`protectedKeyStatements`).
 */
export function localVaultKeyPolicy(
  ctx: BackupPolicyContext,
  destinationAccountIds: string[],
  exemptions: KeyExemptions = { keyPolicyAdminRoleArns: [] },
): PolicyDocument {
  const statements: PolicyStatement[] = [
    accountAdministratorsStatement(ctx),
    ...optionalKeyProtection(exemptions),
    ...backupInAccountStatements(ctx),
  ];
  const others = [...new Set(destinationAccountIds)].filter((id) => id !== ctx.accountId).sort();
  if (others.length) {
    const principal = { AWS: accountRoots(ctx.partition, others) };
    const viaBackup = { StringLike: { "kms:ViaService": viaServiceValues("backup", ctx.region, "*") } };
    statements.push(
      {
        Sid: "CopyDestinationsUseThroughBackup",
        Effect: "Allow",
        Principal: principal,
        Action: [...BACKUP_KEY_USE_ACTIONS],
        Resource: "*",
        Condition: viaBackup,
      },
      {
        Sid: "CopyDestinationsGrantsForBackup",
        Effect: "Allow",
        Principal: principal,
        Action: [...BACKUP_KEY_GRANT_ACTIONS],
        Resource: "*",
        Condition: { ...viaBackup, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    );
  }
  return policyDocument(statements);
}

/**
 * The trust policy of the role AWS Backup assumes to back up and restore: only for the role's own account
 * (confused deputy: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html). The key is
 * matched when present: AWS Backup's documentation does not say that it sends aws:SourceAccount.
 */
export function backupServiceTrustPolicy(accountId?: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "AwsBackupAssumesRole",
      Effect: "Allow",
      Principal: { Service: "backup.amazonaws.com" },
      Action: "sts:AssumeRole",
      ...(accountId ? { Condition: { StringEqualsIfExists: { "aws:SourceAccount": accountId } } } : {}),
    },
  ]);
}
