import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HardenedTableArgs, HardenedTableAutoscalingArgs } from "./hardenedTableArgs";
import { CheckedInputs, validateHardenedTableArgs } from "./hardenedTableValidation";
import { AccountContext, accountContext } from "./accountContext";
import { isAwsManagedDynamoDbKey, parseArn } from "./arn";
import { dynamoDbKeyPolicy } from "./kmsKeyPolicy";
import { policyJson } from "./policyDocument";
import { tableResourcePolicy } from "./tableAccess";
import { StreamAccessGrant } from "./streamAccessGrant";
import { RegionalTableKey, grantTableKeyUse } from "./tableKeyGrants";
import { StreamReadGrantOptions, grantTableStreamRead } from "./tableStreamGrants";
import { BACKUP_TAG, STREAM_REASON_TAG, componentTags, tagValue } from "./tags";

/**
 * AWS-managed keys cannot be shared with other accounts, so DynamoDB refuses cross-account use of a table
 * they encrypt (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html).
 */
function refuseCrossAccountWithAwsManagedKey(
  tableArn: string,
  args: HardenedTableArgs,
  readers: string[],
  writers: string[],
): void {
  if (!isAwsManagedDynamoDbKey(String(args.kmsKeyArn ?? ""))) return;
  const tableAccount = parseArn(tableArn)?.accountId;
  const named = [
    ...readers.map((p, i) => [`access.readerPrincipals[${i}]`, p] as const),
    ...writers.map((p, i) => [`access.writerPrincipals[${i}]`, p] as const),
  ];
  for (const [propertyPath, principal] of named) {
    const account = parseArn(principal)?.accountId;
    if (account && tableAccount && account !== tableAccount) {
      throw new pulumi.InputPropertyError({
        propertyPath,
        reason: `${principal} is in account ${account}, but the table (account ${tableAccount}) is encrypted with the AWS-managed key alias/aws/dynamodb, which cannot be shared with other accounts: every request would fail on KMS (AccessDeniedException). Use a customer-managed key (leave kmsKeyArn unset)`,
      });
    }
  }
}

/** The tag the policy pack reads to require `dynamodb:LeadingKeys` conditions on a table. */
export const MULTI_TENANT_TAG = "dynamodb-hardened:multi-tenant";
/** The stream reason recorded when a stream exists because global table replication needs it. */
export const REPLICATION_STREAM_REASON = "global-table-replication";

// Kept outside the class: a field would be published as an output in the component package's schema.
const argumentsOf = new WeakMap<HardenedTable, HardenedTableArgs>();

const DEFAULT_RECOVERY_DAYS = 35;
const MAX_RESOURCE_POLICY_BYTES = 20 * 1024;
const DEFAULT_KEY_DELETION_WINDOW = 30;
const DEFAULT_TARGET_UTILIZATION = 70;

/**
 * A DynamoDB table that follows the twelve practices by default: a customer-managed KMS key with
 * rotation, PITR, deletion protection and Pulumi `protect`, on-demand or autoscaled capacity, no stream
 * unless asked (least view type), a least-privilege resource policy, and hardened global replicas with
 * their own-region keys.
 */
