import { strict as assert } from "assert";
import { MULTI_TENANT_TAG } from "../../policypack/contract";
import { normalize } from "../../policypack/facts/registry";
import { documentsOf } from "../../policypack/rules/docs";
import { findingMessage } from "../../policypack/rules/finding";
import { dataActionFindings } from "../../policypack/rules/p04BroadGrants";
import { wildcardActionFindings } from "../../policypack/rules/p04LeastPrivilege";
import { ACCESS_DENIED, IamSpec, RegionSpec } from "./fakeAws";
import { CALLER, hardenedRegion, hardenedTable, simpleEstate } from "./estate";
import { JsonReport, auditAgainst, findingsOf } from "./harness";

const R = "us-east-1";
const ROLE = `arn:aws:iam::${CALLER}:role/app`;

const doc = (...statements: Record<string, unknown>[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const WILDCARD = doc({ Sid: "Everything", Effect: "Allow", Action: "dynamodb:*", Resource: "*" });
const NAMED = doc({
  Effect: "Allow",
  Action: ["dynamodb:GetItem", "dynamodb:Query"],
  Resource: `arn:aws:dynamodb:${R}:${CALLER}:table/orders`,
});

function region(change: (r: RegionSpec) => void = () => {}): RegionSpec {
  const spec = hardenedRegion(CALLER, R, [hardenedTable(CALLER, R, "orders")]);
  change(spec);
  return spec;
}

async function audit(
  iam: IamSpec,
  o: { regions?: Record<string, RegionSpec>; fault?: Parameters<typeof simpleEstate>[0]["fault"] } = {},
) {
  const regions = o.regions ?? { [R]: region() };
  const run = await auditAgainst(
    simpleEstate({ accounts: { [CALLER]: regions }, iam: { [CALLER]: iam }, fault: o.fault }),
    ["--json", "--regions", Object.keys(regions).join(",")],
  );
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

/** The pack's finding text for a resource declared in a program with these properties. */
function preview(
  type: string,
  urn: string,
  name: string,
  props: Record<string, unknown>,
  rule: "wildcard" | "data",
) {
  const facts = normalize({ type, urn, name, props });
  assert.ok(facts && facts.kind === "identity-policy");
  const docs = documentsOf(facts).docs;
  const findings =
    rule === "wildcard"
      ? wildcardActionFindings(facts.subject, docs, false)
      : dataActionFindings(facts.subject, docs, false);
  return findings.map(findingMessage);
}

describe("dynamodb-hardened audit: IAM identity policies (practice 4)", function () {
  this.timeout(120_000);

  it("an inline role policy allowing dynamodb:* on *: the pack's finding, once, in the account-wide unit", async () => {
    const { run, report } = await audit({
      roles: [
        { name: "app", inline: { data: WILDCARD } },
        { name: "reader", inline: { data: NAMED } },
      ],
    });
    const urn = `${ROLE}#inline-policy/data`;
    const found = findingsOf(report, urn);
    assert.deepEqual(
      found.map((f) => [f.policyName, f.practice, f.enforcementLevel]),
      [["dynamodb-no-wildcard-actions", 4, "mandatory"]],
    );
    const expected = preview(
      "aws:iam/rolePolicy:RolePolicy",
      urn,
      "app/data",
      { role: "app", name: "data", policy: WILDCARD },
      "wildcard",
    );
    assert.equal(expected.length, 1);
    assert.ok(found[0].message.endsWith(`\n${expected[0]}`), `${found[0].message}\n!=\n${expected[0]}`);
    const unit = report.units.find((u) => u.findings.some((f) => f.resource === urn))!;
    assert.equal(unit.region, "global");
    assert.equal(unit.counts.roles, 2);
    assert.deepEqual(findingsOf(report, `:role/reader#inline-policy/data`), [], "least privilege: nothing");
    assert.equal(report.summary.mandatory, 1);
    assert.equal(run.code, 1);
  });

  it("judges a customer managed policy (its default version) and an attached AWS-managed policy", async () => {
    const broad = doc({ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: "*" });
    const { report } = await audit({
      roles: [{ name: "app", attached: [`arn:aws:iam::${CALLER}:policy/orders-access`] }],
      users: [{ name: "ops", attached: ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"] }],
      policies: { "orders-access": broad },
    });
    const policyArn = `arn:aws:iam::${CALLER}:policy/orders-access`;
    const found = findingsOf(report, policyArn);
    assert.deepEqual(
      found.map((f) => f.policyName),
      ["dynamodb-data-actions-name-resources"],
    );
    const expected = preview(
      "aws:iam/policy:Policy",
      policyArn,
      "orders-access",
      { name: "orders-access", policy: broad },
      "data",
    );
    assert.ok(found[0].message.endsWith(`\n${expected[0]}`), `${found[0].message}\n!=\n${expected[0]}`);
    const attached = findingsOf(report, "#attached/arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess");
    assert.deepEqual(
      attached.map((f) => f.policyName),
      ["dynamodb-no-wildcard-actions"],
    );
    assert.match(attached[0].finding, /attaches the AWS-managed policy AmazonDynamoDBFullAccess/);
  });

  it("follows IsTruncated and Marker to the last page", async () => {
    const roles = Array.from({ length: 5 }, (_, i) => ({
      name: `r${i}`,
      inline: { data: i === 4 ? WILDCARD : NAMED },
    }));
    const { run, report } = await audit({ roles, pageSize: 2 });
    assert.equal(run.requests.get("iam:GetAccountAuthorizationDetails"), 3);
    assert.deepEqual(
      report.units.flatMap((u) => u.findings).map((f) => f.resource),
      [`arn:aws:iam::${CALLER}:role/r4#inline-policy/data`],
    );
  });

  it("AccessDenied on IAM: a gap for the account (practice 4), the rest of the audit stands", async () => {
    const { run, report } = await audit(
      { roles: [{ name: "app", inline: { data: WILDCARD } }] },
      {
        regions: { [R]: region((r) => (r.tables[0].pitr = { enabled: false })) },
        fault: (q) => (q.service === "iam" ? ACCESS_DENIED : undefined),
      },
    );
    const global = report.units.find((u) => u.region === "global")!;
    assert.deepEqual(
      global.gaps.map((g) => [g.what, g.practices]),
      [["IAM identity policies (iam:GetAccountAuthorizationDetails)", [4]]],
    );
    assert.match(global.gaps[0].reason, /^AccessDenied: .*practice 4 is not checked/);
    assert.deepEqual(
      findingsOf(report, "table/orders").map((f) => f.policyName),
      ["dynamodb-point-in-time-recovery"],
    );
    assert.deepEqual(report.units.find((u) => u.region === R)!.gaps, []);
    assert.equal(report.summary.gaps, 1);
    assert.equal(run.code, 1);
    const text = await auditAgainst(
      simpleEstate({
        accounts: { [CALLER]: { [R]: region() } },
        fault: (q) => (q.service === "iam" ? ACCESS_DENIED : undefined),
      }),
      ["--regions", R],
    );
    assert.match(
      text.stdout,
      /111111111111 · global \(IAM identity policies, once per account\): nothing read\n {2}! not read: IAM identity policies \(iam:GetAccountAuthorizationDetails\): AccessDenied: .*; practices unchecked: 4\n/,
    );
    assert.match(text.stdout, /Audited 1 account-regions in 1 accounts/);
    assert.equal(text.code, 0, "a gap alone does not fail the audit");
  });

  it("reads IAM once per account, however many regions", async () => {
    const regions = ["us-east-1", "us-west-2", "eu-west-1"];
    const member = "222222222222";
    const estate = simpleEstate({
      accounts: Object.fromEntries(
        [CALLER, member].map((a) => [
          a,
          Object.fromEntries(regions.map((r) => [r, hardenedRegion(a, r, [hardenedTable(a, r, "t")])])),
        ]),
      ),
      iam: {
        [CALLER]: { roles: [{ name: "app", inline: { data: WILDCARD } }] },
        [member]: { roles: [{ name: "app", inline: { data: WILDCARD } }] },
      },
    });
    const run = await auditAgainst(estate, ["--json", "--organization"]);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(run.calls.filter((c) => c === "IAM:GetAccountAuthorizationDetails").length, 2);
    assert.deepEqual(
      report.units
        .flatMap((u) =>
          u.findings.filter((f) => f.practice === 4).map((f) => `${u.account}/${u.region} ${f.policyName}`),
        )
        .sort(),
      [`${CALLER}/global dynamodb-no-wildcard-actions`, `${member}/global dynamodb-no-wildcard-actions`],
      "one finding per account, not one per region",
    );
  });

  it("tenant isolation: a role's policy reaching a multi-tenant table without LeadingKeys, in that table's region", async () => {
    const tenants = doc({
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: `arn:aws:dynamodb:*:${CALLER}:table/tenants`,
    });
    const { report } = await audit(
      { roles: [{ name: "app", inline: { tenants } }] },
      {
        regions: {
          [R]: hardenedRegion(CALLER, R, [
            hardenedTable(CALLER, R, "tenants", (t) => (t.tags = { ...t.tags, [MULTI_TENANT_TAG]: "true" })),
          ]),
          "eu-west-1": hardenedRegion(CALLER, "eu-west-1", [hardenedTable(CALLER, "eu-west-1", "other")]),
        },
      },
    );
    const urn = `${ROLE}#inline-policy/tenants`;
    const found = report.units.flatMap((u) =>
      u.findings.filter((f) => f.resource === urn).map((f) => [u.region, f.policyName]),
    );
    assert.deepEqual(found, [[R, "dynamodb-stack-critical"]]);
    assert.match(
      findingsOf(report, urn)[0].finding,
      /multi-tenant table "tenants" without a dynamodb:LeadingKeys/,
    );
  });
});
