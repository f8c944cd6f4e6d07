import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  DynamoDbDataEventsTrail,
  DynamoDbDataEventsTrailArgs,
  DynamoDbGatewayEndpoint,
  DynamoDbGatewayEndpointArgs,
  HardenedDaxCluster,
  HardenedDaxClusterArgs,
  HardenedTable,
  OrganizationGuardrails,
  OrganizationGuardrailsArgs,
  PolicyDocument,
  denyOutsideVpcEndpointStatement,
} from "../../../components";
import * as path from "path";
import { AnalyzerClient, fromRecorded, stackFromRecording } from "../../../preview/analyzerClient";
import { loadProject } from "../../../preview/project";
import { recordProgram } from "../../../preview/recorder";
import { runProgram } from "../../../preview/runProgram";
import { assertChildInvariants } from "../../harness/childInvariants";
import { AccessQuestion, evaluate } from "../../harness/iam";
import { RecordedResource, UNKNOWN, byType, one, parsePolicy, record } from "../../harness/record";
import { assertRejects, assertRejectsWhenResolved, constructionError } from "../../harness/rejection";

const ACCOUNT = "111111111111";
const OTHER_ACCOUNT = "999999999999";
const ORG = "o-a1b2c3d4e5";
const REGION = "us-east-1";
const ORDERS = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const CUSTOMERS = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/customers`;
const APP = `arn:aws:iam::${ACCOUNT}:role/app`;
const TAGS = { team: "platform" };

type Policy = { Statement: Record<string, unknown>[] };

/** An identity policy that allows everything: what the guardrail under test must hold back. */
const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

function managedBy(component: string): Record<string, string> {
  return { ...TAGS, "dynamodb-hardened:managed-by": component };
}

/** The request-context keys AWS sets for a principal, which the simulator does not derive itself. */
function principalContext(principalArn: string, orgId = ORG): Record<string, string> {
  return {
    "aws:PrincipalArn": principalArn,
    "aws:PrincipalAccount": principalArn.split(":")[4],
    "aws:PrincipalOrgID": orgId,
    "aws:PrincipalIsAWSService": "false",
  };
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

// ---------------------------------------------------------------------------------------------------------
// DynamoDbGatewayEndpoint
// ---------------------------------------------------------------------------------------------------------

const endpointArgs: DynamoDbGatewayEndpointArgs = {
  region: REGION,
  vpcId: "vpc-0a1b2c3d4e5f67890",
  routeTableIds: ["rtb-0a1b2c3d", "rtb-0b2c3d4e"],
  tableArns: [ORDERS, CUSTOMERS],
  tags: TAGS,
};

const endpoint = (args: DynamoDbGatewayEndpointArgs, preview = false) =>
  record(() => new DynamoDbGatewayEndpoint("edge", args), preview);

function endpointOf(resources: RecordedResource[]): RecordedResource {
  return one(resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
}

/** Asks whether `action` on `resource`, by a principal allowed everything, gets through the endpoint. */
function throughEndpoint(
  policy: unknown,
  action: string,
  resource: string,
  extra: Partial<AccessQuestion> = {},
): Promise<string> {
  return evaluate({
    principal: APP,
    action,
    resource,
    resourceAccount: resource === "*" ? ACCOUNT : resource.split(":")[4],
    identityPolicies: [ALLOW_ALL],
    vpcEndpointPolicies: [policy],
    ...extra,
  });
}

describe("DynamoDbGatewayEndpoint", () => {
  it("creates a gateway endpoint for the region's DynamoDB service on the given route tables", async () => {
    const e = endpointOf(await endpoint(endpointArgs));
    assert.strictEqual(e.inputs.vpcEndpointType, "Gateway");
    assert.strictEqual(e.inputs.serviceName, "com.amazonaws.us-east-1.dynamodb");
    assert.strictEqual(e.inputs.vpcId, "vpc-0a1b2c3d4e5f67890");
    assert.deepStrictEqual(e.inputs.routeTableIds, ["rtb-0a1b2c3d", "rtb-0b2c3d4e"]);
    assert.strictEqual(e.inputs.region, REGION);
  });

  it("takes the service name from the provider's region when none is given", async () => {
    const e = endpointOf(await endpoint({ ...endpointArgs, region: undefined, tableArns: [ORDERS] }));
    assert.strictEqual(e.inputs.serviceName, "com.amazonaws.us-east-1.dynamodb");
  });

  it("lets only the item actions through, only on the named tables and their indexes", async () => {
    const policy = parsePolicy(endpointOf(await endpoint(endpointArgs)).inputs.policy);
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:GetItem", ORDERS), "Allowed");
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:PutItem", CUSTOMERS), "Allowed");
    assert.strictEqual(
      await throughEndpoint(policy, "dynamodb:Query", `${ORDERS}/index/byCustomer`),
      "Allowed",
    );
    assert.strictEqual(
      await throughEndpoint(
        policy,
        "dynamodb:GetItem",
        `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/payroll`,
      ),
      "ImplicitlyDenied",
    );
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:DeleteTable", ORDERS), "ImplicitlyDenied");
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:UpdateTable", ORDERS), "ImplicitlyDenied");
  });

  it("stops writes to a table in another account, the exfiltration path", async () => {
    const policy = parsePolicy(endpointOf(await endpoint(endpointArgs)).inputs.policy);
    const attackerTable = `arn:aws:dynamodb:${REGION}:${OTHER_ACCOUNT}:table/orders`;
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:PutItem", attackerTable), "ImplicitlyDenied");
  });

  it("allows exactly the named actions, and account-level ones on *", async () => {
    const policy = parsePolicy(
      endpointOf(
        await endpoint({
          ...endpointArgs,
          actions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:ListTables"],
        }),
      ).inputs.policy,
    );
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:GetItem", ORDERS), "Allowed");
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:PutItem", ORDERS), "ImplicitlyDenied");
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:ListTables", "*"), "Allowed");
  });

  it("loosens to every table of the account only when asked by name", async () => {
    const policy = parsePolicy(
      endpointOf(await endpoint({ ...endpointArgs, tableArns: undefined, allowAllTablesInAccount: true }))
        .inputs.policy,
    );
    const anyTable = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/anything`;
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:GetItem", anyTable), "Allowed");
    const foreign = `arn:aws:dynamodb:${REGION}:${OTHER_ACCOUNT}:table/anything`;
    assert.strictEqual(await throughEndpoint(policy, "dynamodb:PutItem", foreign), "ImplicitlyDenied");
  });

  it("can admit only principals of the organization", async () => {
    const policy = parsePolicy(
      endpointOf(await endpoint({ ...endpointArgs, organizationId: ORG })).inputs.policy,
    );
    assert.strictEqual(
      await throughEndpoint(policy, "dynamodb:GetItem", ORDERS, { context: { "aws:PrincipalOrgID": ORG } }),
      "Allowed",
    );
    assert.strictEqual(
      await throughEndpoint(policy, "dynamodb:GetItem", ORDERS, {
        context: { "aws:PrincipalOrgID": "o-zzzzzzzzzz" },
      }),
      "ImplicitlyDenied",
    );
  });

  it("exposes the endpoint ID and the aws:sourceVpce condition block", async () => {
    let component: DynamoDbGatewayEndpoint | undefined;
    await record(() => (component = new DynamoDbGatewayEndpoint("edge", endpointArgs)));
    const [id, condition, prefixList] = await resolve(
      pulumi.all([component!.vpceId, component!.sourceVpceCondition, component!.prefixListId]),
    );
    assert.match(id, /^vpce-[0-9a-f]{17}$/);
    assert.deepStrictEqual(condition, { StringEquals: { "aws:sourceVpce": id } });
    assert.match(prefixList, /^pl-/);
  });

  it("feeds HardenedTable's access.sourceVpce: only requests through the endpoint reach the table", async () => {
    let vpceId = "";
    const resources = await record(() => {
      const edge = new DynamoDbGatewayEndpoint("edge", endpointArgs);
      edge.vpceId.apply((id) => (vpceId = id));
      new HardenedTable("orders", {
        region: REGION,
        hashKey: "orderId",
        attributes: [{ name: "orderId", type: "S" }],
        access: { writerPrincipals: [APP], sourceVpce: edge.vpceId },
      });
    });
    const rp = one(resources, "aws:dynamodb/resourcePolicy:ResourcePolicy");
    const policy = parsePolicy(rp.inputs.policy);
    const tableArn = String(rp.inputs.resourceArn);
    const ask = (context: Record<string, string>) =>
      evaluate({
        principal: APP,
        action: "dynamodb:PutItem",
        resource: tableArn,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        identityPolicies: [ALLOW_ALL],
        context,
      });
    assert.strictEqual(await ask({ "aws:SourceVpce": vpceId }), "Allowed");
    assert.strictEqual(await ask({}), "ExplicitlyDenied");
    assert.strictEqual(await ask({ "aws:SourceVpce": "vpce-0fffffffffffffff0" }), "ExplicitlyDenied");
  });

  it("gives identity policies a deny outside the endpoint", async () => {
    const vpce = "vpce-0a1b2c3d4e5f67890";
    const identity: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "dynamodb:*", Resource: "*" },
        denyOutsideVpcEndpointStatement(vpce, [ORDERS]),
      ],
    };
    const ask = (resource: string, context: Record<string, string>) =>
      evaluate({
        principal: APP,
        action: "dynamodb:GetItem",
        resource,
        resourceAccount: ACCOUNT,
        identityPolicies: [identity],
        context,
      });
    assert.strictEqual(await ask(ORDERS, { "aws:SourceVpce": vpce }), "Allowed");
    assert.strictEqual(await ask(ORDERS, {}), "ExplicitlyDenied");
    assert.strictEqual(await ask(`${ORDERS}/index/byCustomer`, {}), "ExplicitlyDenied");
    assert.strictEqual(await ask(CUSTOMERS, {}), "Allowed", "tables not named are left to other statements");
  });

  it("in preview, builds the policy from table ARNs that are not known yet", async () => {
    const resources = await record(() => {
      const table = new HardenedTable("orders", {
        region: REGION,
        hashKey: "orderId",
        attributes: [{ name: "orderId", type: "S" }],
      });
      new DynamoDbGatewayEndpoint("edge", { ...endpointArgs, tableArns: [table.arn] });
    }, true);
    const e = endpointOf(resources);
    assert.strictEqual(e.inputs.policy, UNKNOWN);
    assert.strictEqual(e.inputs.vpcEndpointType, "Gateway");
    assert.ok(e.propertyDependencies.policy.some((urn) => urn.endsWith("::orders")));
  });
});