export class HardenedTable extends pulumi.ComponentResource {
  /** The DynamoDB table. */
  public readonly table: aws.dynamodb.Table;
  /** The table's KMS key, when the component created it. */
  public readonly key?: aws.kms.Key;
  /** The table ARN. */
  public readonly arn: pulumi.Output<string>;
  /** The physical table name. */
  public readonly name: pulumi.Output<string>;
  /** The table's region. */
  public readonly region: pulumi.Output<string>;
  /** The latest stream ARN, when a stream is enabled. */
  public readonly streamArn: pulumi.Output<string | undefined>;
  /** The ARN of the table's KMS key (created or given); undefined for an AWS-managed key. */
  public readonly keyArn: pulumi.Output<string | undefined>;
  /** Table ARNs keyed by region: the table's own region and every replica region. */
  public readonly tableArns: pulumi.Output<Record<string, string>>;
  /** Stream ARNs keyed by region, when streams are enabled. */
  public readonly streamArns: pulumi.Output<Record<string, string>>;
  /** KMS key ARNs keyed by region. */
  public readonly keyArns: pulumi.Output<Record<string, string>>;
  /** The resource policies, keyed by region, when `access` is set. */
  public readonly resourcePolicies: Record<string, aws.dynamodb.ResourcePolicy>;
  /**
   * KMS grants letting the principals named in `access` use the table's customer-managed keys through
   * DynamoDB (cross-account callers need them: the key policy allows only the table's account).
   */
  public readonly keyGrants: aws.kms.Grant[];
  constructor(name: string, args: HardenedTableArgs, opts?: pulumi.ComponentResourceOptions) {
    const { problems, checked } = validateHardenedTableArgs(args);
    problems.throwIfAny("HardenedTable", name);
    super("dynamodb-hardened:index:HardenedTable", name, {}, opts);
    argumentsOf.set(this, args);

    const tags = this.childTags(args);
    const region = args.region ?? aws.getRegionOutput({}, { parent: this }).region;
    this.region = pulumi.output(region);
    const account = accountContext(this);

    const keys = this.createKeys(name, args, checked, account, tags);
    this.key = keys.primary;
    this.table = this.createTable(name, args, keys.tableKeyArn, keys.arns, tags);
    this.arn = this.table.arn;
    this.name = this.table.name;
    this.streamArn = this.table.streamArn.apply((arn) => (arn ? arn : undefined));
    this.keyArn = keys.tableKeyArn ? pulumi.output(keys.tableKeyArn) : pulumi.output(undefined);

    const replicaRegions = (args.replicas ?? []).map((r) => r.region);
    if (args.billingMode === "PROVISIONED" && args.autoscaling) {
      for (const r of [args.region, ...replicaRegions]) {
        this.createAutoscaling(name, r, args, args.autoscaling, tags);
      }
    }

    const regionArn = (r: string) =>
      pulumi.interpolate`arn:${account.partition}:dynamodb:${r}:${account.accountId}:table/${this.table.name}`;
    this.tableArns = pulumi
      .all([this.region, this.table.arn, ...replicaRegions.map(regionArn)])
      .apply(([own, ownArn, ...arns]) => ({
        [own]: ownArn,
        ...Object.fromEntries(replicaRegions.map((r, i) => [r, arns[i]])),
      }));
    this.streamArns = pulumi
      .all([this.region, this.table.streamArn, this.table.replicas])
      .apply(([own, arn, replicas]) => {
        const byRegion: Record<string, string> = {};
        if (arn) byRegion[own] = arn;
        for (const replica of replicas ?? []) {
          if (replica.streamArn && replica.regionName) byRegion[replica.regionName] = replica.streamArn;
        }
        return byRegion;
      });
    this.keyArns = pulumi
      .all([
        this.region,
        pulumi.output(keys.tableKeyArn),
        pulumi.all(replicaRegions.map((r) => pulumi.output(keys.arns[r]))),
      ])
      .apply(([own, ownKey, replicaKeys]) => {
        const byRegion: Record<string, string> = {};
        if (ownKey) byRegion[own as string] = ownKey;
        replicaRegions.forEach((r, i) => {
          const key = replicaKeys[i];
          if (key) byRegion[r] = key;
        });
        return byRegion;
      });

    this.resourcePolicies = {};
    if (args.access) {
      const ownRegionArn = this.table.arn;
      this.resourcePolicies[args.region ?? "default"] = this.createResourcePolicy(
        `${name}-policy`,
        args.region,
        ownRegionArn,
        checked,
        checked.sourceVpce,
        args,
      );
      for (const r of replicaRegions) {
        this.resourcePolicies[r] = this.createResourcePolicy(
          `${name}-policy-${r}`,
          r,
          regionArn(r),
          checked,
          checked.replicaSourceVpces[r],
          args,
        );
      }
    }

    this.keyGrants = [];
    if (args.access) {
      const keysByRegion: RegionalTableKey[] = [];
      if (keys.tableKeyArn !== undefined) {
        keysByRegion.push({ region: args.region, suffix: "", keyArn: keys.tableKeyArn });
      }
      for (const r of replicaRegions) {
        const keyArn = keys.arns[r];
        if (keyArn !== undefined) keysByRegion.push({ region: r, suffix: `-${r}`, keyArn });
      }
      this.keyGrants = grantTableKeyUse(
        name,
        keysByRegion,
        checked.readerPrincipals ?? [],
        checked.writerPrincipals ?? [],
        this.table.name,
        account.accountId,
        this,
      );
    }

    this.registerOutputs({
      table: this.table,
      key: this.key,
      arn: this.arn,
      name: this.name,
      region: this.region,
      streamArn: this.streamArn,
      keyArn: this.keyArn,
      tableArns: this.tableArns,
      streamArns: this.streamArns,
      keyArns: this.keyArns,
    });
  }

