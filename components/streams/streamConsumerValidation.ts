import * as pulumi from "@pulumi/pulumi";
import { parseArn } from "../shared/arn";
import { StreamConsumerArgs } from "./streamConsumerArgs";
import { streamArnParts } from "./streamPolicies";
import {
  checkKeyArn,
  checkRegionAgainstStream,
  checkStreamArn,
  keyAgainstStream,
  validateViewTypes,
} from "./streamValidation";
import {
  ArgumentProblems,
  Validated,
  checkAgainst,
  checkInput,
  inRange,
  isKnown,
  oneOf,
  validateArgs,
} from "../shared/validation";
import { checkKeyDeletionWindow } from "../shared/customerManagedKey";

export const STARTING_POSITIONS = ["TRIM_HORIZON", "LATEST"] as const;
export const STREAM_EVENT_NAMES = ["INSERT", "MODIFY", "REMOVE"] as const;
/** Lambda accepts at most five filters per event source mapping. */
export const MAX_FILTERS = 5;

const FUNCTION_NAME = /^([a-zA-Z0-9_-]{1,64})(:[a-zA-Z0-9$_-]+)?$/;
const FUNCTION_ARN =
  /^arn:[\w-]+:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]{1,64})(:[a-zA-Z0-9$_-]+)?$/;

/** The bare function name of a name, `name:alias` or function ARN. */
export function functionBaseName(value: string): string | undefined {
  return FUNCTION_ARN.exec(value)?.[3] ?? FUNCTION_NAME.exec(value)?.[1];
}

function checkFunctionName(value: string, region: string | undefined): string | undefined {
  const arn = FUNCTION_ARN.exec(value);
  if (arn) {
    return region && arn[1] !== region
      ? `the function is in ${arn[1]}, but the mapping must be in the stream's region ${region}; deploy the consumer function there`
      : undefined;
  }
  return FUNCTION_NAME.test(value)
    ? undefined
    : `"${value}" is not a Lambda function name, name:alias or function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`;
}

/** -1 means "forever" to AWS; a hardened consumer never retries or waits forever. */
function bounded(min: number, max: number, unit: string): (v: number) => string | undefined {
  const range = inRange(min, max, unit);
  return (v) => (v === -1 ? `-1 is unbounded; use a whole number from ${min} to ${max} ${unit}` : range(v));
}

function checkFilterPattern(pattern: string): string | undefined {
  if (pattern.length > 4096)
    return `the pattern has ${pattern.length} characters; Lambda accepts at most 4096`;
  try {
    const parsed = JSON.parse(pattern);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return undefined;
  } catch {
    // reported below
  }
  return `not a JSON object filter pattern, e.g. {"dynamodb": {"Keys": {"pk": {"S": [{"prefix": "order#"}]}}}}`;
}

function validateNumbers(args: StreamConsumerArgs, problems: ArgumentProblems): void {
  const ranges: [keyof StreamConsumerArgs, (v: number) => string | undefined][] = [
    ["batchSize", inRange(1, 10000, "records")],
    ["maximumBatchingWindowInSeconds", inRange(0, 300, "seconds")],
    ["parallelizationFactor", inRange(1, 10, "batches per shard")],
    ["maximumRetryAttempts", bounded(0, 10000, "retries")],
    ["maximumRecordAgeInSeconds", bounded(60, 604800, "seconds")],
    ["failureQueueRetentionSeconds", inRange(60, 1209600, "seconds")],
    ["keyDeletionWindowInDays", checkKeyDeletionWindow],
  ];
  for (const [key, check] of ranges) {
    const value = args[key];
    if (value === undefined) continue;
    const reason = typeof value === "number" ? check(value) : `${String(value)} is not a number`;
    if (reason) problems.add(key, reason);
  }
}

function validateFilters(args: StreamConsumerArgs, problems: ArgumentProblems): void {
  if (args.eventNames !== undefined) {
    if (!args.eventNames.length) problems.add("eventNames", "name at least one event, or remove eventNames");
    const seen = new Set<string>();
    args.eventNames.forEach((event, i) => {
      const reason =
        oneOf(STREAM_EVENT_NAMES)(event) ?? (seen.has(event) ? `"${event}" is listed twice` : undefined);
      if (reason) problems.add(`eventNames[${i}]`, reason);
      seen.add(event);
    });
  }
  args.filterPatterns?.forEach((pattern, i) => {
    const reason = checkFilterPattern(pattern);
    if (reason) problems.add(`filterPatterns[${i}]`, reason);
  });
  const count = (args.eventNames?.length ? 1 : 0) + (args.filterPatterns?.length ?? 0);
  if (count > MAX_FILTERS) {
    problems.add(
      "filterPatterns",
      `${count} filters (eventNames counts as one); Lambda accepts at most ${MAX_FILTERS}`,
    );
  }
}

