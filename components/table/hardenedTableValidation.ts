import * as pulumi from "@pulumi/pulumi";
import { isAwsManagedDynamoDbKey, isPrincipalArn } from "../shared/arn";
import { checkKmsKeyArn, checkRegion, keyRegionProblem, requireOptOut } from "../shared/checks";
import { DYNAMODB_LIMITS } from "../shared/awsLimits";
import { checkKeyDeletionWindow } from "../shared/customerManagedKey";
import { checkOrganizationId, checkVpcEndpointId } from "../shared/resourceIds";
import { ArgumentProblems, Validated, checkInput, inRange, oneOf } from "../shared/validation";
import { HardenedTableArgs, HardenedTableReplicaArgs } from "./hardenedTableArgs";
import { InheritedSetting, REPLICA_INHERITED_SETTINGS, streamViewTypeOf } from "./resolveTableArgs";

export const ATTRIBUTE_TYPES = ["S", "N", "B"] as const;
export const BILLING_MODES = ["PAY_PER_REQUEST", "PROVISIONED"] as const;
export const TABLE_CLASSES = ["STANDARD", "STANDARD_INFREQUENT_ACCESS"] as const;
export const PROJECTION_TYPES = ["ALL", "KEYS_ONLY", "INCLUDE"] as const;
export const STREAM_VIEW_TYPES = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] as const;
export const REPLICA_KEY_STRATEGIES = ["multiRegion", "perRegion"] as const;
export const CONSISTENCY_MODES = ["eventual", "strong"] as const;

