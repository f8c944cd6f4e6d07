/** Letters AWS uses for a region's direction in zone IDs (`use1-az1`, `apse2-az3`). */
const DIRECTION: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/** Regions with more than three Availability Zones (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html). */
const ZONE_COUNT: Record<string, number> = {
  "us-east-1": 6,
  "us-west-2": 4,
  "ap-northeast-1": 4,
  "ap-northeast-2": 4,
};

function zoneIdPrefix(region: string): string {
  const [area, direction, number] = region.split("-");
  return `${area}${DIRECTION[direction] ?? direction?.[0] ?? ""}${number ?? ""}`;
}

/**
 * What `aws.getAvailabilityZones` answers for `region`: zone names (`us-east-1a`...), zone IDs
 * (`use1-az1`...), the region as group name, minus the excluded names and IDs.
 */
export function availabilityZones(region: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const count = ZONE_COUNT[region] ?? 3;
  const excludeNames = new Set(Array.isArray(inputs.excludeNames) ? inputs.excludeNames : []);
  const excludeIds = new Set(Array.isArray(inputs.excludeZoneIds) ? inputs.excludeZoneIds : []);
  const zones = Array.from({ length: count }, (_, i) => ({
    name: `${region}${String.fromCharCode(97 + i)}`,
    id: `${zoneIdPrefix(region)}-az${i + 1}`,
  })).filter((z) => !excludeNames.has(z.name) && !excludeIds.has(z.id));
  return {
    ...inputs,
    id: region,
    region,
    names: zones.map((z) => z.name),
    zoneIds: zones.map((z) => z.id),
    groupNames: [region],
  };
}
