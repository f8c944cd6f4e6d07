import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { normalize } from "../../policypack/facts/registry";
import { pitrFindings } from "../../policypack/rules/p02PointInTimeRecovery";
import { findingMessage } from "../../policypack/rules/finding";
import { ACCESS_DENIED, THROTTLED } from "./fakeAws";
import { practicesRegion } from "./practices";
import { CALLER, hardenedRegion, hardenedTable, simpleEstate } from "./estate";
import { JsonReport, auditAgainst, findingsOf } from "./harness";

const R = "us-east-1";
const arn = (name: string, region = R, account = CALLER) =>
  `arn:aws:dynamodb:${region}:${account}:table/${name}`;

describe("dynamodb-hardened audit", function () {
  this.timeout(120_000);

  describe("every practice, on a compliant and a non-compliant resource", () => {
    let report: JsonReport;
    let code: number;
    before(async () => {
      const run = await auditAgainst(simpleEstate({ accounts: { [CALLER]: { [R]: practicesRegion() } } }), [
        "--json",
      ]);
      code = run.code;
      report = JSON.parse(run.stdout) as JsonReport;
    });
    const policies = (suffix: string) =>
      findingsOf(report, suffix)
        .map((f) => f.policyName)
        .sort();

    it("reads every table of the region and exits 1 on mandatory findings", () => {
      assert.equal(report.summary.tables, 13);
      assert.equal(code, 1);
      assert.deepEqual(report.units[0].gaps, []);
    });
    it("passes the hardened table and a resource policy naming one principal", () => {
      assert.deepEqual(policies("table/good"), []);
      assert.deepEqual(policies("table/good-policy"), []);
      assert.deepEqual(policies("table/good-policy#resource-policy"), []);
    });
    it("practice 1: AWS-owned and AWS-managed keys", () => {
      assert.deepEqual(policies("table/p1-owned"), ["dynamodb-customer-managed-key"]);
      assert.deepEqual(policies("table/p1-managed"), ["dynamodb-customer-managed-key"]);
      assert.match(findingsOf(report, "table/p1-managed")[0].finding, /AWS-managed key alias\/aws\/dynamodb/);
    });
    it("practice 2: PITR off, and a recovery window below the minimum", () => {
      assert.deepEqual(policies("table/p2-off"), ["dynamodb-point-in-time-recovery"]);
      assert.deepEqual(findingsOf(report, "table/p2-off")[0].securityHub, ["DynamoDB.2"]);
      assert.match(findingsOf(report, "table/p2-short")[0].finding, /recovery window is 3 days/);
    });
    it("the finding text is the pack's own, as at preview for the same setting", () => {
      const facts = normalize({
        type: "aws:dynamodb/table:Table",
        urn: arn("p2-off"),
        name: "p2-off",
        props: { name: "p2-off", pointInTimeRecovery: { enabled: false } },
      });
      assert.ok(facts && facts.kind === "table");
      const expected = findingMessage(pitrFindings(facts, 7)[0]);
      assert.ok(findingsOf(report, "table/p2-off")[0].message.endsWith(`\n${expected}`));
    });
    it("practice 3: deletion protection off (DynamoDB.6)", () => {
      assert.deepEqual(policies("table/p3-off"), ["dynamodb-deletion-protection"]);
      assert.deepEqual(findingsOf(report, "table/p3-off")[0].securityHub, ["DynamoDB.6"]);
    });
    it("practices 4 and 7: a resource policy granting dynamodb:* to anyone", () => {
      assert.deepEqual(policies("table/p47-public#resource-policy"), [
        "dynamodb-no-wildcard-actions",
        "dynamodb-resource-policy-not-public",
      ]);
    });
    it("practice 5: a gateway endpoint with the default full-access policy, not one naming tables", () => {
      assert.deepEqual(policies("vpc-endpoint/vpce-open"), ["dynamodb-vpc-endpoint-policy"]);
      assert.deepEqual(policies("vpc-endpoint/vpce-named"), []);
    });
    it("practice 8: a DAX cluster without encryption at rest or TLS (DynamoDB.3, DynamoDB.7)", () => {
      const found = findingsOf(report, "cache/dax-plain");
      assert.deepEqual(found.map((f) => f.securityHub).sort(), [["DynamoDB.3"], ["DynamoDB.7"]]);
      assert.deepEqual(findingsOf(report, "cache/dax-hardened"), []);
    });
    it("practice 9: a table no selection covers, a vault on the AWS-managed key", () => {
      const found = findingsOf(report, "table/p9-unselected");
      assert.deepEqual(
        found.map((f) => f.practice),
        [9],
      );
      assert.deepEqual(found[0].securityHub, ["DynamoDB.4"]);
      assert.deepEqual(policies("backup-vault:Default"), ["dynamodb-backup-vault-customer-key"]);
      assert.deepEqual(policies("backup-vault:primary"), []);
    });
    it("practice 10: provisioned capacity without autoscaling, not with targets and policies (DynamoDB.1)", () => {
      const found = findingsOf(report, "table/p10-fixed");
      assert.deepEqual(
        found.map((f) => f.practice),
        [10],
      );
      assert.deepEqual(found[0].securityHub, ["DynamoDB.1"]);
      assert.deepEqual(policies("table/p10-scaled"), []);
    });
    it("practice 11: an unbounded stream consumer and a public stream policy, not a bounded consumer", () => {
      const unbounded = findingsOf(report, "event-source-mapping:unbounded");
      assert.deepEqual([...new Set(unbounded.map((f) => f.policyName))], ["dynamodb-stream-least-privilege"]);
      assert.ok(
        unbounded.some((f) => /on-failure|destination/i.test(f.finding)),
        "names the missing on-failure destination",
      );
      assert.deepEqual(policies("event-source-mapping:bounded"), []);
      assert.ok(
        policies("stream/2024-01-01T00:00:00.000#resource-policy").includes(
          "dynamodb-stream-least-privilege",
        ),
      );
    });
    it("practice 12: a 2017 global table, a key from another region", () => {
      assert.deepEqual(policies("global-table/legacy"), ["dynamodb-global-table-replicas"]);
      assert.deepEqual(policies("table/p12-foreign-key"), ["dynamodb-global-table-replicas"]);
    });
    it("names the Security Hub controls (possibly none) on every finding", () => {
      for (const f of report.units.flatMap((u) => u.findings))
        assert.ok(Array.isArray(f.securityHub), f.message);
    });
  });

  it("practice 6: a region no trail records data events in, and one a multi-Region trail covers", async () => {
    const estate = simpleEstate({
      accounts: {
        [CALLER]: {
          [R]: hardenedRegion(CALLER, R, [hardenedTable(CALLER, R, "logged")]),
          "us-west-2": {
            ...hardenedRegion(CALLER, "us-west-2", [hardenedTable(CALLER, "us-west-2", "unlogged")]),
            trails: [],
          },
        },
      },
    });
    const run = await auditAgainst(estate, ["--json"]);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(findingsOf(report, "table/logged"), []);
    // No trail at all: the pack's one grouped finding naming the tables, located at the account-region.
    const found = findingsOf(report, `aws://${CALLER}/us-west-2`);
    assert.deepEqual(
      found.map((f) => f.practice),
      [6],
    );
    assert.match(found[0].finding, /no CloudTrail trail recording DynamoDB data events: .*table "unlogged"/);
    assert.equal(run.code, 0, "practice 6 is advisory");
  });

  it("reads past 100 tables (ListTables pages) and tag pages", async () => {
    const tables = Array.from({ length: 230 }, (_, i) =>
      hardenedTable(CALLER, R, `t${String(i).padStart(3, "0")}`, (s) => {
        s.tags = Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`k${j}`, "v"]));
        s.tags.backup = i === 229 ? "no" : "required";
      }),
    );
    const run = await auditAgainst(
      simpleEstate({ accounts: { [CALLER]: { [R]: hardenedRegion(CALLER, R, tables) } } }),
      ["--json", "--regions", R],
    );
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.summary.tables, 230);
    assert.equal(run.requests.get("dynamodb:ListTables"), 3);
    assert.equal(run.requests.get("dynamodb:ListTagsOfResource"), 230 * 2);
    assert.deepEqual(
      report.units[0].findings.map((f) => f.resource),
      [arn("t229")],
      "the last page's tags are read too",
    );
  });

  it("rides out throttling with the SDK's retries and reads every table", async () => {
    let throttled = 0;
    const tables = Array.from({ length: 20 }, (_, i) =>
      hardenedTable(CALLER, R, `t${i}`, (s) => (s.pitr = { enabled: i !== 7 })),
    );
    const estate = simpleEstate({
      accounts: { [CALLER]: { [R]: hardenedRegion(CALLER, R, tables) } },
      fault: (r) => (r.operation === "DescribeTable" && throttled++ < 6 ? THROTTLED : undefined),
    });
    const run = await auditAgainst(estate, ["--json", "--regions", R]);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.summary.tables, 20);
    assert.deepEqual(report.units[0].gaps, []);
    assert.ok(run.requests.get("dynamodb:DescribeTable")! > 20, "throttled calls were retried");
    assert.deepEqual(
      report.units[0].findings.map((f) => f.resource),
      [arn("t7")],
    );
  });

  it("reports a region where access is denied, audits the others, and fails only on findings", async () => {
    const estate = simpleEstate({
      accounts: {
        [CALLER]: {
          [R]: hardenedRegion(CALLER, R, [
            hardenedTable(CALLER, R, "east", (s) => (s.table.DeletionProtectionEnabled = false)),
          ]),
          "eu-west-1": hardenedRegion(CALLER, "eu-west-1", [hardenedTable(CALLER, "eu-west-1", "west")]),
        },
      },
      fault: (r) =>
        r.region === "eu-west-1" && r.service !== "sts" && r.operation !== "DescribeRegions"
          ? ACCESS_DENIED
          : undefined,
    });
    const run = await auditAgainst(estate, []);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /111111111111 · eu-west-1: 0 tables\n {2}! region not audited: AccessDeniedException: not authorized; practices unchecked: 1, 2, 3/,
    );
    assert.match(run.stdout, /table\/east\n.*dynamodb-deletion-protection/);
    assert.match(run.stdout, /Not read: 1 gap/);
  });

  it("does not turn an unreadable service into findings: backup denied means practice 9 unchecked, reported", async () => {
    const estate = simpleEstate({
      accounts: {
        [CALLER]: { [R]: hardenedRegion(CALLER, R, [hardenedTable(CALLER, R, "t", (s) => (s.tags = {}))]) },
      },
      fault: (r) => (r.service === "backup" ? ACCESS_DENIED : undefined),
    });
    const run = await auditAgainst(estate, ["--json", "--regions", R]);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.units[0].findings, []);
    assert.deepEqual(
      report.units[0].gaps.map((g) => [g.what, g.practices]),
      [
        ["backup plans", [9]],
        ["backup vaults", [9]],
      ],
    );
    assert.equal((await auditAgainst(estate, ["--regions", R, "--fail-on-gaps"])).code, 2);
  });

  it("audits several accounts through the role and reports the one it cannot assume", async () => {
    const estate = simpleEstate({
      accounts: {
        [CALLER]: { [R]: hardenedRegion(CALLER, R, [hardenedTable(CALLER, R, "mine")]) },
        "222222222222": {
          [R]: hardenedRegion("222222222222", R, [
            hardenedTable("222222222222", R, "theirs", (s) => (s.pitr = { enabled: false })),
          ]),
        },
        "333333333333": {
          [R]: hardenedRegion("333333333333", R, [hardenedTable("333333333333", R, "locked")]),
        },
      },
      unassumable: ["333333333333"],
    });
    const run = await auditAgainst(estate, ["--json", "--organization"]);
    const report = JSON.parse(run.stdout) as JsonReport;
    const regional = report.units.filter((u) => u.region !== "global");
    assert.deepEqual(regional.map((u) => u.account).sort(), [CALLER, "222222222222"]);
    assert.deepEqual(
      findingsOf(report, "222222222222:table/theirs").map((f) => f.policyName),
      ["dynamodb-point-in-time-recovery"],
    );
    assert.equal(report.gaps.length, 1);
    assert.equal(report.gaps[0].account, "333333333333");
    assert.equal(report.gaps[0].what, "account");
    assert.match(report.gaps[0].reason, /cannot assume the audit role: AccessDenied/);
    assert.equal(run.code, 1);
  });

  it("audits the default region of an account whose regions cannot be listed, and says so", async () => {
    const estate = simpleEstate({
      accounts: {
        [CALLER]: {
          [R]: hardenedRegion(CALLER, R, [hardenedTable(CALLER, R, "t")]),
          "eu-west-1": { tables: [] },
        },
      },
      fault: (r) => (r.operation === "DescribeRegions" ? ACCESS_DENIED : undefined),
    });
    const run = await auditAgainst(estate, ["--json"]);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(
      report.units.map((u) => u.region),
      [R, "global"],
      "the region it could audit, then the account's identity policies",
    );
    assert.equal(report.gaps[0].what, "ec2:DescribeRegions");
    assert.match(report.gaps[0].reason, /UnauthorizedOperation.*only us-east-1 was audited/);
    assert.equal(run.code, 0);
  });

  it("writes SARIF in the preview's form, with account, region and Security Hub controls on each result", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "audit.sarif");
    const estate = simpleEstate({
      accounts: {
        [CALLER]: {
          [R]: hardenedRegion(CALLER, R, [
            hardenedTable(CALLER, R, "x", (s) => (s.pitr = { enabled: false })),
          ]),
        },
      },
    });
    const run = await auditAgainst(estate, ["--sarif", file]);
    assert.equal(run.code, 1);
    const sarif = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(sarif.version, "2.1.0");
    const results = sarif.runs[0].results;
    assert.equal(results.length, 1);
    assert.equal(results[0].ruleId, "dynamodb-point-in-time-recovery");
    assert.equal(results[0].level, "error");
    assert.equal(results[0].locations[0].logicalLocations[0].fullyQualifiedName, arn("x"));
    assert.deepEqual(results[0].properties.securityHubControls, ["DynamoDB.2"]);
    assert.equal(results[0].properties.account, CALLER);
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === "dynamodb-stack"));
  });

  it("rejects bad arguments before any call, naming the argument and what it takes", async () => {
    const estate = simpleEstate({ accounts: {} });
    for (const [args, pattern] of [
      [["--regions", "mars-1"], /--regions takes a comma-separated list of region names/],
      [
        ["--accounts", "12345"],
        /--accounts takes a comma-separated list of 12-digit account ids; got "12345"/,
      ],
      [["--concurrency", "0"], /--concurrency takes a whole number from 1 to 256/],
      [["--accounts", CALLER, "--organization"], /exclude each other/],
      [["--bogus"], /unknown argument --bogus/],
    ] as const) {
      const run = await auditAgainst(estate, [...args]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, pattern);
      assert.deepEqual(run.calls, []);
    }
  });

  it("takes the regions the AWS SDK's partition data names, in every partition, and refuses made-up ones", async () => {
    const estate = simpleEstate({ accounts: {} });
    const refused = await auditAgainst(estate, ["--regions", "us-east-1,us-north-1"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--regions takes a comma-separated list of region names .*got "us-north-1"/);
    for (const region of ["eusc-de-east-1", "us-isof-south-1", "eu-isoe-west-1"]) {
      const run = await auditAgainst(estate, ["--json", "--regions", region]);
      assert.doesNotMatch(run.stderr, /--regions takes/, region);
    }
  });
});
