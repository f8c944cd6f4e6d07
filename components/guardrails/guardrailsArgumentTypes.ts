import { Fields, list, object, required } from "../shared/argumentTypes";
import {
  accountId,
  boolean,
  inputText,
  inputTexts,
  number,
  region,
  roleArn,
  tags,
  text,
} from "../shared/argumentKinds";

/** The type of every `DynamoDbDataEventsTrailArgs` field (see `argumentTypes.ts`). */
export const DYNAMODB_DATA_EVENTS_TRAIL_ARGUMENT_TYPES: Fields = {
  region,
  trailName: text,
  tableArns: inputTexts,
  readWriteType: text,
  includeManagementEvents: boolean,
  includeStreamEvents: boolean,
  organizationId: text,
  kmsKeyArn: inputText,
  breakGlassRoleArn: roleArn,
  keyAdminRoleArns: list(roleArn),
  bucketName: text,
  s3KeyPrefix: text,
  objectLockMode: text,
  retentionDays: number,
  retainOnDelete: boolean,
  alarms: object({ deleteItemThreshold: number, alarmActions: inputTexts, logRetentionInDays: number }),
  tags: tags(),
};

/** The type of every `OrganizationGuardrailsArgs` field (see `argumentTypes.ts`). */
export const ORGANIZATION_GUARDRAILS_ARGUMENT_TYPES: Fields = {
  organizationId: required(text),
  targetIds: required(list(text)),
  breakGlassRoleArns: required(list(roleArn)),
  tableAdministratorRoleArns: list(roleArn),
  denyExternalPrincipals: boolean,
  trustedAccountIds: list(accountId),
  guardDeletionProtection: boolean,
  denyDeletion: boolean,
  tags: tags(),
};