/** Inputs that may be Outputs, wrapped so that they are checked once known. */
export interface CheckedConsumerInputs {
  streamArn: pulumi.Input<string>;
  functionName: pulumi.Input<string>;
  tableKmsKeyArn?: pulumi.Input<string>;
  queueKmsKeyArn?: pulumi.Input<string>;
  permissionsBoundaryArn?: pulumi.Input<string>;
  /** The consumer's region when known now: the one given, else the stream's. */
  region?: string;
}

/** Every problem with `StreamConsumer` arguments, found before any resource is created. */
export function validateStreamConsumerArgs(
  _name: string,
  args: StreamConsumerArgs,
): Validated<CheckedConsumerInputs> {
  return validateArgs(
    args,
    "streamArn and functionName",
    { streamArn: "", functionName: "" },
    checkedConsumerInputs,
  );
}

function checkedConsumerInputs(args: StreamConsumerArgs, problems: ArgumentProblems): CheckedConsumerInputs {
  if (args.streamArn === undefined) problems.add("streamArn", "the ARN of the stream to consume is required");
  if (args.functionName === undefined)
    problems.add("functionName", "the consuming function's name or ARN is required");
  const streamArn = checkInput(args.streamArn, "streamArn", checkStreamArn, problems) ?? "";
  const region = checkRegionAgainstStream(args.region, args.streamArn, problems, "the event source mapping");
  const functionName =
    checkInput(args.functionName, "functionName", (v) => checkFunctionName(v, region), problems) ?? "";

  const streamAccount = isKnown(args.streamArn) ? streamArnParts(args.streamArn)?.accountId : undefined;
  const tableKmsKeyArn = checkInput(
    args.tableKmsKeyArn,
    "tableKmsKeyArn",
    (v) => {
      const reason = checkKeyArn(v, region);
      const account = parseArn(v)?.accountId;
      if (reason || !streamAccount || account === streamAccount) return reason;
      return `the key is in account ${account}, but the table is in ${streamAccount}: name the table's key`;
    },
    problems,
  );
  // Known pairs are checked above; a key or stream given as an Output is checked against the other here.
  const tableKeyOnceKnown =
    isKnown(args.tableKmsKeyArn) && isKnown(args.streamArn)
      ? tableKmsKeyArn
      : checkAgainst(
          tableKmsKeyArn,
          args.streamArn,
          "tableKmsKeyArn",
          (k: string, s: string) => keyAgainstStream(k, s, "the table"),
          problems,
        );
  const queueKmsKeyArn = checkInput(
    args.queueKmsKeyArn,
    "queueKmsKeyArn",
    (v) => checkKeyArn(v, region, "the consumer"),
    problems,
  );
  const permissionsBoundaryArn = checkInput(
    args.permissionsBoundaryArn,
    "permissionsBoundaryArn",
    (v) =>
      /^arn:[\w-]+:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/.test(v)
        ? undefined
        : `"${v}" is not an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)`,
    problems,
  );

  if (args.startingPosition !== undefined) {
    const reason =
      args.startingPosition === "AT_TIMESTAMP"
        ? `"AT_TIMESTAMP" works only for Kinesis; DynamoDB streams accept ${STARTING_POSITIONS.join(", ")}`
        : oneOf(STARTING_POSITIONS)(args.startingPosition);
    if (reason) problems.add("startingPosition", reason);
  }
  if (args.logGroupName !== undefined && !/^[\w\-./#]{1,512}$/.test(args.logGroupName)) {
    problems.add("logGroupName", `"${args.logGroupName}" is not a CloudWatch Logs log group name`);
  }
  validateNumbers(args, problems);
  validateFilters(args, problems);
  validateViewTypes(args, problems);
  return {
    streamArn,
    functionName,
    tableKmsKeyArn: tableKeyOnceKnown,
    queueKmsKeyArn,
    permissionsBoundaryArn,
    region,
  };
}
