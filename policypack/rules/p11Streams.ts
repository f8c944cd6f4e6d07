import { parseDynamoDbArn } from "../facts/arn";
import { STREAM_READ_ACTIONS, STREAM_REASON_TAG } from "../contract";
import { isAllow, known } from "../facts/iam";
import { EventSourceMappingFacts, Subject } from "../facts/model";
import { StackModel, isTable } from "../facts/stack";
import { Tri, UNKNOWN } from "../facts/value";
import { HeldDoc, statementLabel } from "./docs";
import { Finding } from "./finding";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { PolicyConfig, numberSetting, resourcePolicy } from "../policies";
import { documentsOf } from "./docs";
import type { StackCheck } from "./stackPolicy";
import { definePractice } from "./practice";

export const practice = definePractice(11, "Least-privilege streams and consumers", {
  controls: ["no Security Hub control"],
  topics: ["streams", "least-privilege"],
});

export interface ConsumerLimits {
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
}

/**
 * Practice 11: a stream consumer has an on-failure destination, bisects on error, and bounds retries and record
 * age. One finding per consumer lists every problem it has.
 */
export function consumerFindings(e: EventSourceMappingFacts, limits: ConsumerLimits): Finding[] {
  const problems: string[] = [];
  const fixes: string[] = [];
  const destinationKey =
    e.provider === "aws"
      ? "destinationConfig.onFailure.destinationArn"
      : "destinationConfig.onFailure.destination";
  const add = (problem: string, fix: string) => {
    problems.push(problem);
    fixes.push(fix);
  };
  if (e.onFailure === "no")
    add(
      "no on-failure destination (records that keep failing are dropped without a trace)",
      `set ${destinationKey} to an SQS queue or SNS topic ARN`,
    );
  if (e.bisect === "no")
    add(
      "bisectBatchOnFunctionError is off (one bad record blocks its whole shard until it expires)",
      "set bisectBatchOnFunctionError to true",
    );
  const retriesFix = `set maximumRetryAttempts to at most ${limits.maximumRetryAttempts}`;
  if (e.retries !== UNKNOWN) {
    if (e.retries === undefined || e.retries < 0)
      add("retries are unbounded (the default -1 retries until the record expires)", retriesFix);
    else if (e.retries > limits.maximumRetryAttempts)
      add(
        `maximumRetryAttempts is ${e.retries}, above the allowed ${limits.maximumRetryAttempts}`,
        retriesFix,
      );
  }
  const ageFix = `set maximumRecordAgeInSeconds to at most ${limits.maximumRecordAgeInSeconds}`;
  if (e.maxRecordAge !== UNKNOWN) {
    if (e.maxRecordAge === undefined || e.maxRecordAge < 0)
      add(
        "record age is unbounded (the default -1 keeps retrying records for the stream's 24-hour retention)",
        ageFix,
      );
    else if (e.maxRecordAge > limits.maximumRecordAgeInSeconds)
      add(
        `maximumRecordAgeInSeconds is ${e.maxRecordAge}, above the allowed ${limits.maximumRecordAgeInSeconds}`,
        ageFix,
      );
  }
  if (!problems.length) return [];
  const numbered = problems.length === 1 ? problems[0] : problems.map((p, i) => `(${i + 1}) ${p}`).join("; ");
  return [
    {
      practice,
      subject: e.subject,
      problem: `this stream consumer ${problems.length === 1 ? "has one problem" : `has ${problems.length} problems`}: ${numbered}.`,
      fix: `${fixes.join("; ")}.`,
    },
  ];
}

/** The only actions a stream policy may grant: what the components grant consumers, and ListStreams. */
export const STREAM_POLICY_ACTIONS = [...STREAM_READ_ACTIONS, "dynamodb:ListStreams"];

function isStreamRead(action: string): boolean {
  return STREAM_POLICY_ACTIONS.some((a) => a.toLowerCase() === action.trim().toLowerCase());
}

/** Practice 11: stream resource policies grant only stream read actions, named. */
export function streamPolicyFindings(subject: Subject, docs: HeldDoc[]): Finding[] {
  const findings: Finding[] = [];
  for (const held of docs) {
    for (const st of held.doc.statements) {
      if (!isAllow(st)) continue;
      const extra = known(st.actions).filter((a) => !isStreamRead(a));
      if (st.notActions !== undefined) extra.push("NotAction");
      if (extra.length) {
        findings.push({
          practice,
          subject,
          where: statementLabel(held, st),
          problem: `a stream policy grants more than stream reads: ${extra.map((a) => `"${a}"`).join(", ")}.`,
          fix: `grant only ${STREAM_POLICY_ACTIONS.join(", ")}.`,
        });
      }
    }
  }
  return findings;
}

/** Whether an ESM's source is a DynamoDB stream: from its ARN, or, when unknown, from the table it depends on. */
export function isStreamSource(e: EventSourceMappingFacts): Tri {
  if (e.sourceArn === UNKNOWN) return "unknown";
  if (typeof e.sourceArn !== "string") return "no";
  return parseDynamoDbArn(e.sourceArn)?.kind === "stream" ? "yes" : "no";
}

