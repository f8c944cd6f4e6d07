import { Fields, required } from "../shared/argumentTypes";
import { boolean, inputText, inputTexts, number, region, tags, text, texts } from "../shared/argumentKinds";

/** The type of every `StreamAccessGrantArgs` field (see `argumentTypes.ts`). */
export const STREAM_ACCESS_GRANT_ARGUMENT_TYPES: Fields = {
  streamArn: required(inputText),
  consumerRoleArns: required(inputTexts),
  organizationId: text,
  kmsKeyArn: inputText,
  region,
  streamViewType: text,
  neededViewType: text,
  allowWiderViewType: boolean,
};

/** The type of every `StreamConsumerArgs` field (see `argumentTypes.ts`). */
export const STREAM_CONSUMER_ARGUMENT_TYPES: Fields = {
  streamArn: required(inputText),
  functionName: required(inputText),
  region,
  tableKmsKeyArn: inputText,
  startingPosition: text,
  batchSize: number,
  maximumBatchingWindowInSeconds: number,
  parallelizationFactor: number,
  maximumRetryAttempts: number,
  maximumRecordAgeInSeconds: number,
  bisectBatchOnFunctionError: boolean,
  reportBatchItemFailures: boolean,
  eventNames: texts,
  filterPatterns: texts,
  enabled: boolean,
  createMapping: boolean,
  failureQueueRetentionSeconds: number,
  queueKmsKeyArn: inputText,
  keyDeletionWindowInDays: number,
  logGroupName: text,
  permissionsBoundaryArn: inputText,
  streamViewType: text,
  neededViewType: text,
  allowWiderViewType: boolean,
  tags: tags(),
};
