import { parseDynamoDbArn } from "../facts/arn";
import { isAllow, known } from "../facts/iam";
import { EndpointFacts } from "../facts/model";
import { ENDPOINT_TYPES, ROUTE_TABLE_TYPES, SUBNET_TYPES } from "../facts/network";
import { urnType } from "../facts/provenance";
import { Node, StackModel } from "../facts/stack";
import { Maybe, UNKNOWN, hasWildcard } from "../facts/value";
import { statementLabel } from "./docs";
import { Finding } from "./finding";
import { resourcePolicy } from "../policies";
import type { StackCheck } from "./stackPolicy";
import { definePractice } from "./practice";

export const practice = definePractice(5, "VPC gateway endpoints and network isolation", {
  controls: ["AWS Config service-vpc-endpoint-enabled"],
  topics: ["network"],
});

/** A resource pattern names specific tables: a DynamoDB ARN without wildcards in the table name. */
function namesTables(resource: string): boolean {
  const arn = parseDynamoDbArn(resource);
  return !!arn && arn.table !== "" && !hasWildcard(arn.table);
}

/** Practice 5: a DynamoDB VPC endpoint carries a policy scoped to named actions and named tables. */
export function endpointPolicyFindings(e: EndpointFacts): Finding[] {
  if (e.dynamoDb !== "yes") return [];
  const fix = `set ${e.policyPath} to a policy that allows named actions (dynamodb:GetItem, dynamodb:Query, ...) on named table ARNs.`;
  if (e.policyPresent === "no") {
    return [
      {
        practice,
        subject: e.subject,
        problem:
          "the DynamoDB endpoint has no policy, so the default policy allows every action on every table, in any account.",
        fix,
      },
    ];
  }
  if (e.doc.unknown) return [];
  if (e.doc.invalid) {
    return [
      {
        practice,
        subject: e.subject,
        where: e.policyPath,
        problem: "the endpoint policy is not a readable IAM policy document.",
        fix,
      },
    ];
  }
  const findings: Finding[] = [];
  const held = { label: "endpoint policy", doc: e.doc };
  for (const st of e.doc.statements) {
    if (!isAllow(st)) continue;
    const problems: string[] = [];
    const wild = known(st.actions).filter(hasWildcard);
    if (wild.length) problems.push(`wildcard actions ${wild.map((a) => `"${a}"`).join(", ")}`);
    if (st.notActions !== undefined) problems.push("NotAction");
    if (st.actions === undefined && st.notActions === undefined) problems.push("no Action");
    const broad = known(st.resources).filter((r) => !namesTables(r));
    if (broad.length)
      problems.push(`resources that are not named tables: ${broad.map((r) => `"${r}"`).join(", ")}`);
    if (st.notResources !== undefined) problems.push("NotResource");
    if (st.resources === undefined && st.notResources === undefined) problems.push("no Resource");
    if (problems.length) {
      findings.push({
        practice,
        subject: e.subject,
        where: statementLabel(held, st),
        problem: `the endpoint policy allows ${problems.join("; ")}.`,
        fix,
      });
    }
  }
  return findings;
}

/** Resource references: known IDs, plus the URNs of the resources of the right types that unknown values come from. */
interface Refs {
  ids: string[];
  /** Some value is unknown and no dependency of the right type explains it. */
  unexplained: boolean;
}

function refsOf(values: Maybe<Maybe<string>[]>, deps: string[], types: Set<string>): Refs {
  const typed = deps.filter((urn) => types.has(urnType(urn) ?? ""));
  const ids = [...typed];
  let unexplained = false;
  if (values === UNKNOWN) unexplained = !typed.length;
  else
    for (const v of values ?? []) {
      if (typeof v === "string") ids.push(v);
      else if (v === UNKNOWN && !typed.length) unexplained = true;
    }
  return { ids, unexplained };
}

function refLabel(ref: string): string {
  return ref.startsWith("urn:pulumi:") ? `"${ref.slice(ref.lastIndexOf("::") + 2)}"` : ref;
}

interface Routing {
  /** Route tables a DynamoDB gateway endpoint routes, by region ("" when the endpoint's region is unknown). */
  served: Map<string, Set<string>>;
  /** Route tables attached to endpoints the stack cannot identify (known IDs of endpoints made elsewhere). */
  maybeServed: Set<string>;
  /** Some DynamoDB gateway endpoint's route tables are not known and not explained by dependencies. */
  servedUnknown: boolean;
  /** Route tables of each subnet (by ID or URN). */
  subnetTables: Map<string, Set<string>>;
}

function routing(model: StackModel, gateways: Node<EndpointFacts>[]): Routing {
  const r: Routing = {
    served: new Map(),
    maybeServed: new Set(),
    servedUnknown: false,
    subnetTables: new Map(),
  };
  const serve = (region: Maybe<string>, table: string) => {
    const key = typeof region === "string" ? region : "";
    let set = r.served.get(key);
    if (!set) r.served.set(key, (set = new Set()));
    set.add(table);
  };
  const gatewayByRef = new Map<string, Node<EndpointFacts>>();
  for (const g of gateways) {
    gatewayByRef.set(g.facts.subject.urn, g);
    const tables = refsOf(g.facts.routeTables, g.dependencies.of("routeTableIds"), ROUTE_TABLE_TYPES);
    if (tables.unexplained) r.servedUnknown = true;
    for (const t of tables.ids) serve(g.facts.placement.region, t);
  }
  for (const a of model.routeAssociations) {
    const f = a.facts;
    const member = refsOf(
      f.member === undefined ? undefined : [f.member],
      a.dependencies.of(f.memberKey),
      f.of === "subnet" ? SUBNET_TYPES : ENDPOINT_TYPES,
    );
    const table = refsOf(
      f.routeTable === undefined ? undefined : [f.routeTable],
      a.dependencies.of("routeTableId"),
      ROUTE_TABLE_TYPES,
    );
    if (f.of === "endpoint") {
      for (const m of member.ids) {
        const g = gatewayByRef.get(m);
        if (g) for (const t of table.ids) serve(g.facts.placement.region, t);
        else if (!m.startsWith("urn:pulumi:")) for (const t of table.ids) r.maybeServed.add(t);
      }
      if (member.unexplained) for (const t of table.ids) r.maybeServed.add(t);
      if (table.unexplained && member.ids.some((m) => gatewayByRef.has(m))) r.servedUnknown = true;
      continue;
    }
    if (table.unexplained) continue;
    for (const m of member.ids) {
      let set = r.subnetTables.get(m);
      if (!set) r.subnetTables.set(m, (set = new Set()));
      for (const t of table.ids) set.add(t);
    }
  }
  return r;
}