/** Regions that can form a multi-Region strongly consistent global table together. */
export const STRONG_CONSISTENCY_REGION_SETS: Record<string, readonly string[]> = {
  US: ["us-east-1", "us-east-2", "us-west-2"],
  EU: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
  AP: ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

function regionSet(region: string): string | undefined {
  return Object.entries(STRONG_CONSISTENCY_REGION_SETS).find(([, regions]) => regions.includes(region))?.[0];
}

function validateKeys(args: HardenedTableArgs, problems: ArgumentProblems): void {
  const attributeNames = new Set<string>();
  args.attributes?.forEach((attribute, i) => {
    if (attributeNames.has(attribute.name))
      problems.add(`attributes[${i}].name`, `"${attribute.name}" is listed twice`);
    attributeNames.add(attribute.name);
    const reason = oneOf(ATTRIBUTE_TYPES)(attribute.type);
    if (reason) problems.add(`attributes[${i}].type`, reason);
  });
  if (!args.attributes?.length) problems.add("attributes", "at least the hash key attribute is required");
  const requireAttribute = (path: string, name: string | undefined) => {
    if (name !== undefined && !attributeNames.has(name)) {
      problems.add(
        path,
        `"${name}" is not defined in attributes; add {name: "${name}", type: "S" | "N" | "B"}`,
      );
    }
  };
  if (!args.hashKey) problems.add("hashKey", "a partition key attribute name is required");
  requireAttribute("hashKey", args.hashKey);
  requireAttribute("rangeKey", args.rangeKey);
  const used = new Set([args.hashKey, args.rangeKey]);
  const indexNames = new Set<string>();
  args.globalSecondaryIndexes?.forEach((index, i) => {
    const path = `globalSecondaryIndexes[${i}]`;
    if (indexNames.has(index.name)) problems.add(`${path}.name`, `index "${index.name}" is defined twice`);
    indexNames.add(index.name);
    requireAttribute(`${path}.hashKey`, index.hashKey);
    requireAttribute(`${path}.rangeKey`, index.rangeKey);
    used.add(index.hashKey).add(index.rangeKey);
    validateProjection(path, index.projectionType, index.nonKeyAttributes, problems);
  });
  args.localSecondaryIndexes?.forEach((index, i) => {
    const path = `localSecondaryIndexes[${i}]`;
    if (indexNames.has(index.name)) problems.add(`${path}.name`, `index "${index.name}" is defined twice`);
    indexNames.add(index.name);
    requireAttribute(`${path}.rangeKey`, index.rangeKey);
    used.add(index.rangeKey);
    validateProjection(path, index.projectionType, index.nonKeyAttributes, problems);
  });
  const projected = [...(args.globalSecondaryIndexes ?? []), ...(args.localSecondaryIndexes ?? [])].reduce(
    (sum, index) => sum + (index.nonKeyAttributes?.length ?? 0),
    0,
  );
  if (projected > DYNAMODB_LIMITS.projectedNonKeyAttributes) {
    problems.add(
      "globalSecondaryIndexes",
      `${projected} projected non-key attributes over all indexes; DynamoDB allows at most ${DYNAMODB_LIMITS.projectedNonKeyAttributes} per table (an attribute projected into two indexes counts twice)`,
    );
  }
  if (args.localSecondaryIndexes?.length && !args.rangeKey) {
    problems.add("localSecondaryIndexes", "local secondary indexes need a table with a rangeKey");
  }
  args.attributes?.forEach((attribute, i) => {
    if (!used.has(attribute.name)) {
      problems.add(
        `attributes[${i}].name`,
        `"${attribute.name}" is not a table or index key; DynamoDB rejects unused attribute definitions`,
      );
    }
  });
}

function validateProjection(
  path: string,
  projectionType: string | undefined,
  nonKeyAttributes: string[] | undefined,
  problems: ArgumentProblems,
): void {
  problems.check(`${path}.projectionType`, projectionType, oneOf(PROJECTION_TYPES));
  if (nonKeyAttributes?.length && projectionType !== "INCLUDE") {
    problems.add(`${path}.nonKeyAttributes`, `only allowed with projectionType "INCLUDE"`);
  }
}

function validateCapacity(args: HardenedTableArgs, problems: ArgumentProblems): void {
  const billingMode = args.billingMode ?? "PAY_PER_REQUEST";
  const reason = oneOf(BILLING_MODES)(billingMode);
  if (reason) problems.add("billingMode", reason);
  const scaling = args.autoscaling;
  if (billingMode === "PROVISIONED" && !scaling) {
    problems.add(
      "autoscaling",
      `required when billingMode is "PROVISIONED" (min/max read and write capacity); or use "PAY_PER_REQUEST"`,
    );
  }
  if (billingMode === "PAY_PER_REQUEST" && scaling) {
    problems.add("autoscaling", `only applies when billingMode is "PROVISIONED"`);
  }
  // A replica's PITR is a boolean in the provider (no period): AWS applies its default 35-day window to
  // every replica, whatever the table's recoveryPeriodInDays.
  const pitr = args.pointInTimeRecovery ?? true;
  const period = args.recoveryPeriodInDays;
  if (
    typeof period === "number" &&
    period !== 35 &&
    args.replicas?.some((r) => r.pointInTimeRecovery ?? pitr)
  ) {
    problems.add(
      "recoveryPeriodInDays",
      `${period} days cannot apply to the replicas: the AWS provider turns replica PITR on with AWS's default 35-day window and has no argument for its period. Leave recoveryPeriodInDays at 35 on a global table`,
    );
  }
  // A provisioned table's replicas are TableReplica resources created after its autoscaling (see
  // tableReplicas.ts), and TableReplica has no consistency mode: multi-Region strong consistency
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/multi-region-strong-consistency-gt.html)
  // can only be set on the table's inline replicas, which DynamoDB refuses on a provisioned table.
  if (billingMode === "PROVISIONED" && args.consistency === "strong" && args.replicas?.length) {
    problems.add(
      "consistency",
      `"strong" cannot be combined with billingMode "PROVISIONED": a provisioned table's replicas must be added after its autoscaling (otherwise "ValidationException: Table write capacity should either be Pay-Per-Request or AutoScaled."), and replicas added that way (aws.dynamodb.TableReplica) cannot set a consistency mode. Use billingMode "PAY_PER_REQUEST" for a strongly consistent global table, or consistency "eventual"`,
    );
  }
  if (!scaling) return;
  const capacity = inRange(1, 40000, "capacity units");
  for (const key of ["minReadCapacity", "maxReadCapacity", "minWriteCapacity", "maxWriteCapacity"] as const) {
    const r = capacity(scaling[key]);
    if (r) problems.add(`autoscaling.${key}`, r);
  }
  if (scaling.minReadCapacity > scaling.maxReadCapacity) {
    problems.add(
      "autoscaling.minReadCapacity",
      `${scaling.minReadCapacity} is above maxReadCapacity ${scaling.maxReadCapacity}`,
    );
  }
  if (scaling.minWriteCapacity > scaling.maxWriteCapacity) {
    problems.add(
      "autoscaling.minWriteCapacity",
      `${scaling.minWriteCapacity} is above maxWriteCapacity ${scaling.maxWriteCapacity}`,
    );
  }
  problems.check("autoscaling.targetUtilization", scaling.targetUtilization, inRange(20, 90, "percent"));
  for (const key of ["scaleInCooldown", "scaleOutCooldown"] as const) {
    const value = scaling[key];
    problems.check(`autoscaling.${key}`, value, inRange(0, 86400, "seconds"));
  }
}

