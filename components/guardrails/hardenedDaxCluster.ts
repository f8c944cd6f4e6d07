import { accountContext } from "../shared/accountContext";
import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkTableArnIn, parseArn } from "../shared/arn";
import { PolicyDocument, policyDocument, policyJson } from "../shared/policyDocument";
import {
  checkAvailabilityZone,
  checkSecurityGroupId,
  checkSubnetId,
  checkVpcId,
  duplicates,
} from "../shared/resourceIds";
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from "../access/tableAccess";
import { componentTags } from "../shared/tags";
import {
  ArgumentProblems,
  Validated,
  addNameProblem,
  checkInput,
  inRange,
  isKnown,
} from "../shared/validation";
import { checkRegion } from "../shared/checks";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { DeferredChecks } from "../shared/deferredChecks";
import { HARDENED_DAX_CLUSTER_ARGUMENT_TYPES } from "./hardenedDaxClusterArgumentTypes";

/** The port DAX serves TLS on; plaintext clusters use 8111. */
export const DAX_TLS_PORT = 9111;
export const DAX_PLAINTEXT_PORT = 8111;

const DEFAULT_NODE_TYPE = "dax.r6g.large";
const DEFAULT_REPLICATION_FACTOR = 3;
const MAX_REPLICATION_FACTOR = 11;

/** Arguments of `HardenedDaxCluster`. Every hardened default is on unless turned off by name. */
export interface HardenedDaxClusterArgs {
  /**
   * The cluster name: 1 to 20 lowercase letters, digits and hyphens, starting with a letter. Default: the
   * resource name. With TLS the name appears in public Certificate Transparency logs: keep it free of
   * anything sensitive.
   */
  clusterName?: string;
  /** The region. Default: the provider's region. Every child is created in this region. */
  region?: string;
  /** Node type, e.g. `dax.r6g.large` (default) or `dax.t3.medium`. */
  nodeType?: string;
  /**
   * Nodes in the cluster, 1 to 11. Default 3, which DAX spreads across three Availability Zones. Fewer than
   * 3 needs `allowFewerThanThreeNodes`.
   */
  replicationFactor?: number;
  /** Explicit opt-out needed for a `replicationFactor` of 1 or 2 (no tolerance of an Availability Zone failure). */
  allowFewerThanThreeNodes?: boolean;
  /** Availability Zones for the nodes, one per node. Default: DAX spreads the nodes for the highest availability. */
  availabilityZones?: string[];
  /** The VPC of the subnets (`vpc-…`); the cluster's security group is created in it. */
  vpcId: pulumi.Input<string>;
  /**
   * Private subnets (`subnet-…`) for the subnet group, in different Availability Zones: at least as many as the
   * replication factor, up to 3.
   */
  subnetIds: pulumi.Input<string>[];
  /** Security groups (`sg-…`) of the clients allowed to reach the cluster, on the TLS port only. At least one. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  /** Tables (ARNs) the cluster's role may use, with their indexes. At least one. */
  tableArns: pulumi.Input<string>[];
  /** Grants the cluster's role only read actions: a read-through cache that cannot write. Default false. */
  readOnly?: boolean;
  /** Encryption in transit (TLS) on the cluster endpoint. Default true. Can only be chosen at creation. */
  tls?: boolean;
  /** Explicit opt-out needed to set `tls` to false, for clients that cannot speak TLS. */
  allowPlaintext?: boolean;
  /** Weekly maintenance window, e.g. `sun:05:00-sun:06:00` (UTC). Default: chosen by DAX. */
  maintenanceWindow?: string;
  /** SNS topic ARN for cluster event notifications. */
  notificationTopicArn?: pulumi.Input<string>;
  /** Tags for the cluster and every child that takes tags. */
  tags?: Record<string, string>;
}

/** The role policy of the cluster: item actions on the named tables and their indexes, nothing else. */
export function daxRolePolicy(tableArns: string[], readOnly: boolean): PolicyDocument {
  return policyDocument([
    {
      Sid: "NamedTablesOnly",
      Effect: "Allow",
      Action: readOnly ? [...TABLE_READ_ACTIONS] : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
      Resource: tableArns.flatMap((arn) => [arn, `${arn}/index/*`]),
    },
  ]);
}

/**
 * The trust policy of the cluster's role: only the DAX service may assume it, and only for the role's own
 * account (confused deputy: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html). The key
 * is matched when present: DAX's documentation does not say that it sends aws:SourceAccount.
 */
export function daxTrustPolicy(accountId?: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "DaxService",
      Effect: "Allow",
      Principal: { Service: "dax.amazonaws.com" },
      Action: "sts:AssumeRole",
      ...(accountId ? { Condition: { StringEqualsIfExists: { "aws:SourceAccount": accountId } } } : {}),
    },
  ]);
}

interface CheckedDaxInputs {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  clientSecurityGroupIds: pulumi.Input<string>[];
  tableArns: pulumi.Input<string>[];
}

