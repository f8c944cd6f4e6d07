import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// In your own project: import { ... } from "dynamodb-hardened";
import { DynamoDbGatewayEndpoint, HardenedDaxCluster, HardenedTable } from "../../components";

interface Network {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  routeTableIds: pulumi.Input<string>[];
  clientSecurityGroupIds: pulumi.Input<string>[];
}

const config = new pulumi.Config();
const region = config.get("region") ?? new pulumi.Config("aws").get("region") ?? "us-east-1";
const environment = config.get("environment") ?? "dev";
const tags = { app: "shop", environment };

/** A small private VPC (no internet gateway) with three subnets, one per Availability Zone. */
function demoNetwork(): Network {
  const zones =
    config.getObject<string[]>("availabilityZones") ?? ["a", "b", "c"].map((z) => `${region}${z}`);
  const vpc = new aws.ec2.Vpc("shop", { cidrBlock: "10.42.0.0/16", region, tags });
  const routes = new aws.ec2.RouteTable("shop-private", { vpcId: vpc.id, region, tags });
  const subnets = zones.map((zone, i) => {
    const subnet = new aws.ec2.Subnet(`shop-private-${zone}`, {
      vpcId: vpc.id,
      cidrBlock: `10.42.${i}.0/24`,
      availabilityZone: zone,
      region,
      tags,
    });
    new aws.ec2.RouteTableAssociation(`shop-private-${zone}`, {
      subnetId: subnet.id,
      routeTableId: routes.id,
      region,
    });
    return subnet.id;
  });
  const app = new aws.ec2.SecurityGroup("shop-app", {
    description: "Application tasks that read through DAX",
    vpcId: vpc.id,
    region,
    tags,
  });
  return { vpcId: vpc.id, subnetIds: subnets, routeTableIds: [routes.id], clientSecurityGroupIds: [app.id] };
}

/** Your own VPC, when `vpcId` is configured. */
function existingNetwork(vpcId: string): Network {
  return {
    vpcId,
    subnetIds: config.requireObject<string[]>("subnetIds"),
    routeTableIds: config.getObject<string[]>("routeTableIds") ?? [],
    clientSecurityGroupIds: config.requireObject<string[]>("clientSecurityGroupIds"),
  };
}

const vpcId = config.get("vpcId");
const network = vpcId ? existingNetwork(vpcId) : demoNetwork();

const orders = new HardenedTable("orders", {
  region,
  hashKey: "orderId",
  attributes: [{ name: "orderId", type: "S" }],
  tags,
});

// DAX nodes reach DynamoDB through the service, but the application's own calls (writes, Scan,
// transactions) go straight to DynamoDB: keep them on the AWS network, and only to this table.
let endpoint: DynamoDbGatewayEndpoint | undefined;
if (network.routeTableIds.length) {
  endpoint = new DynamoDbGatewayEndpoint("shop", {
    region,
    vpcId: network.vpcId,
    routeTableIds: network.routeTableIds,
    tableArns: [orders.arn],
    tags,
  });
}

// Encrypted at rest and with TLS, three nodes across Availability Zones, reachable only from the
// application's security group on port 9111, and a role that can touch only the orders table.
const cache = new HardenedDaxCluster("orders-cache", {
  region,
  clusterName: config.get("clusterName") ?? `orders-${environment}`,
  nodeType: config.get("nodeType") ?? "dax.t3.medium",
  vpcId: network.vpcId,
  subnetIds: network.subnetIds,
  clientSecurityGroupIds: network.clientSecurityGroupIds,
  tableArns: [orders.arn],
  tags,
});

export const tableName = orders.name;
export const daxEndpoint = cache.clusterEndpoint;
export const daxPort = cache.port;
export const daxClusterArn = cache.arn;
export const vpcEndpointId = endpoint?.vpceId;