function validateProtection(args: HardenedTableArgs, problems: ArgumentProblems): void {
  problems.check("recoveryPeriodInDays", args.recoveryPeriodInDays, inRange(1, 35, "days"));
  if (args.pointInTimeRecovery === false && args.recoveryPeriodInDays !== undefined) {
    problems.add("recoveryPeriodInDays", "only applies when pointInTimeRecovery is on");
  }
  problems.check("keyDeletionWindowInDays", args.keyDeletionWindowInDays, checkKeyDeletionWindow);
}

/**
 * The settings replicas inherit are hardened defaults: turning one off, on the table or on a replica,
 * needs the table's opt-out argument.
 */
function validateInheritedOptOuts(args: HardenedTableArgs, problems: ArgumentProblems): void {
  const sites: { path: string; own: Partial<Record<InheritedSetting, boolean>> }[] = [
    { path: "", own: args },
    ...(args.replicas ?? []).map((replica, i) => ({ path: `replicas[${i}].`, own: replica })),
  ];
  for (const setting of Object.keys(REPLICA_INHERITED_SETTINGS) as InheritedSetting[]) {
    const rule = REPLICA_INHERITED_SETTINGS[setting];
    for (const { path, own } of sites) {
      requireOptOut(
        problems,
        `${path}${setting}`,
        own[setting],
        { name: rule.optOut, given: args[rule.optOut] },
        rule.what,
      );
    }
  }
}

export function checkTableKmsKeyArn(
  value: string,
  allowAwsManagedKey: boolean | undefined,
): string | undefined {
  if (isAwsManagedDynamoDbKey(value)) {
    return allowAwsManagedKey
      ? undefined
      : "alias/aws/dynamodb is an AWS-managed key: no control over its policy, no revocation; use a customer-managed key ARN or set allowAwsManagedKey: true";
  }
  return checkKmsKeyArn(value);
}

function validateStream(args: HardenedTableArgs, problems: ArgumentProblems): void {
  const stream = args.stream;
  const hasReplicas = !!args.replicas?.length;
  if (!stream) return;
  const viewType = streamViewTypeOf(args)!;
  const reason = oneOf(STREAM_VIEW_TYPES)(viewType);
  if (reason) {
    problems.add("stream.viewType", reason);
    return;
  }
  if (hasReplicas && viewType !== "NEW_AND_OLD_IMAGES") {
    problems.add(
      "stream.viewType",
      `global table replication needs "NEW_AND_OLD_IMAGES"; remove viewType or set it so`,
    );
  }
  if (viewType === "NEW_AND_OLD_IMAGES" && !hasReplicas && !stream.reason?.trim()) {
    problems.add(
      "stream.reason",
      `"NEW_AND_OLD_IMAGES" exposes whole items before and after each change; say why consumers need both, or use "KEYS_ONLY" or "NEW_IMAGE"`,
    );
  }
}

