import { strict as assert } from "assert";
import { dependencyLists, StackModel } from "../../policypack/facts/stack";
import { findingMessage } from "../../policypack/rules/finding";
import { gatewayEndpointFindings } from "../../policypack/rules/p05NetworkIsolation";
import { ACCESS_DENIED, RegionSpec } from "./fakeAws";
import { CALLER, hardenedRegion, hardenedTable, simpleEstate } from "./estate";
import { JsonReport, auditAgainst, findingsOf } from "./harness";

const R = "us-east-1";
const FUNCTION_ARN = `arn:aws:lambda:${R}:${CALLER}:function:worker`;
const ENDPOINT_POLICY = JSON.stringify({
  Statement: [
    {
      Effect: "Allow",
      Principal: "*",
      Action: ["dynamodb:GetItem"],
      Resource: [`arn:aws:dynamodb:${R}:${CALLER}:table/orders`],
    },
  ],
});

/** A region with a hardened table, a DynamoDB gateway endpoint routing `routed`, and a Lambda in `subnet-a`. */
function region(o: {
  routed: string[];
  vpc?: boolean;
  explicit?: boolean;
  extraFunctions?: number;
}): RegionSpec {
  const spec = hardenedRegion(CALLER, R, [hardenedTable(CALLER, R, "orders")]);
  spec.endpoints = [
    {
      id: "vpce-ddb",
      type: "Gateway",
      service: `com.amazonaws.${R}.dynamodb`,
      policy: ENDPOINT_POLICY,
      routeTableIds: o.routed,
    },
  ];
  const filler = Array.from({ length: o.extraFunctions ?? 0 }, (_, i) => ({
    FunctionName: `plain-${i}`,
    FunctionArn: `arn:aws:lambda:${R}:${CALLER}:function:plain-${i}`,
    Runtime: "nodejs22.x",
    VpcConfig: { SubnetIds: [], SecurityGroupIds: [] },
  }));
  spec.functions = [
    ...filler,
    {
      FunctionName: "worker",
      FunctionArn: FUNCTION_ARN,
      Runtime: "nodejs22.x",
      ...(o.vpc === false
        ? {}
        : { VpcConfig: { SubnetIds: ["subnet-a"], SecurityGroupIds: ["sg-1"], VpcId: "vpc-1" } }),
    },
  ];
  spec.routeTables = [
    { id: "rtb-a", vpcId: "vpc-1", subnets: o.explicit === false ? [] : ["subnet-a"] },
    { id: "rtb-main", vpcId: "vpc-1", main: true },
  ];
  return spec;
}