function checkList(
  values: pulumi.Input<string>[] | undefined,
  path: string,
  check: (v: string) => string | undefined,
  problems: ArgumentProblems,
): pulumi.Input<string>[] {
  for (const i of duplicates(values ?? []))
    problems.add(`${path}[${i}]`, `"${String(values![i])}" is listed twice`);
  return (values ?? []).map((v, i) => checkInput(v, `${path}[${i}]`, check, problems)!);
}

function checkClusterName(v: string): string | undefined {
  return /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(v) && v.length <= 20
    ? undefined
    : `"${v}" is not a DAX cluster name: 1 to 20 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen`;
}

export function validateHardenedDaxClusterArgs(
  name: string,
  args: HardenedDaxClusterArgs,
): Validated<CheckedDaxInputs> {
  const problems = new ArgumentProblems();
  const checked: CheckedDaxInputs = {
    vpcId: args?.vpcId,
    subnetIds: [],
    clientSecurityGroupIds: [],
    tableArns: [],
  };
  if (!args) {
    problems.add("args", "vpcId, subnetIds, clientSecurityGroupIds and tableArns are required");
    return { problems, checked };
  }
  const clusterName = args.clusterName ?? name;
  addNameProblem(problems, "clusterName", checkClusterName(clusterName), args.clusterName);
  problems.check("region", args.region, checkRegion);
  if (args.nodeType !== undefined && !/^dax\.[a-z0-9]+\.[a-z0-9]+$/.test(args.nodeType)) {
    problems.add("nodeType", `"${args.nodeType}" is not a DAX node type (e.g. dax.r6g.large, dax.t3.medium)`);
  }

  const factor = args.replicationFactor ?? DEFAULT_REPLICATION_FACTOR;
  const factorProblem = inRange(1, MAX_REPLICATION_FACTOR, "nodes")(factor);
  if (factorProblem) problems.add("replicationFactor", factorProblem);
  else if (factor < 3 && !args.allowFewerThanThreeNodes) {
    problems.add(
      "replicationFactor",
      `${factor} node(s) cannot survive the loss of an Availability Zone; use 3 or more, or also set allowFewerThanThreeNodes: true`,
    );
  }
  if (args.availabilityZones !== undefined) {
    if (args.availabilityZones.length !== factor) {
      problems.add(
        "availabilityZones",
        `list one Availability Zone per node: ${args.availabilityZones.length} given for a replicationFactor of ${factor}`,
      );
    }
    args.availabilityZones.forEach((az, i) => {
      const reason = checkAvailabilityZone(args.region)(az);
      if (reason) problems.add(`availabilityZones[${i}]`, reason);
    });
  }

  if (args.vpcId === undefined) problems.add("vpcId", "the VPC ID (vpc-…) of the subnets is required");
  checked.vpcId = checkInput(args.vpcId, "vpcId", checkVpcId, problems)!;

  const requiredSubnets = Math.min(
    Number.isInteger(factor) && factor > 0 ? factor : DEFAULT_REPLICATION_FACTOR,
    3,
  );
  const subnets = args.subnetIds ?? [];
  if (subnets.length < requiredSubnets) {
    problems.add(
      "subnetIds",
      `${subnets.length} subnet(s) given; a replicationFactor of ${factor} needs at least ${requiredSubnets} private subnets in different Availability Zones`,
    );
  }
  checked.subnetIds = checkList(args.subnetIds, "subnetIds", checkSubnetId, problems);

  if (!args.clientSecurityGroupIds?.length) {
    problems.add(
      "clientSecurityGroupIds",
      "name at least one client security group (sg-…); nothing else may reach the cluster",
    );
  }
  checked.clientSecurityGroupIds = checkList(
    args.clientSecurityGroupIds,
    "clientSecurityGroupIds",
    checkSecurityGroupId,
    problems,
  );

  if (!args.tableArns?.length) problems.add("tableArns", "name at least one table ARN the cluster may cache");
  checked.tableArns = checkList(
    args.tableArns,
    "tableArns",
    checkTableArnIn(args.region, `DAX only caches tables in its own region ${args.region}`),
    problems,
  );

  if (args.tls === false && !args.allowPlaintext) {
    problems.add(
      "tls",
      "a plaintext endpoint exposes cached items on the network; keep tls on, or also set allowPlaintext: true",
    );
  }
  if (
    args.maintenanceWindow !== undefined &&
    !/^(sun|mon|tue|wed|thu|fri|sat):\d{2}:\d{2}-(sun|mon|tue|wed|thu|fri|sat):\d{2}:\d{2}$/.test(
      args.maintenanceWindow,
    )
  ) {
    problems.add("maintenanceWindow", `"${args.maintenanceWindow}" is not a window like sun:05:00-sun:06:00`);
  }
  if (isKnown(args.notificationTopicArn)) {
    const arn = parseArn(args.notificationTopicArn);
    if (!arn || arn.service !== "sns") {
      problems.add("notificationTopicArn", `"${args.notificationTopicArn}" is not an SNS topic ARN`);
    }
  }
  return { problems, checked };
}

