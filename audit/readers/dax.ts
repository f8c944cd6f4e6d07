import { DAXClient, DescribeClustersCommand, type Cluster } from "@aws-sdk/client-dax";
import { all } from "../sdk";

export function readClusters(client: DAXClient): Promise<Cluster[]> {
  return all(async (token) => {
    const out = await client.send(new DescribeClustersCommand({ NextToken: token }));
    return { items: out.Clusters, next: out.NextToken };
  });
}
