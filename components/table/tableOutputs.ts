import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedTableArgs } from "./resolveTableArgs";
import { TableKeys } from "./tableKeys";

/** The table's ARNs, stream ARNs and key ARNs keyed by region: its own region and every replica's. */
export interface RegionalOutputs {
  tableArns: pulumi.Output<Record<string, string>>;
  streamArns: pulumi.Output<Record<string, string>>;
  keyArns: pulumi.Output<Record<string, string>>;
}

export function regionalOutputs(
  table: ResolvedTableArgs,
  resource: aws.dynamodb.Table,
  keys: TableKeys,
  ownRegion: pulumi.Output<string>,
  regionArn: (region: string) => pulumi.Output<string>,
  /** Stream ARNs of replicas that are `TableReplica` resources (not in the table's `replicas` output). */
  separateStreamArns: pulumi.Output<Record<string, string>> = pulumi.output<Record<string, string>>({}),
): RegionalOutputs {
  const replicaRegions = table.replicas.map((r) => r.region);
  const tableArns = pulumi
    .all([ownRegion, resource.arn, ...replicaRegions.map(regionArn)])
    .apply(([own, ownArn, ...arns]) => ({
      [own]: ownArn,
      ...Object.fromEntries(replicaRegions.map((r, i) => [r, arns[i]])),
    }));
  const streamArns = pulumi
    .all([ownRegion, resource.streamArn, resource.replicas, separateStreamArns])
    .apply(([own, arn, replicas, separate]) => {
      const byRegion: Record<string, string> = { ...separate };
      if (arn) byRegion[own] = arn;
      for (const replica of replicas ?? []) {
        if (replica.streamArn && replica.regionName) byRegion[replica.regionName] = replica.streamArn;
      }
      return byRegion;
    });
  const keyArns = pulumi
    .all([
      ownRegion,
      pulumi.output(keys.tableKeyArn),
      pulumi.all(replicaRegions.map((r) => pulumi.output(keys.arns[r]))),
    ])
    .apply(([own, ownKey, replicaKeys]) => {
      const byRegion: Record<string, string> = {};
      if (ownKey) byRegion[own as string] = ownKey;
      replicaRegions.forEach((r, i) => {
        const key = replicaKeys[i];
        if (key) byRegion[r] = key;
      });
      return byRegion;
    });
  return { tableArns, streamArns, keyArns };
}
