import { parseDynamoDbArn } from "../facts/arn";
import { isAllow, known } from "../facts/iam";
import { EndpointFacts } from "../facts/model";
import { StackModel } from "../facts/stack";
import { hasWildcard } from "../facts/value";
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

/**
 * Practice 5, stack level: a stack that has DynamoDB tables and VPC-attached compute (Lambda in a VPC, EC2,
 * ECS awsvpc services, Auto Scaling groups) needs a DynamoDB gateway endpoint in that compute's region.
 */
export function gatewayEndpointFindings(model: StackModel): Finding[] {
  if (!model.tables.some((t) => t.facts.shape === "table") || !model.compute.length) return [];
  const regions = new Set<string>();
  let anyRegion = false;
  for (const e of model.endpoints) {
    const f = e.facts;
    if (f.dynamoDb === "no" || f.gateway === "no") continue;
    if (typeof f.placement.region === "string") regions.add(f.placement.region);
    else anyRegion = true;
  }
  if (anyRegion) return [];
  const findings: Finding[] = [];
  for (const c of model.compute) {
    const f = c.facts;
    if (f.inVpc !== "yes") continue;
    const region = f.placement.region;
    if (typeof region !== "string") {
      if (regions.size) continue;
    } else if (regions.has(region)) continue;
    findings.push({
      practice,
      subject: f.subject,
      problem: `runs in a VPC in a stack with DynamoDB tables, but the stack has no DynamoDB gateway endpoint${typeof region === "string" ? ` in ${region}` : ""}: its DynamoDB traffic leaves through a NAT or internet gateway.`,
      fix: `add an aws.ec2.VpcEndpoint with serviceName "com.amazonaws.${typeof region === "string" ? region : "<region>"}.dynamodb", vpcEndpointType "Gateway", the VPC's route tables, and a policy naming actions and tables (gateway endpoints are free).`,
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
    severity: "high",
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
