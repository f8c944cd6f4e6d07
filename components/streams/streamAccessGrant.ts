import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { isAwsManagedDynamoDbKey } from "../shared/arn";
import { policyJson } from "../shared/policyDocument";
import { checkOrganizationId } from "../shared/resourceIds";
import { dynamoDbEncryptionContext, streamArnParts, streamResourcePolicy } from "./streamPolicies";
import {
  awsManagedKeyProblem,
  checkKeyArn,
  checkRegionAgainstStream,
  checkRoleArns,
  checkStreamArn,
  keyAgainstStream,
  validateViewTypes,
} from "./streamValidation";
import {
  ArgumentProblems,
  Validated,
  checkAgainst,
  checkInput,
  isKnown,
  validateArgs,
} from "../shared/validation";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { DeferredChecks } from "../shared/deferredChecks";
import { STREAM_ACCESS_GRANT_ARGUMENT_TYPES } from "./streamArgumentTypes";

/** DynamoDB's limit for a resource-based policy, whitespace included (we serialize without any). */
const MAX_POLICY_BYTES = 20 * 1024;

/** Arguments of `StreamAccessGrant`, deployed in the table's account. */
export interface StreamAccessGrantArgs {
  /** The stream to share: `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>`. No wildcards. */
  streamArn: pulumi.Input<string>;
  /** IAM role ARNs of the consumers (usually Lambda execution roles in other accounts). At least one; no wildcards. */
  consumerRoleArns: pulumi.Input<string>[];
  /** When set, consumers must also belong to this AWS Organization (`aws:PrincipalOrgID`). */
  organizationId?: string;
  /**
   * The customer-managed KMS key that encrypts the table, in the stream's region. When set, each consumer
   * role gets a KMS grant for `Decrypt` and `DescribeKey`, constrained to this table's encryption context.
   * `alias/aws/dynamodb` is accepted only when every consumer is in the table's account.
   */
  kmsKeyArn?: pulumi.Input<string>;
  /** The region of the stream. Default: the stream ARN's region, else the provider's. Must equal the stream's region. */
  region?: string;
  /** The stream's view type (`KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES`), checked against `neededViewType`. */
  streamViewType?: string;
  /** The least view type the consumers need; a stream that exposes more is refused unless `allowWiderViewType`. */
  neededViewType?: string;
  /** Accepts a stream that exposes more than `neededViewType` (e.g. a global table's `NEW_AND_OLD_IMAGES`). Default false. */
  allowWiderViewType?: boolean;
}

/**
 * Lets named consumer roles read one DynamoDB stream from other accounts: a stream resource policy with
 * the three read actions on that stream only, and, for a customer-managed table key, one KMS grant per
 * consumer limited to this table. Deploy it in the table's account, before the consumer's mapping.
 */
export class StreamAccessGrant extends pulumi.ComponentResource {
  /** The stream resource policy. */
  public readonly policy: aws.dynamodb.ResourcePolicy;
  /** The KMS grants, one per consumer role, when `kmsKeyArn` is a customer-managed key. */
  public readonly keyGrants: aws.kms.Grant[];
  /** The shared stream ARN. Depends on the policy and the key grants: a consumer that uses it is created after them. */
  public readonly streamArn: pulumi.Output<string>;
  /** The consumer role ARNs the policy names. */
  public readonly consumerRoleArns: pulumi.Output<string[]>;

  constructor(name: string, args: StreamAccessGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    const awsRules = checkArgumentTypes("StreamAccessGrant", name, args, STREAM_ACCESS_GRANT_ARGUMENT_TYPES);
    const { problems, checked } = validateStreamAccessGrantArgs(name, args);
    problems.include(awsRules).throwIfAny("StreamAccessGrant", name);
    const deferred = new DeferredChecks();
    super("dynamodb-hardened:index:StreamAccessGrant", name, args, deferred.options(opts));
    // Children wait for the checks of arguments given as Outputs: a value refused once known creates nothing.
    deferred.waitFor(...problems.deferredChecks);

    const awsManagedKey = isKnown(args.kmsKeyArn) && isAwsManagedDynamoDbKey(args.kmsKeyArn);
    const document = pulumi
      .all([checked.streamArn, pulumi.all(checked.consumerRoleArns)])
      .apply(([streamArn, roles]) => {
        if (awsManagedKey) {
          roles.forEach((role, i) => {
            const reason = awsManagedKeyProblem(streamArn, role);
            if (reason)
              throw new pulumi.InputPropertyError({ propertyPath: `consumerRoleArns[${i}]`, reason });
          });
        }
        const policy = streamResourcePolicy(streamArn, roles, { organizationId: args.organizationId });
        const reason = policySizeProblem(policy);
        if (reason) throw new pulumi.InputPropertyError({ propertyPath: "consumerRoleArns", reason });
        return policy;
      });
    // A policy too large once Output role ARNs are known creates no key grant either.
    deferred.waitFor(document);
    this.policy = new aws.dynamodb.ResourcePolicy(
      `${name}-policy`,
      { resourceArn: checked.streamArn, policy: policyJson(document), region: checked.region },
      { parent: this },
    );

    this.keyGrants = [];
    if (checked.kmsKeyArn !== undefined && !awsManagedKey) {
      const context = pulumi.output(checked.streamArn).apply((arn) => {
        const parts = streamArnParts(arn);
        return parts ? dynamoDbEncryptionContext(parts.tableName, parts.accountId) : {};
      });
      checked.consumerRoleArns.forEach((role, i) => {
        this.keyGrants.push(
          new aws.kms.Grant(
            `${name}-decrypt-${i}`,
            {
              name: `${name}-stream-read`,
              keyId: checked.kmsKeyArn!,
              granteePrincipal: role,
              operations: ["Decrypt", "DescribeKey"],
              constraints: [{ encryptionContextSubset: context }],
              region: checked.region,
            },
            { parent: this },
          ),
        );
      });
    }

    // Consumers that take this ARN are created after the policy and the key grants exist.
    this.streamArn = pulumi
      .all([this.policy.resourceArn, ...this.keyGrants.map((g) => g.grantId)])
      .apply(([arn]) => arn);
    this.consumerRoleArns = pulumi.all(checked.consumerRoleArns);
    this.registerOutputs({
      policy: this.policy,
      keyGrants: this.keyGrants,
      streamArn: this.streamArn,
      consumerRoleArns: this.consumerRoleArns,
    });
  }
}

