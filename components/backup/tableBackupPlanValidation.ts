import * as pulumi from "@pulumi/pulumi";
import { checkTableArnIn, isAccountId, isRoleArn, parseArn } from "../shared/arn";
import {
  Lifecycle,
  MAX_CONTINUOUS_RETENTION_DAYS,
  checkBackupVaultArn,
  checkLifecycle,
  checkLockBounds,
  checkVaultName,
  lockMismatch,
  parseBackupVaultArn,
} from "./backupRules";
import { validateRegionSettings } from "./backupRegionSettings";
import { ExemptRoleArgs, keyRoleAccountProblem, validateExemptRoles } from "../shared/keyProtection";
import { BACKUP_TAG } from "../shared/tags";
import {
  TableBackupCopyArgs,
  TableBackupPlanArgs,
  TableBackupRuleArgs,
  TableBackupTagArgs,
} from "./tableBackupPlanArgs";
import {
  ArgumentProblems,
  Validated,
  addNameProblem,
  checkInput,
  inRange,
  isKnown,
} from "../shared/validation";
import { checkAccountId, checkKeyInRegion, checkRegion } from "../shared/checks";
import { checkKeyDeletionWindow } from "../shared/customerManagedKey";

export const DEFAULT_SCHEDULE = "cron(0 2 * * ? *)";
export const DEFAULT_START_WINDOW_MINUTES = 60;
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 180;
export const DEFAULT_RETENTION_DAYS = 35;
export const DEFAULT_COPY_RETENTION_DAYS = 90;
export const DEFAULT_RULE_NAME = "daily";

const RULE_NAME = /^[A-Za-z0-9_.-]{1,50}$/;

/** A rule with its defaults filled in. */
export interface ResolvedRule extends Lifecycle {
  name: string;
  scheduleExpression: string;
  scheduleExpressionTimezone?: string;
  startWindowMinutes: number;
  completionWindowMinutes: number;
  enableContinuousBackup: boolean;
  copy: boolean;
}

/** A copy with its defaults filled in; the ARN is wrapped so that it is checked once known. */
export interface ResolvedCopy extends Lifecycle {
  destinationVaultArn: pulumi.Input<string>;
}

/** Validated and defaulted inputs for building the children. */
export interface CheckedPlanInputs {
  vaultName: string;
  kmsKeyArn?: pulumi.Input<string>;
  backupRoleArn?: pulumi.Input<string>;
  rules: ResolvedRule[];
  copies: ResolvedCopy[];
  selectionTags: TableBackupTagArgs[];
  tableArns: pulumi.Input<string>[];
}

/** Why a destination vault is no copy at all, if it is in the source's own account and region. */
export function sameVaultLocation(
  destinationArn: string,
  accountId: string,
  region: string,
): string | undefined {
  const arn = parseBackupVaultArn(destinationArn);
  return arn && arn.accountId === accountId && arn.region === region
    ? `the vault is in this plan's own account ${accountId} and region ${region}: a copy there survives nothing the original does not; use the central backup account's vault, or another region`
    : undefined;
}

function validateRule(path: string, rule: TableBackupRuleArgs, problems: ArgumentProblems): ResolvedRule {
  const resolved: ResolvedRule = {
    name: rule.name,
    scheduleExpression: rule.scheduleExpression ?? DEFAULT_SCHEDULE,
    scheduleExpressionTimezone: rule.scheduleExpressionTimezone,
    startWindowMinutes: rule.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES,
    completionWindowMinutes: rule.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
    deleteAfterDays: rule.deleteAfterDays ?? DEFAULT_RETENTION_DAYS,
    coldStorageAfterDays: rule.coldStorageAfterDays,
    enableContinuousBackup: rule.enableContinuousBackup ?? false,
    copy: rule.copy ?? true,
  };
  if (!RULE_NAME.test(rule.name ?? "")) {
    problems.add(
      `${path}.name`,
      `"${rule.name}" is not a valid rule name (1 to 50 letters, digits, "-", "_" or ".")`,
    );
  }
  if (!/^(cron|rate)\(.+\)$/.test(resolved.scheduleExpression)) {
    problems.add(
      `${path}.scheduleExpression`,
      `"${resolved.scheduleExpression}" is not an AWS Backup schedule; use cron(minutes hours day-of-month month day-of-week year) or rate(...)`,
    );
  }
  if (!Number.isInteger(resolved.startWindowMinutes) || resolved.startWindowMinutes < 60) {
    problems.add(
      `${path}.startWindowMinutes`,
      `${resolved.startWindowMinutes} is too short; AWS Backup needs at least 60 minutes`,
    );
  }
  if (
    !Number.isInteger(resolved.completionWindowMinutes) ||
    resolved.completionWindowMinutes <= resolved.startWindowMinutes
  ) {
    problems.add(
      `${path}.completionWindowMinutes`,
      `${resolved.completionWindowMinutes} must be a whole number of minutes greater than startWindowMinutes (${resolved.startWindowMinutes})`,
    );
  }
  if (resolved.enableContinuousBackup) {
    const reason = inRange(
      1,
      MAX_CONTINUOUS_RETENTION_DAYS,
      "days for a continuous rule",
    )(resolved.deleteAfterDays);
    if (reason) problems.add(`${path}.deleteAfterDays`, reason);
  }
  checkLifecycle(path, resolved, problems);
  return resolved;
}