/**
 * A DAX cluster that follows practice 8: encryption at rest, TLS on the endpoint, three nodes across
 * Availability Zones, private subnets, a security group that admits only the named clients on the TLS port,
 * and a service role limited to the named tables.
 */
export class HardenedDaxCluster extends pulumi.ComponentResource {
  /** The DAX cluster. */
  public readonly cluster: aws.dax.Cluster;
  /** The cluster's subnet group. */
  public readonly subnetGroup: aws.dax.SubnetGroup;
  /** The cluster's security group; it admits only the client security groups. */
  public readonly securityGroup: aws.ec2.SecurityGroup;
  /** The role DAX uses to reach the tables. */
  public readonly role: aws.iam.Role;
  /** The cluster ARN, the resource for clients' `dax:*` permissions. */
  public readonly arn: pulumi.Output<string>;
  /** The cluster's configuration endpoint (`daxs://…` with TLS). */
  public readonly clusterEndpoint: pulumi.Output<string>;
  /** The port clients connect to: 9111 with TLS, 8111 without. */
  public readonly port: number;
  /** The ID of the cluster's security group. */
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: HardenedDaxClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const awsRules = checkArgumentTypes(
      "HardenedDaxCluster",
      name,
      args,
      HARDENED_DAX_CLUSTER_ARGUMENT_TYPES,
    );
    const { problems, checked } = validateHardenedDaxClusterArgs(name, args);
    problems.include(awsRules).throwIfAny("HardenedDaxCluster", name);
    const deferred = new DeferredChecks();
    super("dynamodb-hardened:index:HardenedDaxCluster", name, args, deferred.options(opts));
    // Children wait for the checks of arguments given as Outputs: a value refused once known creates nothing.
    deferred.waitFor(...problems.deferredChecks);

    const tags = componentTags(args.tags, "HardenedDaxCluster");
    const tls = args.tls ?? true;
    this.port = tls ? DAX_TLS_PORT : DAX_PLAINTEXT_PORT;

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `DAX cluster ${name}: item access to the named tables`,
        assumeRolePolicy: policyJson(accountContext(this).accountId.apply(daxTrustPolicy)),
        tags,
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-tables`,
      {
        role: this.role.id,
        policy: policyJson(
          pulumi.all(checked.tableArns).apply((arns) => daxRolePolicy(arns, !!args.readOnly)),
        ),
      },
      { parent: this },
    );

    this.subnetGroup = new aws.dax.SubnetGroup(
      `${name}-subnets`,
      {
        description: `DAX cluster ${name}: private subnets`,
        subnetIds: checked.subnetIds,
        region: args.region,
      },
      { parent: this },
    );

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        description: `DAX cluster ${name}: clients on port ${this.port} only`,
        vpcId: checked.vpcId,
        revokeRulesOnDelete: true,
        region: args.region,
        tags,
      },
      { parent: this },
    );
    checked.clientSecurityGroupIds.forEach((clientGroup, i) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-client-${i}`,
        {
          securityGroupId: this.securityGroup.id,
          referencedSecurityGroupId: clientGroup,
          ipProtocol: "tcp",
          fromPort: this.port,
          toPort: this.port,
          description: tls ? "DAX clients over TLS" : "DAX clients (plaintext)",
          region: args.region,
          tags,
        },
        { parent: this },
      );
    });

    this.cluster = new aws.dax.Cluster(
      name,
      {
        clusterName: args.clusterName ?? name,
        description: `Hardened DAX cluster ${name}`,
        nodeType: args.nodeType ?? DEFAULT_NODE_TYPE,
        replicationFactor: args.replicationFactor ?? DEFAULT_REPLICATION_FACTOR,
        availabilityZones: args.availabilityZones,
        iamRoleArn: this.role.arn,
        subnetGroupName: this.subnetGroup.name,
        securityGroupIds: [this.securityGroup.id],
        serverSideEncryption: { enabled: true },
        clusterEndpointEncryptionType: tls ? "TLS" : "NONE",
        maintenanceWindow: args.maintenanceWindow,
        notificationTopicArn: args.notificationTopicArn,
        region: args.region,
        tags,
      },
      // DAX checks at creation that it can assume the role and use the tables.
      { parent: this, dependsOn: [rolePolicy] },
    );
    this.arn = this.cluster.arn;
    this.clusterEndpoint = this.cluster.clusterAddress.apply(
      (address) => `${tls ? "daxs" : "dax"}://${address}`,
    );
    this.securityGroupId = this.securityGroup.id;

    this.registerOutputs({
      cluster: this.cluster,
      subnetGroup: this.subnetGroup,
      securityGroup: this.securityGroup,
      role: this.role,
      arn: this.arn,
      clusterEndpoint: this.clusterEndpoint,
      port: this.port,
      securityGroupId: this.securityGroupId,
    });
  }
}
