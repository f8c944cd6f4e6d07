import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountContext } from "../shared/accountContext";
import { checkTableArnIn } from "../shared/arn";
import { PolicyDocument, PolicyStatement, policyDocument, policyJson } from "../shared/policyDocument";
import { checkOrganizationId, checkRouteTableId, checkVpcId, duplicates } from "../shared/resourceIds";
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, sourceVpceCondition } from "../access/tableAccess";
import { componentTags } from "../shared/tags";
import { ArgumentProblems, Validated, checkInput } from "../shared/validation";
import { checkRegion } from "../shared/checks";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { DeferredChecks } from "../shared/deferredChecks";
import { DYNAMODB_GATEWAY_ENDPOINT_ARGUMENT_TYPES } from "./dynamoDbGatewayEndpointArgumentTypes";

/** Actions whose only resource is `*`: the endpoint policy grants them in a statement of their own. */
export const ACCOUNT_LEVEL_ACTIONS = [
  "dynamodb:ListTables",
  "dynamodb:DescribeLimits",
  "dynamodb:DescribeEndpoints",
];

/** Arguments of `DynamoDbGatewayEndpoint`. */
export interface DynamoDbGatewayEndpointArgs {
  /** The VPC, `vpc-…`. */
  vpcId: pulumi.Input<string>;
  /** Route tables (`rtb-…`) of the subnets whose DynamoDB traffic must stay on the AWS network. At least one. */
  routeTableIds: pulumi.Input<string>[];
  /** The VPC's region. Default: the provider's region. A gateway endpoint serves only tables in its own region. */
  region?: string;
  /**
   * Tables reachable through the endpoint; each table's indexes are included. Required unless
   * `allowAllTablesInAccount` is set: every other table, in any account, is unreachable from the VPC.
   */
  tableArns?: pulumi.Input<string>[];
  /**
   * DynamoDB actions allowed through the endpoint, each named (no wildcards). Default: the item read and write
   * actions (`GetItem`, `Query`, `PutItem`, … and `DescribeTable`).
   */
  actions?: string[];
  /**
   * Loosens the endpoint policy from the listed tables to every table of the deploying account in the region.
   * Default false. Tables of other accounts stay unreachable.
   */
  allowAllTablesInAccount?: boolean;
  /** When set, only principals of this AWS Organization (`o-…`) may use the endpoint (`aws:PrincipalOrgID`). */
  organizationId?: string;
  /** Tags for the endpoint. */
  tags?: Record<string, string>;
}

/** What the endpoint policy is built from, with every value resolved. */
export interface GatewayEndpointPolicyInput {
  /** Table ARNs (or `table/*` patterns); each table's indexes are added. */
  tableArns: string[];
  /** Named DynamoDB actions. */
  actions: string[];
  /** Restricts callers to one organization. */
  organizationId?: string;
}

/** The endpoint policy: only the named actions, only on the named tables and their indexes. */
export function gatewayEndpointPolicy(input: GatewayEndpointPolicyInput): PolicyDocument {
  const condition = input.organizationId
    ? { StringEquals: { "aws:PrincipalOrgID": input.organizationId } }
    : undefined;
  const tableActions = input.actions.filter((a) => !ACCOUNT_LEVEL_ACTIONS.includes(a));
  const accountActions = input.actions.filter((a) => ACCOUNT_LEVEL_ACTIONS.includes(a));
  const statements: PolicyStatement[] = [];
  if (tableActions.length) {
    statements.push({
      Sid: "NamedActionsOnNamedTables",
      Effect: "Allow",
      Principal: "*",
      Action: tableActions,
      Resource: input.tableArns.flatMap((arn) => [arn, `${arn}/index/*`]),
      ...(condition ? { Condition: condition } : {}),
    });
  }
  if (accountActions.length) {
    statements.push({
      Sid: "AccountLevelActions",
      Effect: "Allow",
      Principal: "*",
      Action: accountActions,
      Resource: "*",
      ...(condition ? { Condition: condition } : {}),
    });
  }
  return policyDocument(statements);
}

const DEFAULT_ACTIONS = [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];

/**
 * The gateway endpoint service name of DynamoDB, `com.amazonaws.<region>.dynamodb` in every partition. This
 * rests on the AWS CDK (GatewayVpcEndpointAwsService keeps the `com.amazonaws` prefix whatever the
 * partition; only some China interface endpoints use `cn.com.amazonaws`), not on an AWS page listing it per
 * partition. https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html
 */
function dynamoDbServiceName(region: string): string {
  return `com.amazonaws.${region}.dynamodb`;
}

interface CheckedEndpointInputs {
  vpcId: pulumi.Input<string>;
  routeTableIds: pulumi.Input<string>[];
  tableArns: pulumi.Input<string>[];
}

