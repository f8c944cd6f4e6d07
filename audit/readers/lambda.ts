import {
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  type EventSourceMappingConfiguration,
} from "@aws-sdk/client-lambda";
import { all } from "../sdk";

/** Event source mappings whose source is a DynamoDB stream. */
export async function streamMappings(client: LambdaClient): Promise<EventSourceMappingConfiguration[]> {
  const list = await all(async (token) => {
    const out = await client.send(new ListEventSourceMappingsCommand({ Marker: token }));
    return { items: out.EventSourceMappings, next: out.NextMarker };
  });
  return list.filter((m) => /^arn:[^:]+:dynamodb:/.test(m.EventSourceArn ?? ""));
}

/** A Lambda function attached to a VPC: only what practice 5 reads, to keep memory bounded. */
export interface VpcFunction {
  name: string;
  arn: string;
  vpcId: string | undefined;
  subnets: string[];
}

/** The region's functions with subnets (ListFunctions; VpcConfig is part of each function's configuration). */
export async function vpcFunctions(client: LambdaClient): Promise<VpcFunction[]> {
  const out: VpcFunction[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListFunctionsCommand({ Marker: marker }));
    for (const f of page.Functions ?? []) {
      const subnets = f.VpcConfig?.SubnetIds ?? [];
      if (!subnets.length || !f.FunctionName) continue;
      out.push({
        name: f.FunctionName,
        arn: f.FunctionArn ?? f.FunctionName,
        vpcId: f.VpcConfig?.VpcId,
        subnets,
      });
    }
    marker = page.NextMarker;
  } while (marker);
  return out;
}
