import {
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  type Filter,
  type RouteTable,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import { all } from "../sdk";

/** The regions enabled in the account (DescribeRegions without AllRegions leaves out opt-in regions not enabled). */
export async function enabledRegions(client: EC2Client): Promise<string[]> {
  const out = await client.send(new DescribeRegionsCommand({}));
  return (out.Regions ?? [])
    .map((r) => r.RegionName)
    .filter((r): r is string => !!r)
    .sort();
}

/** VPC endpoints of the region's DynamoDB service. */
export function dynamoDbEndpoints(client: EC2Client, region: string): Promise<VpcEndpoint[]> {
  return all(async (token) => {
    const out = await client.send(
      new DescribeVpcEndpointsCommand({
        Filters: [{ Name: "service-name", Values: [`com.amazonaws.${region}.dynamodb`] }],
        NextToken: token,
      }),
    );
    return { items: out.VpcEndpoints, next: out.NextToken };
  });
}

/** A subnet's route table: its explicit association, or else its VPC's main route table. */
export interface SubnetRoute {
  subnet: string;
  routeTable: string;
}

/** Filter values per DescribeRouteTables call (EC2 caps the values of a filter; 200 is within it). */
const CHUNK = 200;

async function routeTables(client: EC2Client, filters: Filter[]): Promise<RouteTable[]> {
  return all(async (token) => {
    const out = await client.send(new DescribeRouteTablesCommand({ Filters: filters, NextToken: token }));
    return { items: out.RouteTables, next: out.NextToken };
  });
}

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/**
 * The route table of each subnet: the one explicitly associated with it, or the main route table of its VPC
 * (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html#main-route-table).
 */
export async function subnetRoutes(
  client: EC2Client,
  subnetVpc: Map<string, string | undefined>,
): Promise<SubnetRoute[]> {
  const out: SubnetRoute[] = [];
  const explicit = new Set<string>();
  for (const values of chunks([...subnetVpc.keys()])) {
    for (const t of await routeTables(client, [{ Name: "association.subnet-id", Values: values }])) {
      for (const a of t.Associations ?? []) {
        if (!a.SubnetId || !t.RouteTableId || !subnetVpc.has(a.SubnetId)) continue;
        if (a.AssociationState?.State && a.AssociationState.State !== "associated") continue;
        out.push({ subnet: a.SubnetId, routeTable: t.RouteTableId });
        explicit.add(a.SubnetId);
      }
    }
  }
  const implicit = [...subnetVpc].filter(([s, vpc]) => !explicit.has(s) && vpc);
  const vpcs = [...new Set(implicit.map(([, vpc]) => vpc!))];
  const main = new Map<string, string>();
  for (const values of chunks(vpcs)) {
    const filters = [
      { Name: "association.main", Values: ["true"] },
      { Name: "vpc-id", Values: values },
    ];
    for (const t of await routeTables(client, filters))
      if (t.VpcId && t.RouteTableId) main.set(t.VpcId, t.RouteTableId);
  }
  for (const [subnet, vpc] of implicit) {
    const table = main.get(vpc!);
    if (table) out.push({ subnet, routeTable: table });
  }
  return out;
}
