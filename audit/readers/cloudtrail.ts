import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetEventSelectorsCommandOutput,
  type Trail,
} from "@aws-sdk/client-cloudtrail";

/** Trails that record this region: its own, multi-Region ones homed elsewhere, organization trails. */
export async function trailsOf(client: CloudTrailClient, region: string): Promise<Trail[]> {
  const out = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  return (out.trailList ?? []).filter((t) => t.TrailARN && (t.HomeRegion === region || t.IsMultiRegionTrail));
}

export interface TrailDetail {
  logging: boolean;
  selectors: GetEventSelectorsCommandOutput;
}

/** Status and selectors of a trail, asked of its home region (once per account: see `AccountCache`). */
export async function trailDetail(client: CloudTrailClient, trailArn: string): Promise<TrailDetail> {
  const [status, selectors] = await Promise.all([
    client.send(new GetTrailStatusCommand({ Name: trailArn })),
    client.send(new GetEventSelectorsCommand({ TrailName: trailArn })),
  ]);
  return { logging: status.IsLogging === true, selectors };
}
