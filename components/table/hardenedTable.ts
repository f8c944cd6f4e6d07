import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountContext } from "../shared/accountContext";
import { BACKUP_TAG, componentTags } from "../shared/tags";
import { StreamAccessGrant } from "../streams/streamAccessGrant";
import { HardenedTableArgs } from "./hardenedTableArgs";
import { validateHardenedTableArgs } from "./hardenedTableValidation";
import { ResolvedTableArgs, resolveTableArgs } from "./resolveTableArgs";
import { createTableAutoscaling } from "./tableAutoscaling";
import { grantTableKeyUse, regionalTableKeys } from "./tableKeyGrants";
import { createTableKeys } from "./tableKeys";
import { regionalOutputs } from "./tableOutputs";
import { createTableResource } from "./tableResource";
import { createTableReplicas, replicaStreamArns } from "./tableReplicas";
import { createTableResourcePolicies } from "./tableResourcePolicies";
import { StreamReadGrantOptions, grantTableStreamRead } from "./tableStreamGrants";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { DeferredChecks } from "../shared/deferredChecks";
import { HARDENED_TABLE_ARGUMENT_TYPES } from "./hardenedTableArgumentTypes";

// Kept outside the class: a field would be published as an output in the component package's schema.
const resolvedArguments = new WeakMap<HardenedTable, ResolvedTableArgs>();

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
    const awsRules = checkArgumentTypes("HardenedTable", name, args, HARDENED_TABLE_ARGUMENT_TYPES);
    const { problems, checked } = validateHardenedTableArgs(name, args);
    problems.include(awsRules).throwIfAny("HardenedTable", name);
    const deferred = new DeferredChecks();
    super("dynamodb-hardened:index:HardenedTable", name, {}, deferred.options(opts));
    // Children wait for the checks of arguments given as Outputs: a value refused once known creates nothing.
    deferred.waitFor(...problems.deferredChecks);
    const table = resolveTableArgs(args, {
      ...componentTags(args.tags, "HardenedTable"),
      [BACKUP_TAG.key]: BACKUP_TAG.value,
    });
    resolvedArguments.set(this, table);

    this.region = pulumi.output(args.region ?? aws.getRegionOutput({}, { parent: this }).region);
    const account = accountContext(this);
    const keys = createTableKeys(this, name, table, checked, account, args.region ?? this.region);
    this.key = keys.primary;
    this.table = createTableResource(this, name, table, keys);
    this.arn = this.table.arn;
    this.name = this.table.name;
    this.streamArn = this.table.streamArn.apply((arn) => (arn ? arn : undefined));
    this.keyArn = keys.tableKeyArn ? pulumi.output(keys.tableKeyArn) : pulumi.output(undefined);

    const autoscaling = createTableAutoscaling(this, name, table, this.table);
    const replicas = createTableReplicas(this, name, table, keys, this.table, autoscaling);
    const regionArn = (r: string) =>
      pulumi.interpolate`arn:${account.partition}:dynamodb:${r}:${account.accountId}:table/${this.table.name}`;
    const byRegion = regionalOutputs(
      table,
      this.table,
      keys,
      this.region,
      regionArn,
      replicaStreamArns(this, this.table, replicas),
    );
    this.tableArns = byRegion.tableArns;
    this.streamArns = byRegion.streamArns;
    this.keyArns = byRegion.keyArns;
    this.resourcePolicies = createTableResourcePolicies(
      this,
      name,
      table,
      checked,
      this.table,
      regionArn,
      replicas,
    );
    this.keyGrants = args.access
      ? grantTableKeyUse(
          name,
          regionalTableKeys(args.region, table.replicas, keys),
          checked.readerPrincipals ?? [],
          checked.writerPrincipals ?? [],
          this.table.name,
          account.accountId,
          this,
        )
      : [];

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
    return grantTableStreamRead(this, resolvedArguments.get(this)!, name, consumerRoleArns, opts);
  }
}
