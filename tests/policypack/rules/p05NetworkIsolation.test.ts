import * as assert from "assert";
import { StackInput } from "../../../policypack/facts/stack";
import {
  endpointPolicyFindings,
  gatewayEndpointFindings,
} from "../../../policypack/rules/p05NetworkIsolation";
import { U, factsOf, stack } from "./helpers";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const DYNAMODB = "com.amazonaws.us-east-1.dynamodb";
const TABLE_ARN = "arn:aws:dynamodb:us-east-1:111111111111:table/orders";
const allow = (Action: unknown, Resource: unknown) => ({
  Statement: [{ Effect: "Allow", Action, Resource }],
});

// [case, endpoint props, findings, a fragment of the first finding]
const ENDPOINT_CASES: [string, Record<string, unknown>, number, string?][] = [
  ["another service's endpoint is out of scope", { serviceName: "com.amazonaws.us-east-1.s3" }, 0],
  ["no policy: the default allows everything", { serviceName: DYNAMODB }, 1, "has no policy"],
  ["a policy unknown at preview", { serviceName: DYNAMODB, policy: U }, 0],
  ["a policy that is not JSON", { serviceName: DYNAMODB, policy: "{not json" }, 1, "not a readable"],
  [
    "wildcard actions on every resource",
    { serviceName: DYNAMODB, policy: allow("dynamodb:*", "*") },
    1,
    "wildcard actions",
  ],
  [
    "named actions on a table wildcard",
    {
      serviceName: DYNAMODB,
      policy: allow("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111111111111:table/*"),
    },
    1,
    "not named tables",
  ],
  [
    "named actions on named tables",
    { serviceName: DYNAMODB, policy: allow(["dynamodb:GetItem"], [TABLE_ARN]) },
    0,
  ],
  [
    "a Deny statement is not a grant",
    { serviceName: DYNAMODB, policy: { Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] } },
    0,
  ],
];

const table: Partial<StackInput> = {
  type: "aws:dynamodb/table:Table",
  props: { name: "orders", region: "us-east-1" },
};
const lambda = (vpc: boolean, region = "us-east-1"): Partial<StackInput> => ({
  type: "aws:lambda/function:Function",
  props: { region, vpcConfig: vpc ? { subnetIds: ["subnet-1"] } : undefined },
});
const gateway = (region: string): Partial<StackInput> => ({
  type: ENDPOINT,
  props: { region, serviceName: `com.amazonaws.${region}.dynamodb`, vpcEndpointType: "Gateway" },
});

// [case, resources, findings]
const STACK_CASES: [string, Partial<StackInput>[], number][] = [
  ["VPC compute next to a table without a gateway endpoint", [table, lambda(true)], 1],
  ["with a gateway endpoint in the compute's region", [table, lambda(true), gateway("us-east-1")], 0],
  ["with a gateway endpoint in another region only", [table, lambda(true), gateway("eu-west-1")], 1],
  ["compute outside a VPC", [table, lambda(false)], 0],
  ["no table in the stack", [lambda(true)], 0],
];

describe("practice 5 rules: network isolation", () => {
  for (const [label, props, count, fragment] of ENDPOINT_CASES) {
    it(`endpoint policy: ${label}`, () => {
      const findings = endpointPolicyFindings(factsOf("vpc-endpoint", ENDPOINT, props));
      assert.strictEqual(findings.length, count, JSON.stringify(findings.map((f) => f.problem)));
      if (fragment) assert.ok(findings[0].problem.includes(fragment), findings[0].problem);
    });
  }
  for (const [label, resources, count] of STACK_CASES) {
    it(`stack: ${label}`, () => {
      const findings = gatewayEndpointFindings(stack(...resources));
      assert.strictEqual(findings.length, count, JSON.stringify(findings.map((f) => f.problem)));
      for (const f of findings) assert.strictEqual(f.subject.type, "aws:lambda/function:Function");
    });
  }
});
