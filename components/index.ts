export { HardenedTable, MULTI_TENANT_TAG, REPLICATION_STREAM_REASON } from "./hardenedTable";
export * from "./hardenedTableArgs";
export { STRONG_CONSISTENCY_REGION_SETS } from "./hardenedTableValidation";
export {
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
  sourceVpceCondition,
  tableResourcePolicy,
} from "./tableAccess";
export type { TableAccessArgs } from "./tableAccess";
export * from "./fineGrainedAccess";
export { BACKUP_TAG, STREAM_REASON_TAG, MANAGED_BY_TAG } from "./tags";
export type { PolicyDocument, PolicyStatement } from "./policyDocument";
export { CentralBackupVault } from "./centralBackupVault";
export * from "./centralBackupVaultArgs";
export { TableBackupPlan } from "./tableBackupPlan";
export * from "./tableBackupPlanArgs";
export type { BackupRegionSettingsArgs } from "./backupRegionSettings";
export { StreamAccessGrant } from "./streamAccessGrant";
export type { StreamAccessGrantArgs } from "./streamAccessGrant";
export { StreamConsumer } from "./streamConsumer";
export type { StreamConsumerArgs } from "./streamConsumerArgs";
export type { StreamReadGrantOptions } from "./tableStreamGrants";
export { STREAM_READ_ACTIONS, streamResourcePolicy, streamConsumerPolicy } from "./streamPolicies";
export { TableAccessRole } from "./tableAccessRole";
export * from "./tableAccessRoleArgs";
export {
  TABLE_ACCESS_PRESETS,
  TABLE_ACCESS_ROLE_ACTIONS,
  tableAccessRoleInlinePolicy,
  tableAccessRoleTrustPolicy,
} from "./tableAccessRolePolicy";
export { accountProvider } from "./accountProvider";
export type { AccountProviderArgs } from "./accountProvider";
export {
  ACCOUNT_LEVEL_ACTIONS,
  DynamoDbGatewayEndpoint,
  gatewayEndpointPolicy,
} from "./dynamoDbGatewayEndpoint";
export type { DynamoDbGatewayEndpointArgs, GatewayEndpointPolicyInput } from "./dynamoDbGatewayEndpoint";
export { outsideSourceVpceCondition, denyOutsideVpcEndpointStatement } from "./tableAccess";
export {
  DAX_PLAINTEXT_PORT,
  DAX_TLS_PORT,
  HardenedDaxCluster,
  daxRolePolicy,
  daxTrustPolicy,
} from "./hardenedDaxCluster";
export type { HardenedDaxClusterArgs } from "./hardenedDaxCluster";
export {
  DynamoDbDataEventsTrail,
  LOG_RETENTION_DAYS,
  OBJECT_LOCK_MODES,
  READ_WRITE_TYPES,
} from "./dynamoDbDataEventsTrail";
export * from "./dynamoDbDataEventsTrailArgs";
export {
  dataEventSelectors,
  trailAlarmDefinitions,
  trailBucketPolicy,
  trailKeyPolicy,
} from "./trailPolicies";
export { OrganizationGuardrails } from "./organizationGuardrails";
export type { OrganizationGuardrailsArgs } from "./organizationGuardrails";
export { DELETION_ACTIONS, externalPrincipalsRcp, tableProtectionScp } from "./organizationPolicies";
