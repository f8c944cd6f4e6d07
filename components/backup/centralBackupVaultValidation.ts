import * as pulumi from "@pulumi/pulumi";
import { ExemptRoleArgs, validateExemptRoles } from "../shared/keyProtection";
import { MAX_RETENTION_DAYS, MIN_CHANGEABLE_FOR_DAYS, checkLockBounds, checkVaultName } from "./backupRules";
import { checkOrganizationId } from "../shared/resourceIds";
import { validateRegionSettings } from "./backupRegionSettings";
import { CentralBackupVaultArgs } from "./centralBackupVaultArgs";
import { ArgumentProblems, Validated, addNameProblem, checkInput, inRange } from "../shared/validation";
import { checkAccountId, checkKeyInRegion, checkRegion, requireOptOut } from "../shared/checks";
import { checkKeyDeletionWindow } from "../shared/customerManagedKey";

export const DEFAULT_LOCK_MIN_RETENTION_DAYS = 7;
export const DEFAULT_LOCK_MAX_RETENTION_DAYS = 365;

/** The lock the component applies, defaults filled in; undefined when the lock is off. */
export interface ResolvedLock {
  minRetentionDays: number;
  maxRetentionDays: number;
  changeableForDays?: number;
}

/** Inputs that may be Outputs, wrapped so that they are checked once known; and resolved settings. */
export interface CheckedCentralVaultInputs {
  /** KMS key ARNs given by the user, by region. */
  kmsKeyArns: Record<string, pulumi.Input<string> | undefined>;
  lock?: ResolvedLock;
  vaultName: string;
}

function validateRegions(
  args: CentralBackupVaultArgs,
  problems: ArgumentProblems,
  checked: CheckedCentralVaultInputs,
) {
  if (!args.region) problems.add("region", "required: the region of the primary vault (e.g. us-east-1)");
  else problems.check("region", args.region, checkRegion);
  checked.kmsKeyArns[args.region] = checkInput(
    args.kmsKeyArn,
    "kmsKeyArn",
    checkKeyInRegion(args.region, "the vault"),
    problems,
  );
  const seen = new Set([args.region]);
  (args.additionalRegions ?? []).forEach((extra, i) => {
    const path = `additionalRegions[${i}]`;
    const regionProblem = checkRegion(String(extra.region));
    if (regionProblem) {
      problems.add(`${path}.region`, regionProblem);
    } else if (seen.has(extra.region)) {
      problems.add(`${path}.region`, `"${extra.region}" is listed twice (the primary region counts)`);
    }
    seen.add(extra.region);
    checked.kmsKeyArns[extra.region] = checkInput(
      extra.kmsKeyArn,
      `${path}.kmsKeyArn`,
      checkKeyInRegion(extra.region, "the vault"),
      problems,
    );
  });
}

function validateSources(args: CentralBackupVaultArgs, problems: ArgumentProblems): void {
  const accounts = args.sourceAccountIds ?? [];
  if (!accounts.length && args.organizationId === undefined) {
    problems.add(
      "sourceAccountIds",
      "name the workload accounts allowed to copy in, or set organizationId; without either no copy can arrive",
    );
  }
  const seen = new Set<string>();
  accounts.forEach((id, i) => {
    const accountProblem = checkAccountId(String(id));
    if (accountProblem) problems.add(`sourceAccountIds[${i}]`, accountProblem);
    else if (seen.has(id)) problems.add(`sourceAccountIds[${i}]`, `"${id}" is listed twice`);
    else if (id === args.accountId) {
      problems.add(`sourceAccountIds[${i}]`, `"${id}" is the backup account itself; list workload accounts`);
    }
    seen.add(id);
  });
  problems.check("organizationId", args.organizationId, checkOrganizationId);
}

