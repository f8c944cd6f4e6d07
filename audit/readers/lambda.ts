import {
  LambdaClient,
  ListEventSourceMappingsCommand,
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
