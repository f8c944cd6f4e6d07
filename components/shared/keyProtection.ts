import * as pulumi from "@pulumi/pulumi";
import { isRoleArn, parseArn } from "./arn";
import { PolicyStatement } from "./policyDocument";
import { ArgumentProblems } from "./validation";

/**
 * Key actions that destroy what a key protects, or make it unusable: a deleted or disabled key makes
 * everything it encrypts unreadable (recovery points, audit logs), however the data itself is locked.
 */
export const DESTRUCTIVE_KEY_ACTIONS = [
  "kms:ScheduleKeyDeletion",
  "kms:DisableKey",
  "kms:DeleteImportedKeyMaterial",
  "kms:DisableKeyRotation",
] as const;

/** Who may still act on a protected key. */
export interface KeyExemptions {
  /** The only role that may delete or disable the key. */
  breakGlassRoleArn?: string;
  /** Roles that may also change the key policy (key or vault administrators). */
  keyPolicyAdminRoleArns: string[];
}

/** A condition that exempts the named principals from a deny; none when the list is empty. */
export function exceptPrincipals(arns: string[]): PolicyStatement["Condition"] {
  return arns.length ? { ArnNotLike: { "aws:PrincipalArn": arns } } : undefined;
}

/**
 * Denies destroying or disabling the key to everyone but the break-glass role, and changing its policy (which
 * would lift this deny) to everyone but the break-glass and administrator roles. The account root's `kms:*`
 * grant stays, so the key remains administrable; explicit denies win over it
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html). KMS refuses a new key
 * whose policy would not let its creator change the policy later (lockout safety check,
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html): the deployer must be one of the
 * exempted roles.
 */
export function protectedKeyStatements(exemptions: KeyExemptions): PolicyStatement[] {
  const breakGlass = exemptions.breakGlassRoleArn ? [exemptions.breakGlassRoleArn] : [];
  return [
    {
      Sid: "DenyKeyDestructionOutsideBreakGlass",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: [...DESTRUCTIVE_KEY_ACTIONS],
      Resource: "*",
      ...(breakGlass.length ? { Condition: exceptPrincipals(breakGlass) } : {}),
    },
    {
      Sid: "DenyKeyPolicyChangesOutsideAdministrators",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "kms:PutKeyPolicy",
      Resource: "*",
      ...(breakGlass.length || exemptions.keyPolicyAdminRoleArns.length
        ? { Condition: exceptPrincipals([...breakGlass, ...exemptions.keyPolicyAdminRoleArns]) }
        : {}),
    },
  ];
}

/** The protection statements when any role is exempted, else none (the key stays as administrable as before). */
export function optionalKeyProtection(exemptions: KeyExemptions): PolicyStatement[] {
  return exemptions.breakGlassRoleArn || exemptions.keyPolicyAdminRoleArns.length
    ? protectedKeyStatements(exemptions)
    : [];
}

/** The argument paths and values of a component's exempted roles. */
export interface ExemptRoleArgs {
  breakGlassPath: string;
  breakGlassRoleArn?: string;
  adminsPath: string;
  adminRoleArns?: string[];
}

function exemptRoles(args: ExemptRoleArgs): (readonly [string, string])[] {
  return [
    ...(args.breakGlassRoleArn !== undefined ? [[args.breakGlassPath, args.breakGlassRoleArn] as const] : []),
    ...(args.adminRoleArns ?? []).map((arn, i) => [`${args.adminsPath}[${i}]`, arn] as const),
  ];
}

/**
 * Each exempted role is one IAM role ARN, no wildcard, and in `accountId` when it is known: the key's
 * management actions are not cross-account, so a role of another account could never use its exemption.
 * `where` says why the account matters for this component.
 */
export function validateExemptRoles(
  args: ExemptRoleArgs,
  problems: ArgumentProblems,
  accountId: string | undefined,
  where: (account: string | undefined) => string,
): void {
  for (const [path, value] of exemptRoles(args)) {
    if (value.includes("*")) {
      problems.add(path, `"${value}" is a wildcard; name one IAM role ARN`);
      continue;
    }
    if (!isRoleArn(value)) {
      problems.add(path, `"${value}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
      continue;
    }
    const account = parseArn(value)?.accountId;
    if (accountId !== undefined && account !== accountId) problems.add(path, where(account));
  }
}

/** The problem of an exempted role outside the key's account: KMS key management is not cross-account. */
export const keyRoleAccountProblem = (keyAccount: string | undefined) => (account: string | undefined) =>
  `the role is in account ${account}, but the key is in ${keyAccount}: a role of another account cannot manage the key, so its exemption would protect nothing`;

/** Throws, once the deployed account is known, when an exempted role is in another account. */
export function exemptRolesInAccount(
  args: ExemptRoleArgs,
  accountId: string,
  where: (account: string) => string,
): void {
  for (const [propertyPath, arn] of exemptRoles(args)) {
    const account = parseArn(arn)?.accountId;
    if (account !== undefined && account !== accountId) {
      throw new pulumi.InputPropertyError({ propertyPath, reason: where(account) });
    }
  }
}