function validateLock(
  args: CentralBackupVaultArgs,
  problems: ArgumentProblems,
  checked: CheckedCentralVaultInputs,
) {
  const lock = args.lock ?? {};
  if (lock.enabled === false) {
    requireOptOut(
      problems,
      "lock.enabled",
      lock.enabled,
      { name: "allowVaultLockDisabled", given: args.allowVaultLockDisabled },
      "the vault lock",
      "without it retention can be shortened",
    );
    for (const key of ["minRetentionDays", "maxRetentionDays", "changeableForDays"] as const) {
      if (lock[key] !== undefined) problems.add(`lock.${key}`, "only applies when the lock is enabled");
    }
    return;
  }
  const resolved: ResolvedLock = {
    minRetentionDays: lock.minRetentionDays ?? DEFAULT_LOCK_MIN_RETENTION_DAYS,
    maxRetentionDays: lock.maxRetentionDays ?? DEFAULT_LOCK_MAX_RETENTION_DAYS,
    changeableForDays: lock.changeableForDays,
  };
  const before = problems.count;
  checkLockBounds("lock", resolved, problems);
  if (lock.changeableForDays !== undefined) {
    const reason = inRange(MIN_CHANGEABLE_FOR_DAYS, MAX_RETENTION_DAYS, "days")(lock.changeableForDays);
    if (reason) problems.add("lock.changeableForDays", reason);
    if (!args.acknowledgeComplianceModeIsIrreversible) {
      problems.add(
        "lock.changeableForDays",
        `sets a compliance-mode lock: after ${lock.changeableForDays} days nobody can remove it or delete the vault until every recovery point expires; set acknowledgeComplianceModeIsIrreversible: true, or remove changeableForDays for governance mode`,
      );
    }
  }
  if (problems.count === before) checked.lock = resolved;
}

/** The vault's exempted roles, as the shared key-protection checks read them. */
export function vaultExemptRoles(args: CentralBackupVaultArgs): ExemptRoleArgs {
  return {
    breakGlassPath: "breakGlassRoleArn",
    breakGlassRoleArn: args.breakGlassRoleArn,
    adminsPath: "vaultAdminRoleArns",
    adminRoleArns: args.vaultAdminRoleArns,
  };
}

function validateExemptions(args: CentralBackupVaultArgs, problems: ArgumentProblems): void {
  validateExemptRoles(
    vaultExemptRoles(args),
    problems,
    args.accountId,
    (account) =>
      `the role is in account ${account}, not the backup account ${args.accountId}: AWS Backup rejects other accounts' calls on the vault`,
  );
  const exempted = args.breakGlassRoleArn !== undefined || !!args.vaultAdminRoleArns?.length;
  if (!exempted && !args.allowFrozenVaultPolicy) {
    problems.add(
      "vaultAdminRoleArns",
      "the vault policy denies policy and lock changes to everyone not exempted, so with no breakGlassRoleArn and no vaultAdminRoleArns nobody, not even this stack, could update or delete them again; name your deployment role here, or set allowFrozenVaultPolicy: true",
    );
  }
}

/**
 * Every problem with `CentralBackupVault` arguments, found before any resource is created. Values that are
 * Outputs come back wrapped in `checked`: they are checked when they resolve.
 */
export function validateCentralBackupVaultArgs(
  name: string,
  args: CentralBackupVaultArgs,
): Validated<CheckedCentralVaultInputs> {
  const problems = new ArgumentProblems();
  const checked: CheckedCentralVaultInputs = { kmsKeyArns: {}, vaultName: args?.vaultName ?? name };
  if (!args) {
    problems.add("args", "region and sourceAccountIds or organizationId are required");
    return { problems, checked };
  }
  validateRegions(args, problems, checked);
  problems.check("accountId", args.accountId, checkAccountId);
  addNameProblem(problems, "vaultName", checkVaultName(checked.vaultName), args.vaultName);
  validateSources(args, problems);
  validateLock(args, problems, checked);
  validateExemptions(args, problems);
  validateRegionSettings(args.regionSettings, problems);
  problems.check("keyDeletionWindowInDays", args.keyDeletionWindowInDays, checkKeyDeletionWindow);
  return { problems, checked };
}