  /**
   * Lets consumer roles (usually Lambda execution roles in other accounts) read this table's stream: one
   * `StreamAccessGrant` per region, the table's and every replica's, keyed like `resourcePolicies`.
   * See docs/streams.md.
   * @otherLanguages Declare one StreamAccessGrant per region with streamArn from this table's streamArns output and kmsKeyArn from its keyArns output.
   */
  public grantStreamRead(
    name: string,
    consumerRoleArns: pulumi.Input<string>[],
    opts?: StreamReadGrantOptions,
  ): Record<string, StreamAccessGrant> {
    return grantTableStreamRead(this, argumentsOf.get(this)!, name, consumerRoleArns, opts);
  }

  private childTags(args: HardenedTableArgs): Record<string, string> {
    return {
      ...componentTags(args.tags, "HardenedTable"),
      [BACKUP_TAG.key]: BACKUP_TAG.value,
    };
  }

  private createKeys(
    name: string,
    args: HardenedTableArgs,
    checked: CheckedInputs,
    account: AccountContext,
    tags: Record<string, string>,
  ): {
    primary?: aws.kms.Key;
    tableKeyArn?: pulumi.Input<string>;
    arns: Record<string, pulumi.Input<string> | undefined>;
  } {
    const replicas = args.replicas ?? [];
    const awsManaged = isAwsManagedDynamoDbKey(String(args.kmsKeyArn ?? ""));
    const strategy = args.replicaKeyStrategy ?? "multiRegion";
    const deletionWindowInDays = args.keyDeletionWindowInDays ?? DEFAULT_KEY_DELETION_WINDOW;
    const keyPolicy = (region: pulumi.Input<string>) =>
      policyJson(
        pulumi
          .all([account.partition, account.accountId, region])
          .apply(([partition, accountId, r]) => dynamoDbKeyPolicy({ partition, accountId, region: r })),
      );
    const arns: Record<string, pulumi.Input<string> | undefined> = {};
    // Keys are protected like the table they encrypt. Replacing one schedules the old key for deletion,
    // and backups and PITR restores taken before the change still need it: a replacement is refused
    // (protect) unless allowed by name, and then the old key is kept (retainOnDelete).
    const keyOptions: pulumi.CustomResourceOptions = args.allowKeyReplacement
      ? { parent: this, protect: false, retainOnDelete: true }
      : { parent: this, protect: args.protect ?? true, retainOnDelete: args.retainOnDelete };

    let primary: aws.kms.Key | undefined;
    let tableKeyArn: pulumi.Input<string> | undefined = awsManaged ? undefined : checked.kmsKeyArn;
    if (args.kmsKeyArn === undefined) {
      primary = new aws.kms.Key(
        `${name}-key`,
        {
          description: `DynamoDB table ${name}: customer-managed encryption key`,
          enableKeyRotation: true,
          deletionWindowInDays,
          multiRegion: replicas.length > 0 && strategy === "multiRegion",
          policy: keyPolicy(args.region ?? this.region),
          region: args.region,
          tags,
        },
        keyOptions,
      );
      tableKeyArn = primary.arn;
    }

    for (const replica of replicas) {
      const replicaTags = { ...tags, ...(replica.tags ?? {}) };
      const given = checked.replicaKmsKeyArns[replica.region];
      if (given !== undefined) {
        arns[replica.region] = isAwsManagedDynamoDbKey(String(given)) ? undefined : given;
      } else if (awsManaged) {
        arns[replica.region] = undefined;
      } else if (primary && strategy === "multiRegion") {
        arns[replica.region] = new aws.kms.ReplicaKey(
          `${name}-key-${replica.region}`,
          {
            description: `DynamoDB table ${name}: replica key in ${replica.region}`,
            primaryKeyArn: primary.arn,
            deletionWindowInDays,
            policy: keyPolicy(replica.region),
            region: replica.region,
            tags: replicaTags,
          },
          keyOptions,
        ).arn;
      } else {
        arns[replica.region] = new aws.kms.Key(
          `${name}-key-${replica.region}`,
          {
            description: `DynamoDB table ${name}: replica key in ${replica.region}`,
            enableKeyRotation: true,
            multiRegion: false,
            deletionWindowInDays,
            policy: keyPolicy(replica.region),
            region: replica.region,
            tags: replicaTags,
          },
          keyOptions,
        ).arn;
      }
    }
    return { primary, tableKeyArn, arns };
  }