function validateAccess(
  args: HardenedTableArgs,
  problems: ArgumentProblems,
  checked: CheckedTableInputs,
): void {
  const access = args.access;
  if (!access) return;
  const principal = (v: string) =>
    v === "*" || v.includes("*")
      ? `"${v}" is a wildcard; name IAM role or user ARNs`
      : isPrincipalArn(v)
        ? undefined
        : `"${v}" is not an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)`;
  checked.readerPrincipals = access.readerPrincipals?.map((p, i) =>
    checkInput(p, `access.readerPrincipals[${i}]`, principal, problems, { childrenWait: false })!,
  );
  checked.writerPrincipals = access.writerPrincipals?.map((p, i) =>
    checkInput(p, `access.writerPrincipals[${i}]`, principal, problems, { childrenWait: false })!,
  );
  if (!access.readerPrincipals?.length && !access.writerPrincipals?.length) {
    problems.add(
      "access",
      "name at least one principal in readerPrincipals or writerPrincipals, or remove access",
    );
  }
  problems.check("access.organizationId", access.organizationId, checkOrganizationId);
  // Principals and the endpoint often come from resources that take this table's ARN: only the
  // resource policies that use them wait for their checks (see `checkInput`).
  checked.sourceVpce = checkInput(access.sourceVpce, "access.sourceVpce", checkVpcEndpointId, problems, {
    childrenWait: false,
  });
  if (args.multiTenant && !access.tenantPrincipalTag) {
    problems.add(
      "access.tenantPrincipalTag",
      "required on a multiTenant table: name the principal tag holding each caller's tenant, so grants are limited by dynamodb:LeadingKeys",
    );
  }
  if (access.tenantPrincipalTag !== undefined && !/^[\w.:/=+\-@]{1,128}$/.test(access.tenantPrincipalTag)) {
    problems.add("access.tenantPrincipalTag", `"${access.tenantPrincipalTag}" is not a valid IAM tag key`);
  }
}

/**
 * A gateway endpoint serves only the region it is created in (VPC endpoints are supported within the same
 * Region only: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html), so `aws:sourceVpce` of the table's endpoint never matches a request
 * to a replica in another region: each replica's policy needs its own region's endpoint.
 */
function validateReplicaSourceVpce(
  args: HardenedTableArgs,
  replica: HardenedTableReplicaArgs,
  path: string,
  problems: ArgumentProblems,
  checked: CheckedTableInputs,
): void {
  const tableVpce = args.access?.sourceVpce;
  if (replica.sourceVpce === undefined) {
    if (tableVpce !== undefined) {
      problems.add(
        `${path}.sourceVpce`,
        `required with access.sourceVpce: a gateway endpoint serves only its own region, so the table's endpoint can never match a request to the ${replica.region} replica and its readers and writers would be denied there after a failover; give the DynamoDB gateway endpoint of ${replica.region}`,
      );
    }
    return;
  }
  if (tableVpce === undefined) {
    problems.add(
      `${path}.sourceVpce`,
      "only with access.sourceVpce: set the table's own endpoint there, or remove this one",
    );
    return;
  }
  checked.replicaSourceVpces[replica.region] = checkInput(
    replica.sourceVpce,
    `${path}.sourceVpce`,
    (v) =>
      checkVpcEndpointId(v) ??
      (typeof tableVpce === "string" && v === tableVpce
        ? `${v} is the table's own endpoint (access.sourceVpce); a gateway endpoint serves only its own region, give the endpoint of ${replica.region}`
        : undefined),
    problems,
  );
}

function validateReplicas(
  args: HardenedTableArgs,
  problems: ArgumentProblems,
  checked: CheckedTableInputs,
): void {
  const replicas = args.replicas ?? [];
  problems.check("region", args.region, checkRegion);
  problems.check("replicaKeyStrategy", args.replicaKeyStrategy, oneOf(REPLICA_KEY_STRATEGIES));
  if (replicas.length && args.region === undefined) {
    problems.add("region", "required with replicas, so every replica and key lands in a known region");
  }
  const seen = new Set<string>();
  replicas.forEach((replica, i) => {
    const path = `replicas[${i}]`;
    problems.check(`${path}.region`, String(replica.region), checkRegion);
    if (replica.region === args.region) {
      problems.add(
        `${path}.region`,
        `"${replica.region}" is the table's own region; list only other regions`,
      );
    }
    if (seen.has(replica.region)) problems.add(`${path}.region`, `"${replica.region}" is listed twice`);
    seen.add(replica.region);
    validateReplicaSourceVpce(args, replica, path, problems, checked);
    checked.replicaKmsKeyArns[replica.region] = checkInput(
      replica.kmsKeyArn,
      `${path}.kmsKeyArn`,
      (v) =>
        checkTableKmsKeyArn(v, args.allowAwsManagedKey) ?? keyRegionProblem(v, replica.region, "the replica"),
      problems,
    );
  });
  validateConsistency(args, problems);
}