/** Every problem with `DynamoDbGatewayEndpoint` arguments, found before any resource is created. */
export function validateDynamoDbGatewayEndpointArgs(
  _name: string,
  args: DynamoDbGatewayEndpointArgs,
): Validated<CheckedEndpointInputs> {
  const problems = new ArgumentProblems();
  const checked: CheckedEndpointInputs = { vpcId: args?.vpcId, routeTableIds: [], tableArns: [] };
  if (!args) {
    problems.add("args", "vpcId, routeTableIds and tableArns are required");
    return { problems, checked };
  }
  problems.check("region", args.region, checkRegion);
  if (args.vpcId === undefined) problems.add("vpcId", "the VPC ID (vpc-…) is required");
  checked.vpcId = checkInput(args.vpcId, "vpcId", checkVpcId, problems)!;

  if (!args.routeTableIds?.length) {
    problems.add(
      "routeTableIds",
      "name at least one route table (rtb-…); a gateway endpoint works through routes",
    );
  }
  checked.routeTableIds = (args.routeTableIds ?? []).map((id, i) =>
    checkInput(id, `routeTableIds[${i}]`, checkRouteTableId, problems)!,
  );
  for (const i of duplicates(args.routeTableIds ?? [])) {
    problems.add(`routeTableIds[${i}]`, `"${String(args.routeTableIds[i])}" is listed twice`);
  }

  const tables = args.tableArns ?? [];
  if (args.allowAllTablesInAccount && tables.length) {
    problems.add(
      "tableArns",
      "leave tableArns out when allowAllTablesInAccount is set, or unset allowAllTablesInAccount",
    );
  }
  if (!args.allowAllTablesInAccount && !tables.length) {
    problems.add(
      "tableArns",
      "name at least one table ARN the VPC may reach; or set allowAllTablesInAccount: true to allow every table of this account",
    );
  }
  checked.tableArns = tables.map((arn, i) =>
    checkInput(
      arn,
      `tableArns[${i}]`,
      checkTableArnIn(
        args.region,
        `a gateway endpoint in ${args.region} only reaches tables in ${args.region}`,
      ),
      problems,
    )!,
  );

  const actions = args.actions ?? DEFAULT_ACTIONS;
  if (!actions.length)
    problems.add(
      "actions",
      "name at least one DynamoDB action, or leave actions out for item read and write",
    );
  actions.forEach((action, i) => {
    if (!/^dynamodb:[A-Z][A-Za-z]+$/.test(action)) {
      problems.add(
        `actions[${i}]`,
        `"${action}" is not a named DynamoDB action (e.g. dynamodb:GetItem); wildcards are not allowed`,
      );
    }
  });
  problems.check("organizationId", args.organizationId, checkOrganizationId);
  return { problems, checked };
}

/**
 * A VPC gateway endpoint for DynamoDB on the given route tables, so traffic from the VPC stays on the AWS
 * network. Its policy allows only named actions on named tables: data cannot be written to, or read from,
 * a table outside the list, such as one in an attacker's account.
 */
export class DynamoDbGatewayEndpoint extends pulumi.ComponentResource {
  /** The gateway endpoint. */
  public readonly endpoint: aws.ec2.VpcEndpoint;
  /** The endpoint ID (`vpce-…`), for `aws:sourceVpce` conditions and `HardenedTable`'s `access.sourceVpce`. */
  public readonly vpceId: pulumi.Output<string>;
  /** The prefix list of DynamoDB's addresses in the region, for security group egress rules. */
  public readonly prefixListId: pulumi.Output<string>;
  /** The endpoint policy as JSON. */
  public readonly policy: pulumi.Output<string>;
  /** The `aws:sourceVpce` condition block for Allow statements of table resource policies and identity policies. */
  public readonly sourceVpceCondition: pulumi.Output<Record<string, Record<string, string>>>;

  constructor(name: string, args: DynamoDbGatewayEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    const awsRules = checkArgumentTypes(
      "DynamoDbGatewayEndpoint",
      name,
      args,
      DYNAMODB_GATEWAY_ENDPOINT_ARGUMENT_TYPES,
    );
    const { problems, checked } = validateDynamoDbGatewayEndpointArgs(name, args);
    problems.include(awsRules).throwIfAny("DynamoDbGatewayEndpoint", name);
    const deferred = new DeferredChecks();
    super("dynamodb-hardened:index:DynamoDbGatewayEndpoint", name, args, deferred.options(opts));
    // Children wait for the checks of arguments given as Outputs: a value refused once known creates nothing.
    deferred.waitFor(...problems.deferredChecks);

    const region = args.region ?? aws.getRegionOutput({}, { parent: this }).region;
    const account = accountContext(this);
    let tableArns: pulumi.Input<string>[] = checked.tableArns;
    if (args.allowAllTablesInAccount) {
      tableArns = [
        pulumi.interpolate`arn:${account.partition}:dynamodb:${region}:${account.accountId}:table/*`,
      ];
    }
    const document = pulumi.all(tableArns).apply((arns) =>
      gatewayEndpointPolicy({
        tableArns: arns,
        actions: args.actions ?? DEFAULT_ACTIONS,
        organizationId: args.organizationId,
      }),
    );
    this.policy = policyJson(document);

    this.endpoint = new aws.ec2.VpcEndpoint(
      `${name}-endpoint`,
      {
        vpcId: checked.vpcId,
        vpcEndpointType: "Gateway",
        serviceName: pulumi.output(region).apply(dynamoDbServiceName),
        routeTableIds: checked.routeTableIds,
        policy: this.policy,
        region: args.region,
        tags: componentTags(args.tags, "DynamoDbGatewayEndpoint"),
      },
      { parent: this },
    );
    this.vpceId = this.endpoint.id;
    this.prefixListId = this.endpoint.prefixListId;
    this.sourceVpceCondition = this.endpoint.id.apply(
      (id) => sourceVpceCondition(id) as Record<string, Record<string, string>>,
    );

    this.registerOutputs({
      endpoint: this.endpoint,
      vpceId: this.vpceId,
      prefixListId: this.prefixListId,
      policy: this.policy,
      sourceVpceCondition: this.sourceVpceCondition,
    });
  }
}
