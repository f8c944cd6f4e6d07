import { Fields, list, object, required } from "../shared/argumentTypes";
import {
  accountId,
  boolean,
  booleanMap,
  inputText,
  inputTexts,
  number,
  region,
  roleArn,
  tags,
  text,
  textMap,
} from "../shared/argumentKinds";

const regionSettings = object({
  enabled: boolean,
  resourceTypeOptInPreference: booleanMap,
  resourceTypeManagementPreference: booleanMap,
});

/** The type of every `CentralBackupVaultArgs` field (see `argumentTypes.ts`). */
export const CENTRAL_BACKUP_VAULT_ARGUMENT_TYPES: Fields = {
  region: required(region),
  additionalRegions: list(object({ region: required(region), kmsKeyArn: inputText })),
  accountId,
  vaultName: text,
  sourceAccountIds: list(accountId),
  organizationId: text,
  kmsKeyArn: inputText,
  keyDeletionWindowInDays: number,
  lock: object({
    enabled: boolean,
    minRetentionDays: number,
    maxRetentionDays: number,
    changeableForDays: number,
  }),
  allowVaultLockDisabled: boolean,
  acknowledgeComplianceModeIsIrreversible: boolean,
  breakGlassRoleArn: roleArn,
  vaultAdminRoleArns: list(roleArn),
  allowFrozenVaultPolicy: boolean,
  regionSettings,
  protect: boolean,
  tags: tags(),
};

/** The type of every `TableBackupPlanArgs` field (see `argumentTypes.ts`). */
export const TABLE_BACKUP_PLAN_ARGUMENT_TYPES: Fields = {
  region: required(region),
  accountId,
  vaultName: text,
  kmsKeyArn: inputText,
  keyDeletionWindowInDays: number,
  breakGlassRoleArn: roleArn,
  keyAdminRoleArns: list(roleArn),
  rules: list(
    object({
      name: required(text),
      scheduleExpression: text,
      scheduleExpressionTimezone: text,
      startWindowMinutes: number,
      completionWindowMinutes: number,
      deleteAfterDays: number,
      coldStorageAfterDays: number,
      enableContinuousBackup: boolean,
      copy: boolean,
    }),
  ),
  copies: list(
    object({
      destinationVaultArn: required(inputText),
      deleteAfterDays: number,
      coldStorageAfterDays: number,
      destinationLock: object({ minRetentionDays: number, maxRetentionDays: number }),
    }),
  ),
  allowNoCopy: boolean,
  selectionTags: list(object({ key: required(text), value: required(text) })),
  tableArns: inputTexts,
  backupRoleArn: inputText,
  regionSettings,
  organizationSettings: object({
    managementAccountId: required(accountId),
    roleArn: required(roleArn),
    externalId: text,
    otherGlobalSettings: textMap,
  }),
  protect: boolean,
  tags: tags(),
};