function validateConsistency(args: HardenedTableArgs, problems: ArgumentProblems): void {
  const consistency = args.consistency ?? "eventual";
  const r = oneOf(CONSISTENCY_MODES)(consistency);
  if (r) {
    problems.add("consistency", r);
    return;
  }
  if (consistency === "eventual") {
    if (args.witnessRegion !== undefined)
      problems.add("witnessRegion", `only applies with consistency "strong"`);
    return;
  }
  const regions = [args.region, ...(args.replicas ?? []).map((rep) => rep.region)].filter(
    (x): x is string => x !== undefined,
  );
  const witness = args.witnessRegion;
  if (witness !== undefined) {
    problems.check("witnessRegion", witness, checkRegion);
    if (regions.includes(witness)) problems.add("witnessRegion", `"${witness}" is already a replica region`);
  }
  const expected = witness === undefined ? 3 : 2;
  if (regions.length !== expected) {
    problems.add(
      "replicas",
      `strong consistency needs exactly three regions (the table's and two replicas), or two plus a witnessRegion; got ${regions.length}${witness ? " plus a witness" : ""}`,
    );
  }
  const sets = new Set([...regions, ...(witness ? [witness] : [])].map((x) => regionSet(x) ?? `none:${x}`));
  if (sets.size > 1 || [...sets].some((s) => s.startsWith("none:"))) {
    const allowed = Object.entries(STRONG_CONSISTENCY_REGION_SETS)
      .map(([k, v]) => `${k}: ${v.join(", ")}`)
      .join("; ");
    problems.add("replicas", `strong consistency needs all regions in one region set (${allowed})`);
  }
}

/** Inputs that may be Outputs, wrapped so that they are checked once known. */
export interface CheckedTableInputs {
  kmsKeyArn?: pulumi.Input<string>;
  readerPrincipals?: pulumi.Input<string>[];
  writerPrincipals?: pulumi.Input<string>[];
  sourceVpce?: pulumi.Input<string>;
  replicaKmsKeyArns: Record<string, pulumi.Input<string> | undefined>;
  /** The gateway endpoint of each replica's region, when `access.sourceVpce` is set. */
  replicaSourceVpces: Record<string, pulumi.Input<string> | undefined>;
}

/**
 * Every problem with `HardenedTable` arguments, found before any resource is created. Values that are
 * Outputs come back wrapped in `checked`: they are checked when they resolve.
 */
export function validateHardenedTableArgs(
  _name: string,
  args: HardenedTableArgs,
): Validated<CheckedTableInputs> {
  const problems = new ArgumentProblems();
  const checked: CheckedTableInputs = { replicaKmsKeyArns: {}, replicaSourceVpces: {} };
  if (!args) {
    problems.add("args", "hashKey and attributes are required");
    return { problems, checked };
  }
  validateKeys(args, problems);
  validateCapacity(args, problems);
  validateProtection(args, problems);
  validateInheritedOptOuts(args, problems);
  if (args.tableClass !== undefined) {
    const r = oneOf(TABLE_CLASSES)(args.tableClass);
    if (r) problems.add("tableClass", r);
  }
  // One check for a known key and a key given as an Output: the region rule applies to both.
  checked.kmsKeyArn = checkInput(
    args.kmsKeyArn,
    "kmsKeyArn",
    (v) => checkTableKmsKeyArn(v, args.allowAwsManagedKey) ?? keyRegionProblem(v, args.region, "the table"),
    problems,
  );
  validateStream(args, problems);
  validateAccess(args, problems, checked);
  validateReplicas(args, problems, checked);
  return { problems, checked };
}