/**
 * DynamoDB refuses a resource policy over 20 KB.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html
 */
function policySizeProblem(policy: unknown): string | undefined {
  const size = JSON.stringify(policy).length;
  return size > MAX_POLICY_BYTES
    ? `the stream policy would be ${size} bytes; DynamoDB accepts at most ${MAX_POLICY_BYTES}. Share the stream with fewer roles (e.g. one role per consumer account)`
    : undefined;
}

interface CheckedGrantInputs {
  streamArn: pulumi.Input<string>;
  consumerRoleArns: pulumi.Input<string>[];
  kmsKeyArn?: pulumi.Input<string>;
  region?: string;
}

/** Every problem with `StreamAccessGrant` arguments, found before any resource is created. */
export function validateStreamAccessGrantArgs(
  _name: string,
  args: StreamAccessGrantArgs,
): Validated<CheckedGrantInputs> {
  return validateArgs(
    args,
    "streamArn and consumerRoleArns",
    { streamArn: "", consumerRoleArns: [] },
    checkedGrantInputs,
  );
}

function checkedGrantInputs(args: StreamAccessGrantArgs, problems: ArgumentProblems): CheckedGrantInputs {
  if (args.streamArn === undefined) problems.add("streamArn", "the ARN of the stream to share is required");
  const streamArn = checkInput(args.streamArn, "streamArn", checkStreamArn, problems) ?? "";
  const consumerRoleArns = checkRoleArns(args.consumerRoleArns, "consumerRoleArns", problems);
  if (isKnown(args.streamArn) && isKnown(args.kmsKeyArn) && isAwsManagedDynamoDbKey(args.kmsKeyArn)) {
    args.consumerRoleArns?.forEach((role, i) => {
      const reason = isKnown(role) ? awsManagedKeyProblem(args.streamArn as string, role) : undefined;
      if (reason) problems.add(`consumerRoleArns[${i}]`, reason);
    });
  }
  if (args.organizationId !== undefined) {
    const reason = checkOrganizationId(args.organizationId);
    if (reason) problems.add("organizationId", reason);
  }
  const roles = args.consumerRoleArns ?? [];
  if (isKnown(args.streamArn) && roles.every((role) => isKnown(role)) && problems.count === 0) {
    const policy = streamResourcePolicy(args.streamArn, roles as string[], {
      organizationId: args.organizationId,
    });
    const reason = policySizeProblem(policy);
    if (reason) problems.add("consumerRoleArns", reason);
  }
  const region = checkRegionAgainstStream(args.region, args.streamArn, problems, "the stream policy");
  const kmsKeyArn =
    isKnown(args.kmsKeyArn) && isAwsManagedDynamoDbKey(args.kmsKeyArn)
      ? args.kmsKeyArn
      : checkInput(args.kmsKeyArn, "kmsKeyArn", (v) => checkKeyArn(v, region), problems);
  validateViewTypes(args, problems);
  // Known pairs are checked above; a key or stream given as an Output is checked against the other here.
  const bothKnown = isKnown(args.kmsKeyArn) && isKnown(args.streamArn);
  const keyArn = bothKnown
    ? kmsKeyArn
    : checkAgainst(
        kmsKeyArn,
        args.streamArn,
        "kmsKeyArn",
        (k: string, s: string) => keyAgainstStream(k, s),
        problems,
      );
  return { streamArn, consumerRoleArns, kmsKeyArn: keyArn, region };
}
