import {
  DescribeRegionsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
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