describe("DynamoDbGatewayEndpoint rejects bad input", () => {
  const build = (args: Partial<DynamoDbGatewayEndpointArgs>) => () =>
    new DynamoDbGatewayEndpoint("edge", { ...endpointArgs, ...args } as DynamoDbGatewayEndpointArgs);

  it("a VPC ID in the wrong format", () =>
    assertRejects(build({ vpcId: "vpc-xyz" }), "vpcId", /vpc-0123456789abcdef0/));
  it("no route tables", () => assertRejects(build({ routeTableIds: [] }), "routeTableIds", /at least one/));
  it("a route table ID in the wrong format", () =>
    assertRejects(build({ routeTableIds: ["rtb-0a1b2c3d", "subnet-0a1b2c3d"] }), "routeTableIds[1]", /rtb-/));
  it("a route table listed twice", () =>
    assertRejects(build({ routeTableIds: ["rtb-0a1b2c3d", "rtb-0a1b2c3d"] }), "routeTableIds[1]", /twice/));
  it("an empty table list for a restricted endpoint", () =>
    assertRejects(build({ tableArns: [] }), "tableArns", /allowAllTablesInAccount/));
  it("a table list together with allowAllTablesInAccount", () =>
    assertRejects(build({ allowAllTablesInAccount: true }), "tableArns"));
  it("a table ARN that is not a table ARN", () =>
    assertRejects(build({ tableArns: ["arn:aws:s3:::bucket"] }), "tableArns[0]", /table ARN/));
  it("a table in another region", () =>
    assertRejects(
      build({ tableArns: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`] }),
      "tableArns[0]",
      /eu-west-1/,
    ));
  it("a wildcard action", () => assertRejects(build({ actions: ["dynamodb:*"] }), "actions[0]", /wildcards/));
  it("an empty action list", () => assertRejects(build({ actions: [] }), "actions"));
  it("an organization ID in the wrong format", () =>
    assertRejects(build({ organizationId: "org-1" }), "organizationId", /o-xxxxxxxxxx/));
  it("a region that is not a region", () => assertRejects(build({ region: "us-east" }), "region"));
  it("every problem at once", async () => {
    const error = await constructionError(build({ vpcId: "x", routeTableIds: [], tableArns: [] }));
    assert.deepStrictEqual(
      error.errors.map((e) => e.propertyPath),
      ["vpcId", "routeTableIds", "tableArns"],
    );
  });
  it("a route table ID that is an Output, once it is known", () =>
    assertRejectsWhenResolved(build({ routeTableIds: [pulumi.output("rtb-nope")] }), "routeTableIds[0]"));
});

// ---------------------------------------------------------------------------------------------------------
// HardenedDaxCluster
// ---------------------------------------------------------------------------------------------------------

const daxArgs: HardenedDaxClusterArgs = {
  region: REGION,
  vpcId: "vpc-0a1b2c3d4e5f67890",
  subnetIds: ["subnet-0a1b2c3d", "subnet-0b2c3d4e", "subnet-0c3d4e5f"],
  clientSecurityGroupIds: ["sg-0a1b2c3d", "sg-0b2c3d4e"],
  tableArns: [ORDERS],
  tags: TAGS,
};

const dax = (args: HardenedDaxClusterArgs, preview = false) =>
  record(() => new HardenedDaxCluster("cache", args), preview);

function clusterOf(resources: RecordedResource[]): RecordedResource {
  return one(resources, "aws:dax/cluster:Cluster");
}

describe("HardenedDaxCluster", () => {
  it("encrypts at rest and in transit, with three nodes", async () => {
    const c = clusterOf(await dax(daxArgs));
    assert.deepStrictEqual(c.inputs.serverSideEncryption, { enabled: true });
    assert.strictEqual(c.inputs.clusterEndpointEncryptionType, "TLS");
    assert.strictEqual(c.inputs.replicationFactor, 3);
    assert.strictEqual(c.inputs.nodeType, "dax.r6g.large");
    assert.strictEqual(c.inputs.clusterName, "cache");
    assert.strictEqual(c.inputs.region, REGION);
  });

  it("places the nodes in a subnet group of the given private subnets", async () => {
    const resources = await dax(daxArgs);
    const group = one(resources, "aws:dax/subnetGroup:SubnetGroup");
    assert.deepStrictEqual(group.inputs.subnetIds, daxArgs.subnetIds);
    assert.ok(clusterOf(resources).propertyDependencies.subnetGroupName.includes(group.urn));
    assert.match(String(clusterOf(resources).inputs.subnetGroupName), /^cache-subnets-/);
  });

  it("admits only the client security groups, on the TLS port, and nothing else", async () => {
    const resources = await dax(daxArgs);
    const sg = one(resources, "aws:ec2/securityGroup:SecurityGroup");
    assert.strictEqual(sg.inputs.vpcId, daxArgs.vpcId);
    assert.deepStrictEqual(sg.inputs.ingress ?? [], [], "no inline rules");
    assert.deepStrictEqual(sg.inputs.egress ?? [], [], "no egress");
    const rules = byType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.deepStrictEqual(
      rules.map((r) => [
        r.inputs.referencedSecurityGroupId,
        r.inputs.ipProtocol,
        r.inputs.fromPort,
        r.inputs.toPort,
      ]),
      [
        ["sg-0a1b2c3d", "tcp", 9111, 9111],
        ["sg-0b2c3d4e", "tcp", 9111, 9111],
      ],
    );
    assert.ok(rules.every((r) => r.inputs.cidrIpv4 === undefined && r.inputs.cidrIpv6 === undefined));
    assert.deepStrictEqual(byType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"), []);
    const cluster = clusterOf(resources);
    assert.strictEqual((cluster.inputs.securityGroupIds as string[]).length, 1, "only its own group");
    assert.ok(cluster.propertyDependencies.securityGroupIds.includes(sg.urn));
  });

  it("gives DAX a role that only DAX can assume", async () => {
    const role = one(await dax(daxArgs), "aws:iam/role:Role");
    const trust = parsePolicy(role.inputs.assumeRolePolicy);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/cache-role`;
    const assume = (principal: string) =>
      evaluate({
        principal,
        action: "sts:AssumeRole",
        resource: roleArn,
        resourceAccount: ACCOUNT,
        resourcePolicy: trust,
        context: { "aws:PrincipalIsAWSService": "true" },
      });
    assert.strictEqual(await assume("dax.amazonaws.com"), "Allowed");
    assert.strictEqual(await assume("ec2.amazonaws.com"), "ImplicitlyDenied");
  });

  it("scopes the role to the named tables and their indexes, item actions only", async () => {
    const resources = await dax(daxArgs);
    const policy = parsePolicy(one(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
    const ask = (action: string, resource: string) =>
      evaluate({
        principal: `arn:aws:iam::${ACCOUNT}:role/cache-role`,
        action,
        resource,
        resourceAccount: ACCOUNT,
        identityPolicies: [policy],
      });
    assert.strictEqual(await ask("dynamodb:GetItem", ORDERS), "Allowed");
    assert.strictEqual(await ask("dynamodb:PutItem", ORDERS), "Allowed");
    assert.strictEqual(await ask("dynamodb:Query", `${ORDERS}/index/byCustomer`), "Allowed");
    assert.strictEqual(await ask("dynamodb:GetItem", CUSTOMERS), "ImplicitlyDenied");
    assert.strictEqual(await ask("dynamodb:DeleteTable", ORDERS), "ImplicitlyDenied");
    assert.strictEqual(await ask("dynamodb:UpdateTable", ORDERS), "ImplicitlyDenied");
    const cluster = clusterOf(resources);
    const rolePolicy = one(resources, "aws:iam/rolePolicy:RolePolicy");
    assert.ok(cluster.dependencies.includes(rolePolicy.urn), "the cluster waits for the role's permissions");
  });

  it("a read-only cluster's role cannot write", async () => {
    const policy = parsePolicy(
      one(await dax({ ...daxArgs, readOnly: true }), "aws:iam/rolePolicy:RolePolicy").inputs.policy,
    );
    const ask = (action: string) =>
      evaluate({
        principal: `arn:aws:iam::${ACCOUNT}:role/cache-role`,
        action,
        resource: ORDERS,
        resourceAccount: ACCOUNT,
        identityPolicies: [policy],
      });
    assert.strictEqual(await ask("dynamodb:Query"), "Allowed");
    assert.strictEqual(await ask("dynamodb:PutItem"), "ImplicitlyDenied");
  });

  it("exposes a daxs:// endpoint and the TLS port", async () => {
    let component: HardenedDaxCluster | undefined;
    await record(() => (component = new HardenedDaxCluster("cache", daxArgs)));
    assert.strictEqual(component!.port, 9111);
    assert.match(
      await resolve(component!.clusterEndpoint),
      /^daxs:\/\/cache\..*\.dax-clusters\.us-east-1\.amazonaws\.com$/,
    );
  });

  it("turns TLS off only when asked twice, and then opens the plaintext port", async () => {
    const resources = await dax({ ...daxArgs, tls: false, allowPlaintext: true });
    assert.strictEqual(clusterOf(resources).inputs.clusterEndpointEncryptionType, "NONE");
    const rules = byType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.ok(rules.every((r) => r.inputs.fromPort === 8111 && r.inputs.toPort === 8111));
  });

  it("allows a single node by name, in a chosen Availability Zone", async () => {
    const c = clusterOf(
      await dax({
        ...daxArgs,
        replicationFactor: 1,
        allowFewerThanThreeNodes: true,
        availabilityZones: ["us-east-1a"],
        subnetIds: ["subnet-0a1b2c3d"],
      }),
    );
    assert.strictEqual(c.inputs.replicationFactor, 1);
    assert.deepStrictEqual(c.inputs.availabilityZones, ["us-east-1a"]);
  });

  it("in preview, scopes the role to tables not created yet", async () => {
    const resources = await record(() => {
      const table = new HardenedTable("orders", {
        region: REGION,
        hashKey: "orderId",
        attributes: [{ name: "orderId", type: "S" }],
      });
      new HardenedDaxCluster("cache", { ...daxArgs, tableArns: [table.arn] });
    }, true);
    assert.strictEqual(one(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy, UNKNOWN);
    const c = clusterOf(resources);
    assert.strictEqual(c.inputs.clusterEndpointEncryptionType, "TLS");
    assert.deepStrictEqual(c.inputs.serverSideEncryption, { enabled: true });
  });
});

describe("HardenedDaxCluster rejects bad input", () => {
  const build =
    (args: Partial<HardenedDaxClusterArgs>, name = "cache") =>
    () =>
      new HardenedDaxCluster(name, { ...daxArgs, ...args } as HardenedDaxClusterArgs);

  it("fewer subnets than three nodes need", () =>
    assertRejects(build({ subnetIds: ["subnet-0a1b2c3d", "subnet-0b2c3d4e"] }), "subnetIds", /at least 3/));
  it("a replication factor above 11", () =>
    assertRejects(build({ replicationFactor: 12 }), "replicationFactor", /1 to 11/));
  it("a replication factor of 0", () =>
    assertRejects(build({ replicationFactor: 0 }), "replicationFactor", /1 to 11/));
  it("a replication factor that is not a whole number", () =>
    assertRejects(build({ replicationFactor: 2.5 }), "replicationFactor"));
  it("fewer than three nodes without the opt-out", () =>
    assertRejects(build({ replicationFactor: 2 }), "replicationFactor", /allowFewerThanThreeNodes/));
  it("a cluster name DAX would reject", () =>
    assertRejects(build({ clusterName: "Orders_Cache" }), "clusterName", /lowercase/));
  it("a cluster name longer than 20 characters", () =>
    assertRejects(build({ clusterName: "a-very-long-cluster-name" }), "clusterName"));
  it("a resource name that cannot be the default cluster name", () =>
    assertRejects(build({}, "OrdersCache"), "clusterName", /set clusterName/));
  it("a VPC ID in the wrong format", () => assertRejects(build({ vpcId: "vpc-1" }), "vpcId", /vpc-/));
  it("a subnet ID in the wrong format", () =>
    assertRejects(
      build({ subnetIds: ["subnet-0a1b2c3d", "subnet-0b2c3d4e", "sg-0c3d4e5f"] }),
      "subnetIds[2]",
    ));
  it("a subnet listed twice", () =>
    assertRejects(
      build({ subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3d", "subnet-0c3d4e5f"] }),
      "subnetIds[1]",
    ));
  it("no client security groups", () =>
    assertRejects(build({ clientSecurityGroupIds: [] }), "clientSecurityGroupIds", /at least one/));
  it("a client security group ID in the wrong format", () =>
    assertRejects(build({ clientSecurityGroupIds: ["sg-zz"] }), "clientSecurityGroupIds[0]", /sg-/));
  it("no tables", () => assertRejects(build({ tableArns: [] }), "tableArns"));
  it("a table in another region", () =>
    assertRejects(
      build({ tableArns: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`] }),
      "tableArns[0]",
    ));
  it("TLS off without the opt-out", () => assertRejects(build({ tls: false }), "tls", /allowPlaintext/));
  it("Availability Zones that do not match the node count", () =>
    assertRejects(
      build({ availabilityZones: ["us-east-1a", "us-east-1b"] }),
      "availabilityZones",
      /one Availability Zone per node/,
    ));
  it("an Availability Zone outside the region", () =>
    assertRejects(
      build({ availabilityZones: ["us-east-1a", "us-east-1b", "eu-west-1a"] }),
      "availabilityZones[2]",
    ));
  it("a node type that is not a DAX node type", () =>
    assertRejects(build({ nodeType: "r6g.large" }), "nodeType"));
  it("a maintenance window in the wrong format", () =>
    assertRejects(build({ maintenanceWindow: "sunday 5am" }), "maintenanceWindow"));
  it("every problem at once", async () => {
    const error = await constructionError(build({ replicationFactor: 12, subnetIds: [], tls: false }));
    const paths = error.errors.map((e) => e.propertyPath);
    for (const p of ["replicationFactor", "subnetIds", "tls"])
      assert.ok(paths.includes(p), `${p} in ${paths}`);
  });
  it("a subnet ID that is an Output, once it is known", () =>
    assertRejectsWhenResolved(
      build({ subnetIds: ["subnet-0a1b2c3d", "subnet-0b2c3d4e", pulumi.output("subnet-bad")] }),
      "subnetIds[2]",
    ));
});

// ---------------------------------------------------------------------------------------------------------
// DynamoDbDataEventsTrail
// ---------------------------------------------------------------------------------------------------------

const trailArgs: DynamoDbDataEventsTrailArgs = { region: REGION, tags: TAGS };
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/audit`;

const trail = (args: DynamoDbDataEventsTrailArgs, preview = false) =>
  record(() => new DynamoDbDataEventsTrail("audit", args), preview);

function trailOf(resources: RecordedResource[]): RecordedResource {
  return one(resources, "aws:cloudtrail/trail:Trail");
}

describe("DynamoDbDataEventsTrail", () => {
  it("records every region, validates log files and encrypts with the created key", async () => {
    const resources = await trail(trailArgs);
    const t = trailOf(resources);
    assert.strictEqual(t.inputs.name, "audit");
    assert.strictEqual(t.inputs.isMultiRegionTrail, true);
    assert.strictEqual(t.inputs.enableLogFileValidation, true);
    assert.strictEqual(t.inputs.enableLogging, true);
    assert.strictEqual(t.inputs.includeGlobalServiceEvents, true);
    assert.strictEqual(t.inputs.isOrganizationTrail, false);
    const key = one(resources, "aws:kms/key:Key");
    assert.strictEqual(key.inputs.enableKeyRotation, true);
    assert.ok(t.propertyDependencies.kmsKeyId.includes(key.urn));
    assert.strictEqual(t.inputs.kmsKeyId, `arn:aws:kms:${REGION}:${ACCOUNT}:key/mrk-audit-key`);
  });

  it("records management events and every DynamoDB table's data events by default", async () => {
    const t = trailOf(await trail(trailArgs));
    assert.deepStrictEqual(t.inputs.advancedEventSelectors, [
      { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
      {
        name: "DynamoDB table data events",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
        ],
      },
    ]);
  });

  it("records only writes on listed tables when asked (the cost option)", async () => {
    const t = trailOf(
      await trail({ ...trailArgs, tableArns: [ORDERS, CUSTOMERS], readWriteType: "WriteOnly" }),
    );
    const [management, data] = t.inputs.advancedEventSelectors as { fieldSelectors: unknown[] }[];
    assert.deepStrictEqual(management.fieldSelectors, [
      { field: "eventCategory", equals: ["Management"] },
      { field: "readOnly", equals: ["false"] },
    ]);
    assert.deepStrictEqual(data.fieldSelectors, [
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
      { field: "readOnly", equals: ["false"] },
      { field: "resources.ARN", equals: [ORDERS, CUSTOMERS] },
    ]);
  });

  it("can also record stream reads of the listed tables' streams, and skip management events", async () => {
    const t = trailOf(
      await trail({
        ...trailArgs,
        tableArns: [ORDERS],
        includeStreamEvents: true,
        includeManagementEvents: false,
      }),
    );
    const selectors = t.inputs.advancedEventSelectors as { name: string; fieldSelectors: unknown[] }[];
    assert.deepStrictEqual(
      selectors.map((s) => s.name),
      ["DynamoDB table data events", "DynamoDB stream data events"],
    );
    assert.deepStrictEqual(selectors[1].fieldSelectors, [
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::DynamoDB::Stream"] },
      { field: "resources.ARN", startsWiths: [`${ORDERS}/stream/`] },
    ]);
  });

  it("keeps logs in a bucket with Object Lock, versioning, SSE-KMS, no ACLs and no public access", async () => {
    const resources = await trail(trailArgs);
    const bucket = one(resources, "aws:s3/bucket:Bucket");
    assert.strictEqual(bucket.inputs.objectLockEnabled, true);
    assert.strictEqual(bucket.inputs.forceDestroy, false);
    assert.strictEqual(bucket.retainOnDelete, true);
    assert.deepStrictEqual(
      one(resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration,
      {
        status: "Enabled",
      },
    );
    assert.deepStrictEqual(
      one(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").inputs.rule,
      { defaultRetention: { mode: "GOVERNANCE", days: 365 } },
    );
    const sse = one(
      resources,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    assert.deepStrictEqual(sse.inputs.rules, [
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/mrk-audit-key`,
        },
        bucketKeyEnabled: true,
      },
    ]);
    const pab = one(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
      assert.strictEqual(pab.inputs[k], true, k);
    }
    assert.deepStrictEqual(
      one(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule,
      { objectOwnership: "BucketOwnerEnforced" },
    );
    assert.strictEqual(one(resources, "aws:kms/key:Key").retainOnDelete, true);
  });

  it("creates the trail only after the bucket policy and bucket settings", async () => {
    const resources = await trail(trailArgs);
    const t = trailOf(resources);
    for (const type of [
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ]) {
      assert.ok(t.dependencies.includes(one(resources, type).urn), `trail depends on ${type}`);
    }
  });

  describe("bucket policy", () => {
    let policy: Policy;
    let bucketArn: string;
    before(async () => {
      const resources = await trail(trailArgs);
      policy = parsePolicy(one(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
      bucketArn = `arn:aws:s3:::${String(one(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.bucket)}`;
    });
    const cloudTrailPut = (key: string, sourceArn: string) =>
      evaluate({
        principal: "cloudtrail.amazonaws.com",
        action: "s3:PutObject",
        resource: `${bucketArn}/${key}`,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        context: {
          "aws:SourceArn": sourceArn,
          "s3:x-amz-acl": "bucket-owner-full-control",
          "aws:SecureTransport": "true",
          "aws:PrincipalIsAWSService": "true",
        },
      });

    it("lets CloudTrail write this trail's log files", async () => {
      assert.strictEqual(
        await cloudTrailPut(`AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/x.json.gz`, TRAIL_ARN),
        "Allowed",
      );
    });
    it("does not let another trail write (confused deputy)", async () => {
      const foreign = `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/audit`;
      assert.strictEqual(
        await cloudTrailPut(`AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/x.json.gz`, foreign),
        "ImplicitlyDenied",
      );
    });
    it("does not let CloudTrail write outside the log prefix", async () => {
      assert.strictEqual(await cloudTrailPut("elsewhere/x.json.gz", TRAIL_ARN), "ImplicitlyDenied");
    });
    it("denies every request without TLS, even from the account's administrators", async () => {
      const read = (secure: string) =>
        evaluate({
          principal: APP,
          action: "s3:GetObject",
          resource: `${bucketArn}/AWSLogs/${ACCOUNT}/x.json.gz`,
          resourceAccount: ACCOUNT,
          resourcePolicy: policy,
          identityPolicies: [ALLOW_ALL],
          context: { "aws:SecureTransport": secure },
        });
      assert.strictEqual(await read("true"), "Allowed");
      assert.strictEqual(await read("false"), "ExplicitlyDenied");
    });
    it("gives nothing to other accounts", async () => {
      assert.strictEqual(
        await evaluate({
          principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/reader`,
          action: "s3:GetObject",
          resource: `${bucketArn}/AWSLogs/${ACCOUNT}/x.json.gz`,
          resourceAccount: ACCOUNT,
          resourcePolicy: policy,
          identityPolicies: [ALLOW_ALL],
          context: { "aws:SecureTransport": "true" },
        }),
        "ImplicitlyDenied",
      );
    });
  });

  describe("key policy", () => {
    let policy: Policy;
    before(async () => {
      policy = parsePolicy(one(await trail(trailArgs), "aws:kms/key:Key").inputs.policy);
    });
    const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/mrk-audit-key`;
    const generate = (principal: string, sourceArn: string) =>
      evaluate({
        principal,
        action: "kms:GenerateDataKey",
        resource: KEY,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        context: { "aws:SourceArn": sourceArn, "aws:PrincipalIsAWSService": "true" },
      });

    it("does not let CloudTrail encrypt for another account's trail", async () => {
      assert.strictEqual(
        await generate("cloudtrail.amazonaws.com", `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/x`),
        "ImplicitlyDenied",
      );
    });
    it("does not let other services use the key", async () => {
      assert.strictEqual(await generate("s3.amazonaws.com", TRAIL_ARN), "ImplicitlyDenied");
    });
    it("scopes CloudTrail to this trail and this account's encryption context", () => {
      // The simulator drops `kms:EncryptionContext:<key>` keys whose name holds a colon, so the allowing
      // case cannot be evaluated; the denials above are, and the condition is checked here.
      const statement = policy.Statement.find((s) => s.Sid === "CloudTrailEncryptsThisTrail")!;
      assert.deepStrictEqual(statement.Condition, {
        StringEquals: { "aws:SourceArn": TRAIL_ARN },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
      });
    });
  });

  it("makes an organization trail that may write under the organization's prefix", async () => {
    const resources = await trail({ ...trailArgs, organizationId: ORG });
    assert.strictEqual(trailOf(resources).inputs.isOrganizationTrail, true);
    const bucketPolicy = one(resources, "aws:s3/bucketPolicy:BucketPolicy");
    const policy = parsePolicy(bucketPolicy.inputs.policy);
    const bucketArn = `arn:aws:s3:::${String(bucketPolicy.inputs.bucket)}`;
    assert.strictEqual(
      await evaluate({
        principal: "cloudtrail.amazonaws.com",
        action: "s3:PutObject",
        resource: `${bucketArn}/AWSLogs/${ORG}/222222222222/CloudTrail/x.json.gz`,
        resourceAccount: ACCOUNT,
        resourcePolicy: policy,
        context: {
          "aws:SourceArn": TRAIL_ARN,
          "s3:x-amz-acl": "bucket-owner-full-control",
          "aws:SecureTransport": "true",
        },
      }),
      "Allowed",
    );
  });

  it("uses a given key, bucket name, prefix and COMPLIANCE lock", async () => {
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const resources = await trail({
      ...trailArgs,
      kmsKeyArn: keyArn,
      bucketName: "acme-audit-logs",
      s3KeyPrefix: "dynamodb",
      objectLockMode: "COMPLIANCE",
      retentionDays: 2555,
      retainOnDelete: false,
    });
    assert.deepStrictEqual(byType(resources, "aws:kms/key:Key"), []);
    const t = trailOf(resources);
    assert.strictEqual(t.inputs.kmsKeyId, keyArn);
    assert.strictEqual(t.inputs.s3KeyPrefix, "dynamodb");
    const bucket = one(resources, "aws:s3/bucket:Bucket");
    assert.strictEqual(bucket.inputs.bucket, "acme-audit-logs");
    assert.strictEqual(bucket.retainOnDelete, false);
    assert.deepStrictEqual(
      one(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").inputs.rule,
      { defaultRetention: { mode: "COMPLIANCE", days: 2555 } },
    );
    const policy = parsePolicy(one(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
    const write = policy.Statement.find((s) => s.Sid === "CloudTrailWritesThisTrail")!;
    assert.deepStrictEqual(write.Resource, [`arn:aws:s3:::acme-audit-logs/dynamodb/AWSLogs/${ACCOUNT}/*`]);
  });

  it("has no log group or alarms unless asked", async () => {
    const resources = await trail(trailArgs);
    assert.deepStrictEqual(byType(resources, "aws:cloudwatch/logGroup:LogGroup"), []);
    assert.deepStrictEqual(byType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm"), []);
    assert.strictEqual(trailOf(resources).inputs.cloudWatchLogsGroupArn, undefined);
  });

  describe("alarms", () => {
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:security`;
    let resources: RecordedResource[];
    before(async () => {
      resources = await trail({ ...trailArgs, alarms: { alarmActions: [topic], deleteItemThreshold: 500 } });
    });

    it("delivers events to an encrypted log group through a role that can write only there", async () => {
      const group = one(resources, "aws:cloudwatch/logGroup:LogGroup");
      assert.strictEqual(group.inputs.name, "/aws/cloudtrail/audit");
      assert.strictEqual(group.inputs.retentionInDays, 365);
      assert.strictEqual(group.inputs.kmsKeyId, `arn:aws:kms:${REGION}:${ACCOUNT}:key/mrk-audit-key`);
      const t = trailOf(resources);
      assert.strictEqual(
        t.inputs.cloudWatchLogsGroupArn,
        `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/audit:*`,
      );
      const rolePolicy = one(resources, "aws:iam/rolePolicy:RolePolicy");
      assert.ok(
        t.dependencies.includes(rolePolicy.urn),
        "the trail waits for the delivery role's permissions",
      );
      const policy = parsePolicy(rolePolicy.inputs.policy);
      const ask = (resource: string) =>
        evaluate({
          principal: `arn:aws:iam::${ACCOUNT}:role/audit-delivery`,
          action: "logs:PutLogEvents",
          resource,
          resourceAccount: ACCOUNT,
          identityPolicies: [policy],
        });
      const groupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/cloudtrail/audit`;
      assert.strictEqual(await ask(`${groupArn}:log-stream:${ACCOUNT}_CloudTrail_us-east-1`), "Allowed");
      assert.strictEqual(
        await ask(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:other:log-stream:x`),
        "ImplicitlyDenied",
      );
      const key = parsePolicy(one(resources, "aws:kms/key:Key").inputs.policy);
      const logs = key.Statement.find((s) => s.Sid === "CloudWatchLogsEncryptsTrailLogGroup")!;
      assert.deepStrictEqual(logs.Principal, { Service: "logs.us-east-1.amazonaws.com" });
    });

    it("alarms on DeleteTable, on deletion protection turned off and on mass DeleteItem", async () => {
      const filters = byType(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
      const alarms = byType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
      assert.deepStrictEqual(
        alarms.map((a) => [a.inputs.metricName, a.inputs.threshold, a.inputs.alarmActions]),
        [
          ["audit-DeleteTable", 1, [topic]],
          ["audit-DeletionProtectionDisabled", 1, [topic]],
          ["audit-MassDeleteItem", 500, [topic]],
        ],
      );
      assert.ok(alarms.every((a) => a.inputs.period === 300 && a.inputs.statistic === "Sum"));
      assert.ok(alarms.every((a) => a.inputs.comparisonOperator === "GreaterThanOrEqualToThreshold"));
      const patterns = filters.map((f) => String(f.inputs.pattern));
      assert.match(patterns[0], /\$\.eventName = "DeleteTable"/);
      assert.match(patterns[1], /\$\.eventName = "UpdateTable".*deletionProtectionEnabled IS FALSE/);
      assert.match(patterns[2], /\$\.eventName = "DeleteItem"/);
      assert.ok(patterns.every((p) => p.includes(`$.eventSource = "dynamodb.amazonaws.com"`)));
      assert.deepStrictEqual(
        filters.map((f) => (f.inputs.metricTransformation as Record<string, string>).name),
        alarms.map((a) => a.inputs.metricName),
      );
    });
  });

  it("in preview, passes unknown table ARNs and keeps every hardened setting", async () => {
    const resources = await record(() => {
      const table = new HardenedTable("orders", {
        region: REGION,
        hashKey: "orderId",
        attributes: [{ name: "orderId", type: "S" }],
      });
      new DynamoDbDataEventsTrail("audit", { ...trailArgs, tableArns: [table.arn], alarms: {} });
    }, true);
    const t = trailOf(resources);
    assert.strictEqual(t.inputs.advancedEventSelectors, UNKNOWN);
    assert.strictEqual(t.inputs.isMultiRegionTrail, true);
    assert.strictEqual(t.inputs.enableLogFileValidation, true);
    assert.strictEqual(one(resources, "aws:s3/bucket:Bucket").inputs.objectLockEnabled, true);
  });
});

describe("DynamoDbDataEventsTrail rejects bad input", () => {
  const build =
    (args: Partial<DynamoDbDataEventsTrailArgs>, name = "audit") =>
    () =>
      new DynamoDbDataEventsTrail(name, { ...trailArgs, ...args });

  it("a bucket name S3 would reject (uppercase)", () =>
    assertRejects(build({ bucketName: "Audit-Logs" }), "bucketName", /lowercase/));
  it("a bucket name with adjacent dots", () =>
    assertRejects(build({ bucketName: "audit..logs" }), "bucketName", /adjacent dots/));
  it("a bucket name shaped like an IP address", () =>
    assertRejects(build({ bucketName: "192.168.1.1" }), "bucketName", /IP address/));
  it("a bucket name with a reserved prefix", () =>
    assertRejects(build({ bucketName: "xn--audit-logs" }), "bucketName", /reserves/));
  it("a resource name that cannot make a bucket name", () =>
    assertRejects(build({}, "Audit"), "bucketName", /set bucketName/));
  it("a trail name CloudTrail would reject", () =>
    assertRejects(build({ trailName: "audit--trail" }), "trailName", /no two symbols/));
  it("a read/write type that is not All or WriteOnly", () =>
    assertRejects(build({ readWriteType: "ReadOnly" }), "readWriteType", /All, WriteOnly/));
  it("a table ARN that is not a table ARN", () =>
    assertRejects(build({ tableArns: ["orders"] }), "tableArns[0]", /table ARN/));
  it("an Object Lock mode that S3 does not have", () =>
    assertRejects(build({ objectLockMode: "LEGAL_HOLD" }), "objectLockMode", /GOVERNANCE, COMPLIANCE/));
  it("a retention out of range", () =>
    assertRejects(build({ retentionDays: 0 }), "retentionDays", /1 to 36500/));
  it("a key in another region", () =>
    assertRejects(
      build({ kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }),
      "kmsKeyArn",
      /eu-west-1/,
    ));
  it("a key alias instead of a key ARN", () =>
    assertRejects(build({ kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/audit` }), "kmsKeyArn"));
  it("a key prefix with a leading slash", () =>
    assertRejects(build({ s3KeyPrefix: "/logs" }), "s3KeyPrefix"));
  it("an organization ID in the wrong format", () =>
    assertRejects(build({ organizationId: "r-ab12" }), "organizationId", /o-xxxxxxxxxx/));
  it("stream events with WriteOnly", () =>
    assertRejects(
      build({ includeStreamEvents: true, readWriteType: "WriteOnly" }),
      "includeStreamEvents",
      /reads/,
    ));
  it("alarms without management events", () =>
    assertRejects(
      build({ alarms: {}, includeManagementEvents: false }),
      "includeManagementEvents",
      /management events/,
    ));
  it("a DeleteItem threshold of 0", () =>
    assertRejects(build({ alarms: { deleteItemThreshold: 0 } }), "alarms.deleteItemThreshold"));
  it("a log retention CloudWatch does not offer", () =>
    assertRejects(build({ alarms: { logRetentionInDays: 366 } }), "alarms.logRetentionInDays", /365, 400/));
  it("a table ARN that is an Output, once it is known", () =>
    assertRejectsWhenResolved(build({ tableArns: [pulumi.output("arn:aws:s3:::nope")] }), "tableArns[0]"));
});

// ---------------------------------------------------------------------------------------------------------
// OrganizationGuardrails
// ---------------------------------------------------------------------------------------------------------

const BREAK_GLASS = "arn:aws:iam::*:role/DatabaseAdminBreakGlass";
const MEMBER = "222222222222";
const DEPLOYER = `arn:aws:iam::${MEMBER}:role/deployer`;
const guardrailArgs: OrganizationGuardrailsArgs = {
  organizationId: ORG,
  targetIds: ["r-ab12", "ou-ab12-cd34ef56"],
  breakGlassRoleArns: [BREAK_GLASS],
  tags: TAGS,
};
const MEMBER_TABLE = `arn:aws:dynamodb:${REGION}:${MEMBER}:table/orders`;

const guardrails = (args: OrganizationGuardrailsArgs, preview = false) =>
  record(() => new OrganizationGuardrails("guardrails", args), preview);

function policyOfType(resources: RecordedResource[], type: string): RecordedResource {
  const found = byType(resources, "aws:organizations/policy:Policy").filter((p) => p.inputs.type === type);
  assert.strictEqual(found.length, 1, `one ${type}`);
  return found[0];
}

/** The SCPs in force: AWS's FullAWSAccess plus ours, as in an organization. */
function scpsWith(scp: unknown): unknown[] {
  return [ALLOW_ALL, scp];
}

describe("OrganizationGuardrails", () => {
  it("creates one RCP and one SCP, each attached to every target", async () => {
    const resources = await guardrails(guardrailArgs);
    const rcp = policyOfType(resources, "RESOURCE_CONTROL_POLICY");
    const scp = policyOfType(resources, "SERVICE_CONTROL_POLICY");
    const attachments = byType(resources, "aws:organizations/policyAttachment:PolicyAttachment");
    const pairs = attachments.map((a) => [a.propertyDependencies.policyId[0], a.inputs.targetId]);
    assert.deepStrictEqual(pairs, [
      [rcp.urn, "r-ab12"],
      [rcp.urn, "ou-ab12-cd34ef56"],
      [scp.urn, "r-ab12"],
      [scp.urn, "ou-ab12-cd34ef56"],
    ]);
  });

  describe("resource control policy", () => {
    let rcp: Policy;
    before(async () => {
      rcp = parsePolicy(
        policyOfType(await guardrails(guardrailArgs), "RESOURCE_CONTROL_POLICY").inputs.content,
      );
    });
    /** A table whose own resource policy wrongly lets anyone named in it read. */
    const openTablePolicy = (principals: string[]) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: principals },
          Action: "dynamodb:GetItem",
          Resource: MEMBER_TABLE,
        },
      ],
    });
    const read = (principal: string, orgId: string) =>
      evaluate({
        principal,
        action: "dynamodb:GetItem",
        resource: MEMBER_TABLE,
        resourceAccount: MEMBER,
        identityPolicies: [ALLOW_ALL],
        resourcePolicy: openTablePolicy([principal]),
        resourceControlPolicies: [rcp],
        context: principalContext(principal, orgId),
      });

    it("denies a principal outside the organization, even when the table's policy lets it in", async () => {
      const outsider = `arn:aws:iam::${OTHER_ACCOUNT}:role/intruder`;
      assert.strictEqual(await read(outsider, "o-zzzzzzzzzz"), "ExplicitlyDenied");
    });
    it("lets a principal of another account in the organization through", async () => {
      assert.strictEqual(await read(`arn:aws:iam::333333333333:role/analytics`, ORG), "Allowed");
    });
    it("exempts AWS service principals, as the seed does", async () => {
      const result = await evaluate({
        principal: "dynamodb.amazonaws.com",
        action: "dynamodb:GetItem",
        resource: MEMBER_TABLE,
        resourceAccount: MEMBER,
        resourcePolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "dynamodb.amazonaws.com" },
              Action: "dynamodb:GetItem",
              Resource: MEMBER_TABLE,
            },
          ],
        },
        resourceControlPolicies: [rcp],
        context: { "aws:PrincipalIsAWSService": "true" },
      });
      assert.strictEqual(result, "Allowed");
    });
    it("leaves other services alone", async () => {
      const outsider = `arn:aws:iam::${OTHER_ACCOUNT}:role/intruder`;
      const result = await evaluate({
        principal: outsider,
        action: "sqs:SendMessage",
        resource: `arn:aws:sqs:${REGION}:${MEMBER}:queue`,
        resourceAccount: MEMBER,
        identityPolicies: [ALLOW_ALL],
        resourcePolicy: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { AWS: outsider }, Action: "sqs:SendMessage", Resource: "*" },
          ],
        },
        resourceControlPolicies: [rcp],
        context: principalContext(outsider, "o-zzzzzzzzzz"),
      });
      assert.strictEqual(result, "Allowed");
    });
  });

  it("lets named accounts outside the organization in", async () => {
    const vendor = "444444444444";
    const rcp = parsePolicy(
      policyOfType(
        await guardrails({ ...guardrailArgs, trustedAccountIds: [vendor] }),
        "RESOURCE_CONTROL_POLICY",
      ).inputs.content,
    );
    const ask = (principal: string) =>
      evaluate({
        principal,
        action: "dynamodb:GetItem",
        resource: MEMBER_TABLE,
        resourceAccount: MEMBER,
        identityPolicies: [ALLOW_ALL],
        resourcePolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: principal },
              Action: "dynamodb:GetItem",
              Resource: MEMBER_TABLE,
            },
          ],
        },
        resourceControlPolicies: [rcp],
        context: principalContext(principal, "o-vendorvendor"),
      });
    assert.strictEqual(await ask(`arn:aws:iam::${vendor}:role/support`), "Allowed");
    assert.strictEqual(await ask(`arn:aws:iam::${OTHER_ACCOUNT}:role/support`), "ExplicitlyDenied");
  });

  describe("service control policy", () => {
    let scp: Policy;
    before(async () => {
      scp = parsePolicy(
        policyOfType(
          await guardrails({ ...guardrailArgs, tableAdministratorRoleArns: [DEPLOYER] }),
          "SERVICE_CONTROL_POLICY",
        ).inputs.content,
      );
    });
    const act = (principal: string, action: string, resource = MEMBER_TABLE) =>
      evaluate({
        principal,
        action,
        resource,
        resourceAccount: MEMBER,
        identityPolicies: [ALLOW_ALL],
        serviceControlPolicies: scpsWith(scp),
        context: principalContext(principal),
      });
    const app = `arn:aws:iam::${MEMBER}:role/app`;
    const breakGlass = `arn:aws:iam::${MEMBER}:role/DatabaseAdminBreakGlass`;

    it("stops an over-privileged role from changing the table (and so turning deletion protection off)", async () => {
      assert.strictEqual(await act(app, "dynamodb:UpdateTable"), "ExplicitlyDenied");
    });
    it("does not deny the break-glass role", async () => {
      assert.strictEqual(await act(breakGlass, "dynamodb:UpdateTable"), "Allowed");
      assert.strictEqual(await act(breakGlass, "dynamodb:DeleteTable"), "Allowed");
      assert.strictEqual(
        await act(breakGlass, "dynamodb:DeleteBackup", `${MEMBER_TABLE}/backup/01700000000000-abcdef12`),
        "Allowed",
      );
    });
    it("lets table administrators change tables but not delete them", async () => {
      assert.strictEqual(await act(DEPLOYER, "dynamodb:UpdateTable"), "Allowed");
      assert.strictEqual(await act(DEPLOYER, "dynamodb:DeleteTable"), "ExplicitlyDenied");
    });
    it("stops everyone else from deleting tables and backups", async () => {
      assert.strictEqual(await act(app, "dynamodb:DeleteTable"), "ExplicitlyDenied");
      assert.strictEqual(
        await act(app, "dynamodb:DeleteBackup", `${MEMBER_TABLE}/backup/01700000000000-abcdef12`),
        "ExplicitlyDenied",
      );
    });
    it("leaves data access alone", async () => {
      assert.strictEqual(await act(app, "dynamodb:PutItem"), "Allowed");
      assert.strictEqual(await act(app, "dynamodb:Query"), "Allowed");
    });
    it("does not exempt a role that only shares the break-glass name's prefix", async () => {
      assert.strictEqual(
        await act(`arn:aws:iam::${MEMBER}:role/DatabaseAdminBreakGlassCopy`, "dynamodb:DeleteTable"),
        "ExplicitlyDenied",
      );
    });
  });

  it("turns the deletion statement off by name", async () => {
    const scp = parsePolicy(
      policyOfType(await guardrails({ ...guardrailArgs, denyDeletion: false }), "SERVICE_CONTROL_POLICY")
        .inputs.content,
    );
    const app = `arn:aws:iam::${MEMBER}:role/app`;
    const ask = (action: string) =>
      evaluate({
        principal: app,
        action,
        resource: MEMBER_TABLE,
        resourceAccount: MEMBER,
        identityPolicies: [ALLOW_ALL],
        serviceControlPolicies: scpsWith(scp),
        context: principalContext(app),
      });
    assert.strictEqual(await ask("dynamodb:DeleteTable"), "Allowed");
    assert.strictEqual(await ask("dynamodb:UpdateTable"), "ExplicitlyDenied");
  });

  it("creates only the SCP without the RCP, and only the RCP without SCP statements", async () => {
    const noRcp = await guardrails({ ...guardrailArgs, denyExternalPrincipals: false });
    assert.deepStrictEqual(
      byType(noRcp, "aws:organizations/policy:Policy").map((p) => p.inputs.type),
      ["SERVICE_CONTROL_POLICY"],
    );
    const noScp = await guardrails({
      ...guardrailArgs,
      breakGlassRoleArns: [],
      guardDeletionProtection: false,
      denyDeletion: false,
    });
    assert.deepStrictEqual(
      byType(noScp, "aws:organizations/policy:Policy").map((p) => p.inputs.type),
      ["RESOURCE_CONTROL_POLICY"],
    );
  });
});

describe("OrganizationGuardrails rejects bad input", () => {
  const build = (args: Partial<OrganizationGuardrailsArgs>) => () =>
    new OrganizationGuardrails("guardrails", { ...guardrailArgs, ...args });

  it("a policy target that is an organization ID", () =>
    assertRejects(build({ targetIds: [ORG] }), "targetIds[0]", /r-xxxx.*ou-xxxx/));
  it("a policy target that is not an organization ID at all", () =>
    assertRejects(build({ targetIds: ["r-ab12", "vpc-0a1b2c3d"] }), "targetIds[1]"));
  it("no targets", () => assertRejects(build({ targetIds: [] }), "targetIds", /at least one/));
  it("a target listed twice", () =>
    assertRejects(build({ targetIds: ["r-ab12", "r-ab12"] }), "targetIds[1]"));
  it("an organization ID in the wrong format", () =>
    assertRejects(build({ organizationId: "o-123" }), "organizationId", /o-xxxxxxxxxx/));
  it("no break-glass role", () =>
    assertRejects(build({ breakGlassRoleArns: [] }), "breakGlassRoleArns", /break-glass/));
  it("a break-glass role that is not a role ARN", () =>
    assertRejects(build({ breakGlassRoleArns: ["arn:aws:iam::*:user/admin"] }), "breakGlassRoleArns[0]"));
  it("a break-glass pattern that matches every role", () =>
    assertRejects(
      build({ breakGlassRoleArns: ["arn:aws:iam::*:role/*"] }),
      "breakGlassRoleArns[0]",
      /every role/,
    ));
  it("an administrator role that is not a role ARN", () =>
    assertRejects(build({ tableAdministratorRoleArns: ["deployer"] }), "tableAdministratorRoleArns[0]"));
  it("a trusted account that is not an account ID", () =>
    assertRejects(build({ trustedAccountIds: ["vendor"] }), "trustedAccountIds[0]", /12-digit/));
  it("every policy turned off", () =>
    assertRejects(
      build({ denyExternalPrincipals: false, guardDeletionProtection: false, denyDeletion: false }),
      "denyExternalPrincipals",
    ));
  it("an SCP larger than AWS Organizations accepts", () =>
    assertRejects(
      build({
        tableAdministratorRoleArns: Array.from(
          { length: 80 },
          (_, i) => `arn:aws:iam::${String(100000000000 + i)}:role/pipelines/deployment-role-${i}`,
        ),
      }),
      "breakGlassRoleArns",
      /5120/,
    ));
});

// ---------------------------------------------------------------------------------------------------------
// Every child of every configuration
// ---------------------------------------------------------------------------------------------------------

describe("guardrail children", () => {
  const configurations: [string, string, () => unknown][] = [
    ["endpoint", "DynamoDbGatewayEndpoint", () => new DynamoDbGatewayEndpoint("edge", endpointArgs)],
    [
      "endpoint, all tables",
      "DynamoDbGatewayEndpoint",
      () =>
        new DynamoDbGatewayEndpoint("edge", {
          ...endpointArgs,
          tableArns: undefined,
          allowAllTablesInAccount: true,
        }),
    ],
    ["DAX", "HardenedDaxCluster", () => new HardenedDaxCluster("cache", daxArgs)],
    [
      "DAX, plaintext single node",
      "HardenedDaxCluster",
      () =>
        new HardenedDaxCluster("cache", {
          ...daxArgs,
          tls: false,
          allowPlaintext: true,
          replicationFactor: 1,
          allowFewerThanThreeNodes: true,
        }),
    ],
    ["trail", "DynamoDbDataEventsTrail", () => new DynamoDbDataEventsTrail("audit", trailArgs)],
    [
      "trail with alarms",
      "DynamoDbDataEventsTrail",
      () =>
        new DynamoDbDataEventsTrail("audit", {
          ...trailArgs,
          tableArns: [ORDERS],
          readWriteType: "WriteOnly",
          organizationId: ORG,
          alarms: { alarmActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:security`] },
        }),
    ],
    ["guardrails", "OrganizationGuardrails", () => new OrganizationGuardrails("guardrails", guardrailArgs)],
  ];
  for (const [label, component, program] of configurations) {
    for (const preview of [false, true]) {
      it(`${label}${preview ? " (preview)" : ""}: every child is parented, regional and tagged`, async () => {
        const resources = await record(program, preview);
        assertChildInvariants(resources, { tags: managedBy(component), regions: [REGION] });
      });
    }
  }
});

describe("guardrail examples preview offline", () => {
  const examples: [string, string[], Record<string, string>][] = [
    [
      "dax",
      ["HardenedTable", "DynamoDbGatewayEndpoint", "HardenedDaxCluster"],
      { app: "shop", environment: "dev" },
    ],
    ["org-guardrails", ["OrganizationGuardrails", "DynamoDbDataEventsTrail"], { owner: "platform-security" }],
  ];
  for (const [dir, components, tags] of examples) {
    it(`examples/${dir}`, async () => {
      const project = loadProject(path.resolve(__dirname, "..", "..", "..", "examples", dir));
      const recording = await runProgram(project);
      assert.deepStrictEqual(recording.errors.map(String), []);
      const made = recording.resources.filter((r) => r.type.startsWith("dynamodb-hardened:"));
      assert.deepStrictEqual(
        [...new Set(made.map((r) => r.type.split(":")[2]))].sort(),
        [...components].sort(),
      );
      assertChildInvariants(recording.resources, { tags, regions: [REGION] });
    });
  }
});

describe("guardrail children under the policy pack", function () {
  let pack: AnalyzerClient;
  before(async function () {
    this.timeout(180_000);
    pack = await AnalyzerClient.start(path.resolve(__dirname, "..", "..", "..", "policypack"));
  });
  after(async () => pack?.close());

  const table = () =>
    new HardenedTable("orders", {
      region: REGION,
      hashKey: "orderId",
      attributes: [{ name: "orderId", type: "S" }],
    });

  /** Per-resource findings on the guardrail components' children, and the stack's practice-6 findings. */
  async function findings(program: () => unknown, preview: boolean) {
    const recording = await recordProgram(program, { preview, withStack: true });
    assert.deepStrictEqual(recording.errors.map(String), []);
    const guardrailChildren = recording.resources.filter(
      (r) =>
        r.custom &&
        recording.resources.some(
          (c) =>
            c.urn === r.parent &&
            /:(DynamoDbGatewayEndpoint|HardenedDaxCluster|DynamoDbDataEventsTrail|OrganizationGuardrails)$/.test(
              c.type,
            ),
        ),
    );
    const perResource: string[] = [];
    for (const r of guardrailChildren) {
      const result = await pack.analyze(fromRecorded(r, recording.resources));
      for (const d of result.diagnostics)
        perResource.push(`${r.type} ${r.name}: ${d.policyName}: ${d.message.split("\n")[0]}`);
    }
    const stack = await pack.analyzeStack(stackFromRecording(recording.resources));
    const dataEvents = stack.diagnostics.filter((d) => d.message.includes("[practice 6"));
    return { perResource, dataEvents, checked: guardrailChildren.length };
  }

  for (const preview of [false, true]) {
    it(`finds nothing to fix in any guardrail's children, and the trail covers the table${preview ? " (preview)" : ""}`, async () => {
      const result = await findings(() => {
        const orders = table();
        new DynamoDbGatewayEndpoint("edge", { ...endpointArgs, tableArns: [orders.arn] });
        new HardenedDaxCluster("cache", { ...daxArgs, tableArns: [orders.arn] });
        new DynamoDbDataEventsTrail("audit", { ...trailArgs, tableArns: [orders.arn], alarms: {} });
        new OrganizationGuardrails("guardrails", guardrailArgs);
      }, preview);
      assert.ok(result.checked > 25, `only ${result.checked} children checked`);
      assert.deepStrictEqual(result.perResource, []);
      assert.deepStrictEqual(
        result.dataEvents.map((d) => d.message),
        [],
      );
    });
  }

  it("reports a table no trail covers, and an endpoint loosened to every table", async () => {
    const result = await findings(() => {
      table();
      new DynamoDbGatewayEndpoint("edge", {
        ...endpointArgs,
        tableArns: undefined,
        allowAllTablesInAccount: true,
      });
    }, false);
    assert.strictEqual(result.dataEvents.length, 1);
    assert.ok(
      result.perResource.some((f) =>
        f.startsWith("aws:ec2/vpcEndpoint:VpcEndpoint edge-endpoint: dynamodb-vpc-endpoint-policy"),
      ),
    );
  });
});
