import { ComputeFacts, RouteAssociationFacts, Subject } from "./model";
import { Bag, Maybe, UNKNOWN, arr, at, obj, str } from "./value";

/**
 * Where VPC compute runs and where a DynamoDB gateway endpoint routes: subnets, their route tables, and the
 * endpoint's route tables. A gateway endpoint only serves subnets whose route table carries its prefix-list
 * route (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
 */

/** A list of IDs at `path` (dot-separated) in a bag: known, unknown, or absent. */
function listAt(props: Bag, path: string[]): Maybe<Maybe<string>[]> {
  let value: unknown = props;
  for (const key of path) {
    const o = obj(value);
    if (o === UNKNOWN) return UNKNOWN;
    value = at(o, key);
  }
  const single = str(value);
  if (single !== undefined) return [single];
  const list = arr(value);
  if (list === UNKNOWN) return UNKNOWN;
  return list?.map((item) => str(item));
}

/** The subnets of each kind of VPC compute, and the top-level property they come through. */
const SUBNETS: Record<string, { path: string[] }> = {
  "aws:lambda/function:Function": { path: ["vpcConfig", "subnetIds"] },
  "aws-native:lambda:Function": { path: ["vpcConfig", "subnetIds"] },
  "aws:ecs/service:Service": { path: ["networkConfiguration", "subnets"] },
  "aws-native:ecs:Service": { path: ["networkConfiguration", "awsvpcConfiguration", "subnets"] },
  "aws:ec2/instance:Instance": { path: ["subnetId"] },
  "aws-native:ec2:Instance": { path: ["subnetId"] },
  "aws:autoscaling/group:Group": { path: ["vpcZoneIdentifiers"] },
};

export function computeSubnets(type: string, props: Bag): Pick<ComputeFacts, "subnets" | "subnetsKey"> {
  const spec = SUBNETS[type];
  if (!spec) return { subnets: undefined, subnetsKey: "" };
  return { subnets: listAt(props, spec.path), subnetsKey: spec.path[0] };
}

export function endpointRouteTables(props: Bag): Maybe<Maybe<string>[]> {
  return listAt(props, ["routeTableIds"]);
}

export const SUBNET_TYPES = new Set(["aws:ec2/subnet:Subnet", "aws-native:ec2:Subnet"]);
export const ROUTE_TABLE_TYPES = new Set([
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/defaultRouteTable:DefaultRouteTable",
  "aws-native:ec2:RouteTable",
]);
export const ENDPOINT_TYPES = new Set(["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"]);

/** Normalizer of the association resources: subnet-to-route-table and endpoint-to-route-table. */
export function routeAssociation(
  of: "subnet" | "endpoint",
  memberKey: string,
): (r: { props: Bag }, subject: Subject) => RouteAssociationFacts {
  return (r, subject) => ({
    kind: "route-association",
    subject,
    of,
    member: str(r.props[memberKey]),
    memberKey,
    routeTable: str(r.props.routeTableId),
  });
}