  private createTable(
    name: string,
    args: HardenedTableArgs,
    tableKeyArn: pulumi.Input<string> | undefined,
    replicaKeyArns: Record<string, pulumi.Input<string> | undefined>,
    tags: Record<string, string>,
  ): aws.dynamodb.Table {
    const provisioned = args.billingMode === "PROVISIONED";
    const scaling = args.autoscaling;
    const replicas = args.replicas ?? [];
    const pitr = args.pointInTimeRecovery ?? true;
    const deletionProtection = args.deletionProtection ?? true;
    const strong = args.consistency === "strong";
    const awsManaged = isAwsManagedDynamoDbKey(String(args.kmsKeyArn ?? ""));

    const streamEnabled = !!args.stream || replicas.length > 0;
    const viewType = streamEnabled
      ? (args.stream?.viewType ?? (replicas.length ? "NEW_AND_OLD_IMAGES" : "KEYS_ONLY"))
      : undefined;
    const tableTags: Record<string, string> = { ...tags };
    if (streamEnabled) {
      tableTags[STREAM_REASON_TAG] = tagValue(
        args.stream?.reason ?? (replicas.length ? REPLICATION_STREAM_REASON : `least exposure: ${viewType}`),
      );
    }
    if (args.multiTenant) tableTags[MULTI_TENANT_TAG] = "true";

    const ignoreChanges = provisioned
      ? [
          "readCapacity",
          "writeCapacity",
          "globalSecondaryIndexes[*].readCapacity",
          "globalSecondaryIndexes[*].writeCapacity",
        ]
      : [];

    return new aws.dynamodb.Table(
      name,
      {
        name: args.name,
        region: args.region,
        hashKey: args.hashKey,
        rangeKey: args.rangeKey,
        attributes: args.attributes.map((a) => ({ name: a.name, type: a.type })),
        globalSecondaryIndexes: args.globalSecondaryIndexes?.map((index) => ({
          name: index.name,
          hashKey: index.hashKey,
          rangeKey: index.rangeKey,
          projectionType: index.projectionType ?? "ALL",
          nonKeyAttributes: index.nonKeyAttributes,
          readCapacity: provisioned ? scaling?.minReadCapacity : undefined,
          writeCapacity: provisioned ? scaling?.minWriteCapacity : undefined,
        })),
        localSecondaryIndexes: args.localSecondaryIndexes?.map((index) => ({
          name: index.name,
          rangeKey: index.rangeKey,
          projectionType: index.projectionType ?? "ALL",
          nonKeyAttributes: index.nonKeyAttributes,
        })),
        ttl: args.ttlAttribute ? { attributeName: args.ttlAttribute, enabled: true } : undefined,
        tableClass: args.tableClass ?? "STANDARD",
        billingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
        readCapacity: provisioned ? scaling?.minReadCapacity : undefined,
        writeCapacity: provisioned ? scaling?.minWriteCapacity : undefined,
        serverSideEncryption: awsManaged ? { enabled: true } : { enabled: true, kmsKeyArn: tableKeyArn },
        pointInTimeRecovery: pitr
          ? { enabled: true, recoveryPeriodInDays: args.recoveryPeriodInDays ?? DEFAULT_RECOVERY_DAYS }
          : { enabled: false },
        deletionProtectionEnabled: deletionProtection,
        streamEnabled,
        streamViewType: viewType,
        replicas: replicas.length
          ? replicas.map((replica) => ({
              regionName: replica.region,
              kmsKeyArn: replicaKeyArns[replica.region],
              pointInTimeRecovery: replica.pointInTimeRecovery ?? pitr,
              deletionProtectionEnabled: replica.deletionProtection ?? deletionProtection,
              propagateTags: true,
              consistencyMode: strong ? "STRONG" : "EVENTUAL",
            }))
          : undefined,
        globalTableWitness: strong && args.witnessRegion ? { regionName: args.witnessRegion } : undefined,
        tags: tableTags,
      },
      {
        parent: this,
        protect: args.protect ?? true,
        retainOnDelete: args.retainOnDelete,
        ignoreChanges,
      },
    );
  }

