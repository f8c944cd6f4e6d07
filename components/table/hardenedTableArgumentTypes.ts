import { Fields, input, list, object, required, string } from "../shared/argumentTypes";
import { boolean, inputTexts, inputText, number, region, tags, text, texts } from "../shared/argumentKinds";
import { DYNAMODB_LIMITS, checkIndexName, checkKeyAttributeName, checkTableName } from "../shared/awsLimits";

const keyAttribute = string(checkKeyAttributeName);

/** The table's tags plus the managed-by, backup and stream-reason tags it adds. */
const TABLE_ADDED_TAGS = 3;

/** The type of every `HardenedTableArgs` field (see `argumentTypes.ts`). */
export const HARDENED_TABLE_ARGUMENT_TYPES: Fields = {
  name: input(string(checkTableName)),
  region,
  hashKey: required(keyAttribute),
  rangeKey: keyAttribute,
  attributes: required(list(object({ name: required(keyAttribute), type: required(text) }))),
  globalSecondaryIndexes: list(
    object({
      name: required(string(checkIndexName)),
      hashKey: required(keyAttribute),
      rangeKey: keyAttribute,
      projectionType: text,
      nonKeyAttributes: texts,
    }),
    {
      max: DYNAMODB_LIMITS.globalSecondaryIndexes,
      why: "DynamoDB's per-table quota of global secondary indexes",
    },
  ),
  localSecondaryIndexes: list(
    object({
      name: required(string(checkIndexName)),
      rangeKey: required(keyAttribute),
      projectionType: text,
      nonKeyAttributes: list(keyAttribute),
    }),
    {
      max: DYNAMODB_LIMITS.localSecondaryIndexes,
      why: "DynamoDB's per-table quota of local secondary indexes",
    },
  ),
  ttlAttribute: keyAttribute,
  tableClass: text,
  billingMode: text,
  autoscaling: object({
    minReadCapacity: required(number),
    maxReadCapacity: required(number),
    minWriteCapacity: required(number),
    maxWriteCapacity: required(number),
    targetUtilization: number,
    scaleInCooldown: number,
    scaleOutCooldown: number,
  }),
  kmsKeyArn: inputText,
  keyDeletionWindowInDays: number,
  allowAwsManagedKey: boolean,
  allowKeyReplacement: boolean,
  pointInTimeRecovery: boolean,
  allowPointInTimeRecoveryDisabled: boolean,
  recoveryPeriodInDays: number,
  deletionProtection: boolean,
  allowDeletionProtectionDisabled: boolean,
  protect: boolean,
  retainOnDelete: boolean,
  stream: object({ viewType: text, reason: text }),
  access: object({
    readerPrincipals: inputTexts,
    writerPrincipals: inputTexts,
    organizationId: text,
    sourceVpce: inputText,
    tenantPrincipalTag: text,
  }),
  replicas: list(
    object({
      region: required(region),
      kmsKeyArn: inputText,
      sourceVpce: inputText,
      pointInTimeRecovery: boolean,
      deletionProtection: boolean,
      tags: tags(TABLE_ADDED_TAGS),
    }),
  ),
  replicaKeyStrategy: text,
  consistency: text,
  witnessRegion: region,
  multiTenant: boolean,
  tags: tags(TABLE_ADDED_TAGS),
};