async function audit(spec: RegionSpec, extra: Record<string, RegionSpec> = {}, denied?: string) {
  const estate = simpleEstate({
    accounts: { [CALLER]: { [R]: spec, ...extra } },
    fault: (r) => (r.operation === denied ? ACCESS_DENIED : undefined),
  });
  const run = await auditAgainst(estate, ["--json", "--regions", [R, ...Object.keys(extra)].join(",")]);
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

/** The pack's finding at preview for the same resources declared in a program. */
function declared(routeTable: string, routed: string[]): string {
  const model = StackModel.build(
    [
      { type: "aws:dynamodb/table:Table", props: { name: "orders", region: R } },
      {
        type: "aws:lambda/function:Function",
        urn: FUNCTION_ARN,
        name: "worker",
        props: { name: "worker", region: R, vpcConfig: { subnetIds: ["subnet-a"] } },
      },
      {
        type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        props: {
          region: R,
          serviceName: `com.amazonaws.${R}.dynamodb`,
          vpcEndpointType: "Gateway",
          routeTableIds: routed,
          policy: ENDPOINT_POLICY,
        },
      },
      {
        type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
        props: { region: R, subnetId: "subnet-a", routeTableId: routeTable },
      },
    ].map((i, n) => ({ urn: `urn:${n}`, name: `r${n}`, dependencies: dependencyLists([], {}), ...i })),
  );
  const findings = gatewayEndpointFindings(model);
  assert.equal(findings.length, 1);
  return findingMessage(findings[0]);
}

describe("audit: Lambda functions in a VPC and the DynamoDB gateway endpoint (practice 5)", function () {
  this.timeout(120_000);

  it("flags a Lambda whose subnet's route table the gateway endpoint does not route, as the pack does at preview", async () => {
    const { report } = await audit(region({ routed: ["rtb-other"] }));
    const found = findingsOf(report, "function:worker");
    assert.equal(found.length, 1, JSON.stringify(report.units[0].findings));
    assert.equal(found[0].practice, 5);
    assert.ok(found[0].message.endsWith(`\n${declared("rtb-a", ["rtb-other"])}`), found[0].message);
    assert.match(found[0].finding, /subnet subnet-a \(route table rtb-a\)/);
  });

  it("reads the VPC's main route table for a subnet without an explicit association", async () => {
    const unrouted = await audit(region({ routed: ["rtb-a"], explicit: false }));
    const found = findingsOf(unrouted.report, "function:worker");
    assert.equal(found.length, 1);
    assert.ok(found[0].message.endsWith(`\n${declared("rtb-main", ["rtb-a"])}`), found[0].message);
    const routed = await audit(region({ routed: ["rtb-main"], explicit: false }));
    assert.deepEqual(findingsOf(routed.report, "function:worker"), []);
    assert.equal(routed.report.units[0].counts["lambda functions in a VPC"], 1);
  });

  it("passes the same Lambda when the endpoint routes its subnet's route table", async () => {
    const { report } = await audit(region({ routed: ["rtb-a"] }));
    assert.deepEqual(report.units[0].findings, []);
    assert.deepEqual(report.units[0].gaps, []);
    assert.equal(report.units[0].counts["lambda functions in a VPC"], 1);
  });

  it("passes a Lambda outside a VPC without reading route tables", async () => {
    const { run, report } = await audit(region({ routed: [], vpc: false }));
    assert.deepEqual(report.units[0].findings, []);
    assert.equal(run.requests.get("lambda:ListFunctions"), 1);
    assert.equal(run.requests.get("ec2:DescribeRouteTables"), undefined);
    assert.equal(report.units[0].counts["lambda functions in a VPC"], 0);
  });

  it("lists functions only in regions with tables", async () => {
    const empty: RegionSpec = { tables: [], functions: region({ routed: [] }).functions };
    const { run, report } = await audit(region({ routed: ["rtb-a"] }), { "eu-west-1": empty });
    assert.deepEqual(
      report.units
        .map((u) => u.region)
        .filter((r) => r !== "global")
        .sort(),
      ["eu-west-1", R],
    );
    assert.equal(run.requests.get("lambda:ListFunctions"), 1);
  });

  it("follows ListFunctions pages (NextMarker) to a function on the last page", async () => {
    const spec = region({ routed: ["rtb-other"], extraFunctions: 120 });
    spec.functionPageSize = 50;
    const { run, report } = await audit(spec);
    assert.equal(run.requests.get("lambda:ListFunctions"), 3);
    assert.equal(findingsOf(report, "function:worker").length, 1);
  });

  it("reports ListFunctions refused as a gap for practice 5, and audits the rest", async () => {
    const { run, report } = await audit(region({ routed: ["rtb-other"] }), {}, "ListFunctions");
    assert.equal(run.code, 0);
    assert.equal(report.summary.tables, 1);
    assert.deepEqual(
      report.units[0].gaps.map((g) => [g.what, g.practices]),
      [["lambda:ListFunctions", [5]]],
    );
    assert.match(report.units[0].gaps[0].reason, /AccessDenied/);
    assert.deepEqual(report.units[0].findings, []);
  });

  it("reports DescribeRouteTables refused as a gap for practice 5, not as a finding", async () => {
    const { run, report } = await audit(region({ routed: ["rtb-other"] }), {}, "DescribeRouteTables");
    assert.equal(run.code, 0);
    assert.deepEqual(
      report.units[0].gaps.map((g) => [g.what, g.practices]),
      [["ec2:DescribeRouteTables", [5]]],
    );
    assert.deepEqual(report.units[0].findings, []);
  });
});
