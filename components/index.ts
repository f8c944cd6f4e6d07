// The public API, by domain folder: table/, access/, shared/, backup/, streams/, guardrails/.
export { HardenedTable } from "./table/hardenedTable";
export { MULTI_TENANT_TAG } from "./table/tableResource";
export { REPLICATION_STREAM_REASON } from "./table/resolveTableArgs";
export * from "./table/hardenedTableArgs";
export { STRONG_CONSISTENCY_REGION_SETS } from "./table/hardenedTableValidation";
export {
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
  sourceVpceCondition,
  tableResourcePolicy,
} from "./access/tableAccess";
export type { TableAccessArgs } from "./access/tableAccess";
export * from "./access/fineGrainedAccess";
export { BACKUP_TAG, STREAM_REASON_TAG, MANAGED_BY_TAG } from "./shared/tags";
export type { PolicyDocument, PolicyStatement } from "./shared/policyDocument";
export { CentralBackupVault } from "./backup/centralBackupVault";
export * from "./backup/centralBackupVaultArgs";
export { TableBackupPlan } from "./backup/tableBackupPlan";
export * from "./backup/tableBackupPlanArgs";
export type { BackupRegionSettingsArgs } from "./backup/backupRegionSettings";
export { StreamAccessGrant } from "./streams/streamAccessGrant";
export type { StreamAccessGrantArgs } from "./streams/streamAccessGrant";
export { StreamConsumer } from "./streams/streamConsumer";
export type { StreamConsumerArgs } from "./streams/streamConsumerArgs";
export type { StreamReadGrantOptions } from "./table/tableStreamGrants";
export { STREAM_READ_ACTIONS, streamResourcePolicy, streamConsumerPolicy } from "./streams/streamPolicies";
export { TableAccessRole } from "./access/tableAccessRole";
export * from "./access/tableAccessRoleArgs";
export {
  TABLE_ACCESS_PRESETS,
  TABLE_ACCESS_ROLE_ACTIONS,
  tableAccessRoleInlinePolicy,
  tableAccessRoleTrustPolicy,
} from "./access/tableAccessRolePolicy";
export { accountProvider } from "./access/accountProvider";
export type { AccountProviderArgs } from "./access/accountProvider";
export {
  ACCOUNT_LEVEL_ACTIONS,
  DynamoDbGatewayEndpoint,
  gatewayEndpointPolicy,
} from "./guardrails/dynamoDbGatewayEndpoint";
export type {
  DynamoDbGatewayEndpointArgs,
  GatewayEndpointPolicyInput,
} from "./guardrails/dynamoDbGatewayEndpoint";
export { outsideSourceVpceCondition, denyOutsideVpcEndpointStatement } from "./access/tableAccess";
export {
  DAX_PLAINTEXT_PORT,
  DAX_TLS_PORT,
  HardenedDaxCluster,
  daxRolePolicy,
  daxTrustPolicy,
} from "./guardrails/hardenedDaxCluster";
export type { HardenedDaxClusterArgs } from "./guardrails/hardenedDaxCluster";
export {
  DynamoDbDataEventsTrail,
  LOG_RETENTION_DAYS,
  OBJECT_LOCK_MODES,
  READ_WRITE_TYPES,
} from "./guardrails/dynamoDbDataEventsTrail";
export * from "./guardrails/dynamoDbDataEventsTrailArgs";
export {
  dataEventSelectors,
  trailAlarmDefinitions,
  trailBucketPolicy,
  trailKeyPolicy,
} from "./guardrails/trailPolicies";
export { OrganizationGuardrails } from "./guardrails/organizationGuardrails";
export type { OrganizationGuardrailsArgs } from "./guardrails/organizationGuardrails";
export {
  DELETION_ACTIONS,
  externalPrincipalsRcp,
  tableProtectionScp,
} from "./guardrails/organizationPolicies";