/** Practice 11, stack level: consumers whose stream ARN was not known when they were analyzed. */
export function unknownSourceConsumerFindings(model: StackModel, limits: ConsumerLimits): Finding[] {
  const findings: Finding[] = [];
  for (const m of model.mappings) {
    if (isStreamSource(m.facts) !== "unknown") continue;
    if (!model.dependenciesOf(m, "eventSourceArn").some(isTable)) continue;
    findings.push(...consumerFindings(m.facts, limits));
  }
  return findings;
}

/**
 * Practice 11, stack level: `NEW_AND_OLD_IMAGES` exposes every item twice; it needs replicas (global tables
 * replicate through it) or a recorded reason (the `dynamodb-hardened:stream-reason` tag).
 */
export function streamViewFindings(model: StackModel): Finding[] {
  const replicated = new Set<string>();
  const replicatedNames = new Set<string>();
  for (const t of model.tables) {
    if (t.facts.shape === "legacy-global") {
      // A version 2017.11.29 global table replicates through its tables' streams, which must be
      // NEW_AND_OLD_IMAGES (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables.tutorial.html).
      const name = t.facts.physicalName;
      if (typeof name === "string") replicatedNames.add(name);
      for (const dep of model.dependenciesOf(t)) replicated.add(dep.facts.subject.urn);
      if (name === UNKNOWN && !model.dependenciesOf(t, "name").length) replicatedNames.add("*");
      continue;
    }
    if (t.facts.shape !== "replica") continue;
    for (const dep of model.dependenciesOf(t, "globalTableArn")) replicated.add(dep.facts.subject.urn);
    const of = t.facts.replicaOf;
    const arn = typeof of === "string" ? parseDynamoDbArn(of) : undefined;
    if (arn) replicatedNames.add(arn.table);
    if (of === UNKNOWN && !model.dependenciesOf(t, "globalTableArn").length) replicatedNames.add("*");
  }
  const findings: Finding[] = [];
  for (const t of model.tables) {
    const f = t.facts;
    if (f.shape !== "table" || f.streamEnabled === "no" || f.streamViewType !== "NEW_AND_OLD_IMAGES")
      continue;
    if (f.inlineReplicas !== 0) continue;
    if (replicated.has(f.subject.urn) || replicatedNames.has("*")) continue;
    if (typeof f.physicalName === "string" ? replicatedNames.has(f.physicalName) : replicatedNames.size > 0)
      continue;
    const reason = f.subject.tags.get(STREAM_REASON_TAG);
    if (
      reason === UNKNOWN ||
      (typeof reason === "string" && reason.trim() !== "") ||
      (reason === undefined && f.subject.tagsUnknown)
    )
      continue;
    findings.push({
      practice,
      subject: f.subject,
      problem:
        "the stream carries NEW_AND_OLD_IMAGES (every item before and after each change) on a table without replicas, and no reason is recorded.",
      fix: `use KEYS_ONLY or NEW_IMAGE (${f.streamViewPath}), or record why consumers need both images in the "${STREAM_REASON_TAG}" tag (HardenedTable: stream.reason).`,
    });
  }
  return findings;
}

function consumerLimits(config: PolicyConfig): ConsumerLimits {
  return {
    maximumRetryAttempts: numberSetting(config, "maximumRetryAttempts", 10, 0, 10000),
    maximumRecordAgeInSeconds: numberSetting(config, "maximumRecordAgeInSeconds", 86400, 60, 604800),
  };
}

const CONSUMER_LIMITS_SCHEMA: PolicyConfigSchema["properties"] = {
  maximumRetryAttempts: {
    type: "integer",
    minimum: 0,
    maximum: 10000,
    default: 10,
    description: "Highest maximumRetryAttempts a DynamoDB stream event source mapping may set.",
  },
  maximumRecordAgeInSeconds: {
    type: "integer",
    minimum: 60,
    maximum: 604800,
    default: 86400,
    description: "Highest maximumRecordAgeInSeconds a DynamoDB stream event source mapping may set.",
  },
};

export const policies = [
  resourcePolicy({
    name: "dynamodb-stream-least-privilege",
    displayName: "DynamoDB stream consumers and policies are least-privilege",
    description:
      "Practice 11: stream consumers (event source mappings) have an on-failure destination, bisect on error and bounded retries and record age; stream resource policies grant only stream reads.",
    practice,
    enforcementLevel: "advisory",
    severity: practice.severity,
    kinds: ["event-source-mapping", "resource-policy", "table"],
    remediationSteps: `Set destinationConfig.onFailure, bisectBatchOnFunctionError, maximumRetryAttempts and maximumRecordAgeInSeconds; grant streams only ${STREAM_POLICY_ACTIONS.map((a) => a.replace("dynamodb:", "")).join(", ")}.`,
    config: CONSUMER_LIMITS_SCHEMA,
    check: (facts, config) => {
      if (facts.kind === "event-source-mapping")
        return isStreamSource(facts) === "yes" ? consumerFindings(facts, consumerLimits(config)) : [];
      return streamPolicyFindings(facts.subject, documentsOf(facts).stream);
    },
  }),
];

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireStreamChecks",
    settingDescription:
      "consumers of streams created in the stack are bounded; NEW_AND_OLD_IMAGES needs replicas or a reason.",
    summary: "bounded stream consumers",
    config: CONSUMER_LIMITS_SCHEMA,
    check: (model, config) => [
      ...unknownSourceConsumerFindings(model, consumerLimits(config)),
      ...streamViewFindings(model),
    ],
  },
];