/**
 * Practice 5, stack level: a stack that has DynamoDB tables and VPC-attached compute (Lambda in a VPC, EC2,
 * ECS awsvpc services, Auto Scaling groups) needs a DynamoDB gateway endpoint in that compute's region, routed
 * from the route tables of the subnets the compute runs in. Subnets and route tables created in the stack are
 * matched through the engine's property dependencies when their IDs are unknown.
 */
export function gatewayEndpointFindings(model: StackModel): Finding[] {
  if (!model.tables.some((t) => t.facts.shape === "table") || !model.compute.length) return [];
  const regions = new Set<string>();
  let anyRegion = false;
  const gateways: Node<EndpointFacts>[] = [];
  for (const e of model.endpoints) {
    const f = e.facts;
    if (f.dynamoDb === "no" || f.gateway === "no") continue;
    if (f.dynamoDb === "yes" && f.gateway === "yes") gateways.push(e);
    if (typeof f.placement.region === "string") regions.add(f.placement.region);
    else anyRegion = true;
  }
  let routes: Routing | undefined;
  const findings: Finding[] = [];
  for (const c of model.compute) {
    const f = c.facts;
    const subnets = refsOf(f.subnets, f.subnetsKey ? c.dependencies.of(f.subnetsKey) : [], SUBNET_TYPES);
    // An unknown subnet list still names the subnets it comes from.
    const inVpc = f.inVpc === "unknown" && subnets.ids.length ? "yes" : f.inVpc;
    if (inVpc !== "yes") continue;
    const region = f.placement.region;
    const regionHasGateway =
      anyRegion || (typeof region === "string" ? regions.has(region) : regions.size > 0);
    if (!regionHasGateway) {
      findings.push({
        practice,
        subject: f.subject,
        problem: `runs in a VPC in a stack with DynamoDB tables, but the stack has no DynamoDB gateway endpoint${typeof region === "string" ? ` in ${region}` : ""}: its DynamoDB traffic leaves through a NAT or internet gateway.`,
        fix: `add an aws.ec2.VpcEndpoint with serviceName "com.amazonaws.${typeof region === "string" ? region : "<region>"}.dynamodb", vpcEndpointType "Gateway", the route tables of the subnets this compute runs in, and a policy naming actions and tables (gateway endpoints are free).`,
      });
      continue;
    }
    routes ??= routing(model, gateways);
    if (routes.servedUnknown) continue;
    const served = new Set<string>([
      ...(routes.served.get("") ?? []),
      ...(typeof region === "string"
        ? (routes.served.get(region) ?? [])
        : [...routes.served.values()].flatMap((s) => [...s])),
    ]);
    const uncovered: { subnet: string; tables: string[] }[] = [];
    for (const subnet of subnets.ids) {
      const tables = routes.subnetTables.get(subnet);
      // No association in the stack: the VPC's main route table, or one made elsewhere; not decided here.
      if (!tables || !tables.size) continue;
      if ([...tables].some((t) => served.has(t) || routes!.maybeServed.has(t))) continue;
      uncovered.push({ subnet, tables: [...tables] });
    }
    if (!uncovered.length) continue;
    const servedList = [...served].map(refLabel);
    findings.push({
      practice,
      subject: f.subject,
      problem: `runs in ${uncovered
        .map((u) => `subnet ${refLabel(u.subnet)} (route table ${u.tables.map(refLabel).join(", ")})`)
        .join(
          ", ",
        )}, which the DynamoDB gateway endpoint does not route${servedList.length ? ` (it is attached to route table ${servedList.join(", ")} only)` : ""}: its DynamoDB traffic leaves through a NAT or internet gateway.`,
      fix: "add those route tables to the endpoint's routeTableIds (or an aws.ec2.VpcEndpointRouteTableAssociation per route table).",
    });
  }
  return findings;
}

export const policies = [
  resourcePolicy({
    name: "dynamodb-vpc-endpoint-policy",
    displayName: "DynamoDB VPC endpoints have a scoped policy",
    description:
      "Practice 5: a DynamoDB VPC endpoint has a policy that allows named actions on named tables only.",
    practice,
    enforcementLevel: "advisory",
    severity: practice.severity,
    kinds: ["vpc-endpoint"],
    remediationSteps: "Attach an endpoint policy listing named actions on named table ARNs.",
    check: (e) => endpointPolicyFindings(e),
  }),
];

export const stackChecks: StackCheck[] = [
  {
    practice,
    setting: "requireGatewayEndpoint",
    settingDescription: "VPC compute next to tables needs a DynamoDB gateway endpoint.",
    summary: "a gateway endpoint for VPC compute",
    check: (model) => gatewayEndpointFindings(model),
  },
];
