import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetResourcePolicyCommand,
  ListGlobalTablesCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  type ContinuousBackupsDescription,
  type GlobalTable,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { all, errorCode, pages } from "../sdk";

/** What the audit reads of one table. A field is `Error` when its call failed (the rules treat it as unknown). */
export interface TableRead {
  table: TableDescription;
  backups: ContinuousBackupsDescription | Error;
  tags: Record<string, string> | Error;
  /** The table's resource policy: undefined when it has none. */
  policy: string | undefined | Error;
  /** The stream's resource policy, read only when the table has a stream. */
  streamPolicy: string | undefined | Error;
}

/** Table names, page by page (ListTables returns at most 100 a page). */
export function tableNames(client: DynamoDBClient): AsyncGenerator<string[]> {
  return pages(async (token) => {
    const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: token }));
    return { items: out.TableNames, next: out.LastEvaluatedTableName };
  });
}

/** Version 2017.11.29 global tables (ListGlobalTables lists only those). */
export function legacyGlobalTables(client: DynamoDBClient): Promise<GlobalTable[]> {
  return all(async (token) => {
    const out = await client.send(new ListGlobalTablesCommand({ ExclusiveStartGlobalTableName: token }));
    return { items: out.GlobalTables, next: out.LastEvaluatedGlobalTableName };
  });
}

async function settle<T>(read: () => Promise<T>): Promise<T | Error> {
  try {
    return await read();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

async function resourcePolicy(client: DynamoDBClient, arn: string): Promise<string | undefined> {
  try {
    const out = await client.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    return out.Policy;
  } catch (e) {
    if (errorCode(e) === "PolicyNotFoundException") return undefined;
    throw e;
  }
}

/**
 * One table: DescribeTable, then continuous backups, tags and resource policies in parallel (4 calls, 5 with a
 * stream). Undefined when the table disappeared between ListTables and DescribeTable.
 */
export async function readTable(client: DynamoDBClient, name: string): Promise<TableRead | undefined> {
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (e) {
    if (errorCode(e) === "ResourceNotFoundException") return undefined;
    throw e;
  }
  if (!table?.TableArn) return undefined;
  const arn = table.TableArn;
  const streamArn = table.StreamSpecification?.StreamEnabled ? table.LatestStreamArn : undefined;
  const [backups, tags, policy, streamPolicy] = await Promise.all([
    settle(async () => {
      const out = await client.send(new DescribeContinuousBackupsCommand({ TableName: name }));
      if (!out.ContinuousBackupsDescription) throw new Error("no ContinuousBackupsDescription");
      return out.ContinuousBackupsDescription;
    }),
    settle(async () => {
      const tags: Record<string, string> = {};
      for (const tag of await all(async (token) => {
        const out = await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn, NextToken: token }));
        return { items: out.Tags, next: out.NextToken };
      }))
        if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
      return tags;
    }),
    settle(() => resourcePolicy(client, arn)),
    streamArn ? settle(() => resourcePolicy(client, streamArn)) : Promise.resolve(undefined),
  ]);
  return { table, backups, tags, policy, streamPolicy };
}