  private createAutoscaling(
    name: string,
    region: string | undefined,
    args: HardenedTableArgs,
    scaling: HardenedTableAutoscalingArgs,
    tags: Record<string, string>,
  ): void {
    const suffix = region && region !== args.region ? `-${region}` : "";
    const scopes = [
      { label: "table", resourceId: pulumi.interpolate`table/${this.table.name}`, dimension: "table" },
      ...(args.globalSecondaryIndexes ?? []).map((index) => ({
        label: `index-${index.name}`,
        resourceId: pulumi.interpolate`table/${this.table.name}/index/${index.name}`,
        dimension: "index",
      })),
    ];
    for (const scope of scopes) {
      for (const kind of ["Read", "Write"] as const) {
        const targetName = `${name}-${scope.label}-${kind.toLowerCase()}${suffix}`;
        const target = new aws.appautoscaling.Target(
          targetName,
          {
            serviceNamespace: "dynamodb",
            resourceId: scope.resourceId,
            scalableDimension: `dynamodb:${scope.dimension}:${kind}CapacityUnits`,
            minCapacity: kind === "Read" ? scaling.minReadCapacity : scaling.minWriteCapacity,
            maxCapacity: kind === "Read" ? scaling.maxReadCapacity : scaling.maxWriteCapacity,
            region,
            tags,
          },
          { parent: this, dependsOn: [this.table] },
        );
        new aws.appautoscaling.Policy(
          targetName,
          {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            resourceId: target.resourceId,
            scalableDimension: target.scalableDimension,
            region,
            targetTrackingScalingPolicyConfiguration: {
              targetValue: scaling.targetUtilization ?? DEFAULT_TARGET_UTILIZATION,
              predefinedMetricSpecification: { predefinedMetricType: `DynamoDB${kind}CapacityUtilization` },
              scaleInCooldown: scaling.scaleInCooldown ?? 60,
              scaleOutCooldown: scaling.scaleOutCooldown ?? 60,
            },
          },
          { parent: this },
        );
      }
    }
  }

  private createResourcePolicy(
    resourceName: string,
    region: string | undefined,
    tableArn: pulumi.Input<string>,
    checked: CheckedInputs,
    sourceVpce: pulumi.Input<string> | undefined,
    args: HardenedTableArgs,
  ): aws.dynamodb.ResourcePolicy {
    const document = pulumi
      .all([
        tableArn,
        pulumi.all(checked.readerPrincipals ?? []),
        pulumi.all(checked.writerPrincipals ?? []),
        pulumi.output(sourceVpce),
      ])
      .apply(([arn, readerPrincipals, writerPrincipals, sourceVpce]) => {
        refuseCrossAccountWithAwsManagedKey(arn, args, readerPrincipals, writerPrincipals);
        const policy = tableResourcePolicy(arn, {
          readerPrincipals,
          writerPrincipals,
          sourceVpce,
          organizationId: args.access?.organizationId,
          tenantPrincipalTag: args.access?.tenantPrincipalTag,
        });
        // DynamoDB accepts resource policies of at most 20 KB, whitespace included
        // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html).
        const size = Buffer.byteLength(JSON.stringify(policy));
        if (size > MAX_RESOURCE_POLICY_BYTES) {
          throw new pulumi.InputPropertyError({
            propertyPath: "access",
            reason: `the table's resource policy would be ${size} bytes; DynamoDB accepts at most ${MAX_RESOURCE_POLICY_BYTES}. Name fewer principals (e.g. one role per account, or a TableAccessRole)`,
          });
        }
        return policy;
      });
    return new aws.dynamodb.ResourcePolicy(
      resourceName,
      { resourceArn: tableArn, policy: policyJson(document), region },
      { parent: this, dependsOn: [this.table] },
    );
  }
}
