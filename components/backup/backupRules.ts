import { parseArn } from "../shared/arn";
import { ArgumentProblems, inRange } from "../shared/validation";

/** AWS Backup's limits and rules, checked before anything is created. */
export const MAX_RETENTION_DAYS = 36500;
/** AWS Backup deletes a recovery point no sooner than 90 days after it moved to cold storage. */
export const MIN_DAYS_IN_COLD_STORAGE = 90;
/** Continuous (point-in-time) backups can be kept 1 to 35 days. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;
/** A compliance-mode lock can be changed for at least 3 days after it is set. */
export const MIN_CHANGEABLE_FOR_DAYS = 3;

const VAULT_NAME = /^[A-Za-z0-9_-]{2,50}$/;

/** The parts of a backup vault ARN: `arn:aws:backup:<region>:<account>:backup-vault:<name>`. */
export interface BackupVaultArn {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

export function parseBackupVaultArn(value: string): BackupVaultArn | undefined {
  const arn = parseArn(value);
  if (!arn || arn.service !== "backup" || !arn.region || !/^\d{12}$/.test(arn.accountId)) return undefined;
  const m = /^backup-vault:([A-Za-z0-9_-]{2,50})$/.exec(arn.resource);
  return m
    ? { partition: arn.partition, region: arn.region, accountId: arn.accountId, name: m[1] }
    : undefined;
}

export function checkBackupVaultArn(value: string): string | undefined {
  return parseBackupVaultArn(value)
    ? undefined
    : `"${value}" is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)`;
}

export function checkVaultName(value: string): string | undefined {
  return VAULT_NAME.test(value)
    ? undefined
    : `"${value}" is not a valid backup vault name (2 to 50 letters, digits, hyphens or underscores)`;
}

/** Retention of a rule or copy: when it is deleted and, optionally, when it moves to cold storage. */
export interface Lifecycle {
  deleteAfterDays: number;
  coldStorageAfterDays?: number;
}

/** Checks a lifecycle on its own: whole days within AWS Backup's limits, and 90 days in cold storage. */
export function checkLifecycle(path: string, lifecycle: Lifecycle, problems: ArgumentProblems): void {
  const days = inRange(1, MAX_RETENTION_DAYS, "days");
  const deleteReason = days(lifecycle.deleteAfterDays);
  if (deleteReason) problems.add(`${path}.deleteAfterDays`, deleteReason);
  const cold = lifecycle.coldStorageAfterDays;
  if (cold === undefined) return;
  const coldReason = days(cold);
  if (coldReason) {
    problems.add(`${path}.coldStorageAfterDays`, coldReason);
    return;
  }
  if (!deleteReason && lifecycle.deleteAfterDays < cold + MIN_DAYS_IN_COLD_STORAGE) {
    problems.add(
      `${path}.deleteAfterDays`,
      `${lifecycle.deleteAfterDays} is less than 90 days after coldStorageAfterDays (${cold}); AWS Backup keeps cold recovery points at least 90 days: use at least ${cold + MIN_DAYS_IN_COLD_STORAGE}, or remove coldStorageAfterDays`,
    );
  }
}

/** The retention bounds a vault lock enforces; either may be absent. */
export interface LockBounds {
  minRetentionDays?: number;
  maxRetentionDays?: number;
}

/** Checks lock bounds on their own: whole days within AWS Backup's limits, min not above max. */
export function checkLockBounds(path: string, lock: LockBounds, problems: ArgumentProblems): void {
  const days = inRange(1, MAX_RETENTION_DAYS, "days");
  let valid = true;
  for (const key of ["minRetentionDays", "maxRetentionDays"] as const) {
    const value = lock[key];
    if (value === undefined) continue;
    const reason = days(value);
    if (reason) {
      problems.add(`${path}.${key}`, reason);
      valid = false;
    }
  }
  const { minRetentionDays: min, maxRetentionDays: max } = lock;
  if (valid && min !== undefined && max !== undefined && min > max) {
    problems.add(`${path}.minRetentionDays`, `${min} is above maxRetentionDays ${max}`);
  }
}

/**
 * Why a retention does not fit a vault lock, if it does not: AWS Backup fails every job whose retention is
 * below the lock's minimum or above its maximum.
 */
export function lockMismatch(deleteAfterDays: number, lock: LockBounds): string | undefined {
  const { minRetentionDays: min, maxRetentionDays: max } = lock;
  if (min !== undefined && deleteAfterDays < min) {
    return `${deleteAfterDays} days is below the destination vault lock's minRetentionDays ${min}: every copy job would fail; keep copies at least ${min} days`;
  }
  if (max !== undefined && deleteAfterDays > max) {
    return `${deleteAfterDays} days is above the destination vault lock's maxRetentionDays ${max}: every copy job would fail; keep copies at most ${max} days`;
  }
  return undefined;
}