function validateRules(args: TableBackupPlanArgs, problems: ArgumentProblems): ResolvedRule[] {
  if (args.rules !== undefined && args.rules.length === 0) {
    problems.add("rules", "at least one rule is required; leave rules out for the daily default");
  }
  const rules = args.rules?.length ? args.rules : [{ name: DEFAULT_RULE_NAME }];
  const names = new Set<string>();
  return rules.map((rule, i) => {
    if (names.has(rule.name)) problems.add(`rules[${i}].name`, `"${rule.name}" is used twice`);
    names.add(rule.name);
    return validateRule(`rules[${i}]`, rule, problems);
  });
}

function validateCopy(
  path: string,
  copy: TableBackupCopyArgs,
  args: TableBackupPlanArgs,
  problems: ArgumentProblems,
): ResolvedCopy {
  const resolved: ResolvedCopy = {
    destinationVaultArn: checkInput(
      copy.destinationVaultArn,
      `${path}.destinationVaultArn`,
      (v) =>
        checkBackupVaultArn(v) ??
        (args.accountId === undefined ? undefined : sameVaultLocation(v, args.accountId, args.region)),
      problems,
    )!,
    deleteAfterDays: copy.deleteAfterDays ?? DEFAULT_COPY_RETENTION_DAYS,
    coldStorageAfterDays: copy.coldStorageAfterDays,
  };
  if (copy.destinationVaultArn === undefined) {
    problems.add(`${path}.destinationVaultArn`, "required: the ARN of the vault that receives the copies");
  }
  const before = problems.count;
  checkLifecycle(path, resolved, problems);
  if (copy.destinationLock) {
    checkLockBounds(`${path}.destinationLock`, copy.destinationLock, problems);
    if (problems.count === before) {
      const mismatch = lockMismatch(resolved.deleteAfterDays, copy.destinationLock);
      const defaulted =
        copy.deleteAfterDays === undefined ? ` (the default is ${DEFAULT_COPY_RETENTION_DAYS})` : "";
      if (mismatch) problems.add(`${path}.deleteAfterDays`, mismatch + defaulted);
    }
  }
  return resolved;
}

function validateCopies(
  args: TableBackupPlanArgs,
  rules: ResolvedRule[],
  problems: ArgumentProblems,
): ResolvedCopy[] {
  const copies = args.copies ?? [];
  if (!args.allowNoCopy) {
    if (!copies.length) {
      problems.add(
        "copies",
        "no copy action: whoever holds this account's credentials could delete every recovery point; copy to a CentralBackupVault in a backup account, or set allowNoCopy: true",
      );
    } else if (!rules.some((r) => r.copy)) {
      problems.add(
        "rules",
        "every rule has copy: false, so nothing is copied; keep copy on for one rule, or set allowNoCopy: true",
      );
    }
  }
  const seen = new Set<string>();
  return copies.map((copy, i) => {
    const arn = copy.destinationVaultArn;
    if (isKnown(arn)) {
      if (seen.has(arn)) problems.add(`copies[${i}].destinationVaultArn`, `"${arn}" is listed twice`);
      seen.add(arn);
    }
    return validateCopy(`copies[${i}]`, copy, args, problems);
  });
}

function validateSelection(
  args: TableBackupPlanArgs,
  problems: ArgumentProblems,
  checked: CheckedPlanInputs,
): void {
  const tags = args.selectionTags ?? [{ key: BACKUP_TAG.key, value: BACKUP_TAG.value }];
  tags.forEach((tag, i) => {
    if (!tag.key || tag.key.length > 128)
      problems.add(`selectionTags[${i}].key`, "a tag key of 1 to 128 characters is required");
    if (tag.value === undefined || tag.value.length > 256) {
      problems.add(`selectionTags[${i}].value`, "a tag value of at most 256 characters is required");
    }
  });
  checked.selectionTags = tags;
  const tableArns = args.tableArns ?? [];
  if (!tags.length && !tableArns.length) {
    problems.add(
      "selectionTags",
      "an empty list turns tag selection off, and no tableArns are given: nothing would be backed up",
    );
  }
  checked.tableArns = tableArns.map((arn, i) =>
    checkInput(
      arn,
      `tableArns[${i}]`,
      checkTableArnIn(
        args.region,
        `the plan is in ${args.region}: AWS Backup plans only reach tables of their own region`,
      ),
      problems,
    )!,
  );
}

/** The plan's exempted key roles, as the shared key-protection checks read them. */
export function planKeyExemptRoles(args: TableBackupPlanArgs): ExemptRoleArgs {
  return {
    breakGlassPath: "breakGlassRoleArn",
    breakGlassRoleArn: args.breakGlassRoleArn,
    adminsPath: "keyAdminRoleArns",
    adminRoleArns: args.keyAdminRoleArns,
  };
}

function validateKeyProtection(args: TableBackupPlanArgs, problems: ArgumentProblems): void {
  validateExemptRoles(
    planKeyExemptRoles(args),
    problems,
    args.accountId,
    keyRoleAccountProblem(args.accountId),
  );
  if (args.kmsKeyArn === undefined) return;
  for (const path of ["breakGlassRoleArn", "keyAdminRoleArns"] as const) {
    if (args[path] !== undefined) {
      problems.add(path, "only applies to the key the component creates; kmsKeyArn names your own key");
    }
  }
}

function validateAccountSettings(args: TableBackupPlanArgs, problems: ArgumentProblems): void {
  validateRegionSettings(args.regionSettings, problems);
  const org = args.organizationSettings;
  if (!org) return;
  if (org.otherGlobalSettings?.isCrossAccountBackupEnabled !== undefined) {
    problems.add(
      "organizationSettings.otherGlobalSettings.isCrossAccountBackupEnabled",
      "this setting is what organizationSettings turns on; remove it from otherGlobalSettings",
    );
  }
  problems.check("organizationSettings.managementAccountId", String(org.managementAccountId), checkAccountId);
  if (!isRoleArn(org.roleArn ?? "")) {
    problems.add(
      "organizationSettings.roleArn",
      `"${org.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  } else if (
    isAccountId(org.managementAccountId ?? "") &&
    parseArn(org.roleArn)?.accountId !== org.managementAccountId
  ) {
    problems.add(
      "organizationSettings.roleArn",
      `the role is in account ${parseArn(org.roleArn)?.accountId}, not the management account ${org.managementAccountId}`,
    );
  }
}

/**
 * Every problem with `TableBackupPlan` arguments, found before any resource is created. Values that are
 * Outputs come back wrapped in `checked`: they are checked when they resolve.
 */
export function validateTableBackupPlanArgs(
  name: string,
  args: TableBackupPlanArgs,
): Validated<CheckedPlanInputs> {
  const problems = new ArgumentProblems();
  const checked: CheckedPlanInputs = {
    vaultName: args?.vaultName ?? name,
    rules: [],
    copies: [],
    selectionTags: [],
    tableArns: [],
  };
  if (!args) {
    problems.add("args", "region and copies are required");
    return { problems, checked };
  }
  if (!args.region)
    problems.add("region", "required: the region of the plan and its tables (e.g. us-east-1)");
  else problems.check("region", args.region, checkRegion);
  problems.check("accountId", args.accountId, checkAccountId);
  addNameProblem(problems, "vaultName", checkVaultName(checked.vaultName), args.vaultName);
  checked.kmsKeyArn = checkInput(
    args.kmsKeyArn,
    "kmsKeyArn",
    checkKeyInRegion(args.region, "the plan's vault"),
    problems,
  );
  problems.check("keyDeletionWindowInDays", args.keyDeletionWindowInDays, checkKeyDeletionWindow);
  checked.rules = validateRules(args, problems);
  checked.copies = validateCopies(args, checked.rules, problems);
  validateSelection(args, problems, checked);
  checked.backupRoleArn = checkInput(
    args.backupRoleArn,
    "backupRoleArn",
    (v) => (isRoleArn(v) ? undefined : `"${v}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`),
    problems,
  );
  validateAccountSettings(args, problems);
  validateKeyProtection(args, problems);
  return { problems, checked };
}
