import * as assert from "assert";
import { AnalyzerResource } from "../../../preview/analyzerClient";
import { policies } from "../../../policypack/pack";
import {
  COVERAGE,
  TABLE_ARN,
  awsTable,
  classicGlobal,
  classicTable,
  doc,
  edit,
  nativeGlobal,
  nativeGlobalResource,
} from "./fixtures";
import {
  U,
  diags,
  expectFindings,
  expectNoCantRun,
  expectNone,
  expectPractice,
  res,
  usePack,
} from "./packHarness";

const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const day = 24 * 60 * 60 * 1000;
const future = new Date(Date.now() + 30 * day).toISOString().slice(0, 10);
const past = new Date(Date.now() - 2 * day).toISOString().slice(0, 10);

describe("policy pack: configuration, exemptions, remediation", function () {
  const pack = usePack();
  afterEach(async () => pack().configure({}));

  describe("analyzer info (what Pulumi Cloud shows and validates config against)", () => {
    it("lists every policy with its practice, default level, severity and config schema", async () => {
      const info = await pack().getAnalyzerInfo();
      assert.strictEqual(info.name, "dynamodb-hardened");
      assert.strictEqual(info.version, "0.1.0");
      assert.ok(info.supportsConfig);
      const byName = new Map(info.policies.map((p) => [p.name, p]));
      assert.strictEqual(info.policies.length, policies.length);
      for (const [name, level, type] of [
        ["dynamodb-customer-managed-key", "mandatory", "resource"],
        ["dynamodb-point-in-time-recovery", "mandatory", "resource"],
        ["dynamodb-deletion-protection", "mandatory", "resource"],
        ["dynamodb-no-wildcard-actions", "mandatory", "resource"],
        ["dynamodb-data-actions-name-resources", "mandatory", "resource"],
        ["dynamodb-vpc-endpoint-policy", "advisory", "resource"],
        ["dynamodb-resource-policy-not-public", "mandatory", "resource"],
        ["dynamodb-dax-encryption", "mandatory", "resource"],
        ["dynamodb-backup-vault-customer-key", "advisory", "resource"],
        ["dynamodb-stream-least-privilege", "advisory", "resource"],
        ["dynamodb-global-table-replicas", "mandatory", "resource"],
        ["dynamodb-stack", "advisory", "stack"],
        ["dynamodb-stack-critical", "advisory", "stack"],
        ["dynamodb-stack-medium", "advisory", "stack"],
      ]) {
        const p = byName.get(name);
        assert.ok(p, name);
        assert.strictEqual(p.enforcementLevel, level, name);
        assert.strictEqual(p.type, type, name);
        assert.ok(
          p.tags.some((t) => t.startsWith("practice-")),
          name,
        );
        assert.ok(p.description.includes("ractice"), name);
        const exemptions = p.configSchema?.properties.exemptions as { items: { required: string[] } };
        assert.deepStrictEqual(exemptions.items.required, ["reason", "expires"], name);
      }
      assert.ok(
        byName.get("dynamodb-point-in-time-recovery")!.configSchema!.properties.minimumRecoveryPeriodDays,
      );
      // Severities are seed 003's priorities per practice: autoscaling Medium, Block Public Access High.
      for (const [name, severity] of [
        ["dynamodb-customer-managed-key", "critical"],
        ["dynamodb-no-wildcard-actions", "critical"],
        ["dynamodb-data-actions-name-resources", "critical"],
        ["dynamodb-resource-policy-not-public", "high"],
        ["dynamodb-stack", "high"],
        ["dynamodb-stack-critical", "critical"],
        ["dynamodb-stack-medium", "medium"],
      ])
        assert.strictEqual(byName.get(name)!.severity, severity, name);
      assert.ok(byName.get("dynamodb-stack-medium")!.configSchema!.properties.requireAutoscaling);
      assert.ok(byName.get("dynamodb-stack-critical")!.configSchema!.properties.requireLeadingKeys);
      assert.ok(!byName.get("dynamodb-stack")!.configSchema!.properties.requireAutoscaling);
      assert.ok(
        byName.get("dynamodb-resource-policy-not-public")!.configSchema!.properties.trustedAccountIds,
      );
    });
  });

  describe("enforcement levels", () => {
    const noPitr = awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery));
    it("a policy can be made advisory or disabled", async () => {
      await pack().configure({ "dynamodb-point-in-time-recovery": "advisory" });
      const advisory = expectFindings(await pack().analyze(noPitr), "dynamodb-point-in-time-recovery", 1);
      assert.strictEqual(advisory[0].enforcementLevel, "advisory");
      await pack().configure({ "dynamodb-point-in-time-recovery": "disabled" });
      expectNone(await pack().analyze(noPitr));
    });
    it("the stack coverage policy can be made mandatory and its checks turned off one by one", async () => {
      await pack().configure({ "dynamodb-stack": { enforcementLevel: "mandatory" } });
      const mandatory = expectFindings(await pack().analyzeStack([awsTable()]), "dynamodb-stack", 2);
      assert.ok(mandatory.every((d) => d.enforcementLevel === "mandatory"));
      await pack().configure({
        "dynamodb-stack": { enforcementLevel: "mandatory", requireBackup: false },
      });
      expectFindings(await pack().analyzeStack([awsTable()]), "dynamodb-stack", 1, "practice 6");
      await pack().configure({
        "dynamodb-stack": { requireBackup: false, requireDataEvents: false },
      });
      expectNone(await pack().analyzeStack([awsTable()]));
    });
  });

  describe("policy settings", () => {
    it("minimumRecoveryPeriodDays", async () => {
      const fourteen = awsTable(
        edit(classicTable, (p) => (p.pointInTimeRecovery = { enabled: true, recoveryPeriodInDays: 14 })),
      );
      expectNone(await pack().analyze(fourteen));
      await pack().configure({
        "dynamodb-point-in-time-recovery": { enforcementLevel: "mandatory", minimumRecoveryPeriodDays: 30 },
      });
      expectFindings(
        await pack().analyze(fourteen),
        "dynamodb-point-in-time-recovery",
        1,
        "14 days, below the required 30",
      );
      expectNone(await pack().analyze(awsTable()));
    });
    it("trusted accounts and organization for resource policies", async () => {
      const policy = (statement: Record<string, unknown>) =>
        res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
          resourceArn: TABLE_ARN,
          policy: doc({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE_ARN, ...statement }),
        });
      const outside = policy({ Principal: { AWS: "arn:aws:iam::222222222222:role/reader" } });
      const own = policy({ Principal: { AWS: "arn:aws:iam::111111111111:role/reader" } });
      const inOrg = policy({
        Principal: { AWS: "arn:aws:iam::333333333333:role/reader" },
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } },
      });
      expectNone(await pack().analyze(outside));
      await pack().configure({
        "dynamodb-resource-policy-not-public": {
          enforcementLevel: "mandatory",
          trustedAccountIds: ["444444444444"],
          organizationId: "o-abcdefghij",
        },
      });
      expectFindings(
        await pack().analyze(outside),
        "dynamodb-resource-policy-not-public",
        1,
        "outside the trusted accounts",
        "222222222222",
      );
      expectNone(await pack().analyze(own));
      expectNone(await pack().analyze(inOrg));
      expectNone(await pack().analyze(policy({ Principal: { AWS: "444444444444" } })));
      expectFindings(
        await pack().analyze(
          policy({ Principal: "*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } }),
        ),
        "dynamodb-resource-policy-not-public",
        1,
        "do not limit it to the trusted accounts",
      );
    });
    it("stream consumer limits", async () => {
      const mapping = res("aws:lambda/eventSourceMapping:EventSourceMapping", "esm", {
        functionName: "f",
        eventSourceArn: `${TABLE_ARN}/stream/2026`,
        bisectBatchOnFunctionError: true,
        destinationConfig: { onFailure: { destinationArn: "arn:aws:sqs:us-east-1:111111111111:dlq" } },
        maximumRetryAttempts: 50,
        maximumRecordAgeInSeconds: 3600,
      });
      expectFindings(
        await pack().analyze(mapping),
        "dynamodb-stream-least-privilege",
        1,
        "50, above the allowed 10",
      );
      await pack().configure({
        "dynamodb-stream-least-privilege": { enforcementLevel: "advisory", maximumRetryAttempts: 100 },
      });
      expectNone(await pack().analyze(mapping));
    });
    it("multi-tenant checks can be limited to identity policies, or turned off", async () => {
      const tenant = awsTable(
        edit(
          classicTable,
          (p) => ((p.tags as Record<string, string>)["dynamodb-hardened:multi-tenant"] = "true"),
        ),
      );
      const rp = res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
        resourceArn: TABLE_ARN,
        policy: doc({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:role/app" },
          Action: "dynamodb:GetItem",
          Resource: TABLE_ARN,
        }),
      });
      expectPractice(await pack().analyzeStack([tenant, rp]), "dynamodb-stack-critical", 4, 1, "LeadingKeys");
      await pack().configure({
        "dynamodb-stack-critical": { enforcementLevel: "mandatory", leadingKeysInResourcePolicies: false },
      });
      expectPractice(await pack().analyzeStack([tenant, rp]), "dynamodb-stack-critical", 4, 0);
    });
  });

  describe("exemptions", () => {
    const noPitr = awsTable(
      edit(classicTable, (p) => delete p.pointInTimeRecovery),
      "legacy-orders",
    );
    const configure = (exemptions: unknown[]) =>
      pack().configure({ "dynamodb-point-in-time-recovery": { enforcementLevel: "mandatory", exemptions } });

    it("match by URN pattern, name pattern or tags, and apply until they expire", async () => {
      for (const matcher of [
        { urn: "urn:pulumi:test::pack::*::legacy-*" },
        { name: "legacy-*" },
        { tags: { backup: "required" } },
      ]) {
        await configure([{ ...matcher, reason: "migrated next quarter (JIRA-12)", expires: future }]);
        expectNone(await pack().analyze(noPitr));
      }
      await configure([{ name: "other-*", reason: "not this one", expires: future }]);
      expectFindings(await pack().analyze(noPitr), "dynamodb-point-in-time-recovery", 1);
      await configure([
        { name: "legacy-*", tags: { team: "x" }, reason: "all matchers must match", expires: future },
      ]);
      expectFindings(await pack().analyze(noPitr), "dynamodb-point-in-time-recovery", 1);
    });

    it("expired exemptions stop applying and are reported in the finding", async () => {
      await configure([{ name: "legacy-*", reason: "migration window", expires: past }]);
      expectFindings(
        await pack().analyze(noPitr),
        "dynamodb-point-in-time-recovery",
        1,
        `expired on ${past}`,
        "migration window",
        "no longer applies",
      );
      const minuteAgo = new Date(Date.now() - 60000).toISOString();
      await configure([{ name: "legacy-*", reason: "until a moment ago", expires: minuteAgo }]);
      expectFindings(await pack().analyze(noPitr), "dynamodb-point-in-time-recovery", 1, "expired");
    });

    it("exemptions without a reason or a readable expiry never apply, and say so", async () => {
      // The finding stays and names the bad exemption; a missing field is also a [configuration] finding.
      const expectUnapplied = async (fragment: string, configProblem: boolean) => {
        const found = diags(await pack().analyze(noPitr), "dynamodb-point-in-time-recovery");
        const config = found.filter((d) => d.message.includes("[configuration]"));
        assert.strictEqual(config.length, configProblem ? 1 : 0, found.map((d) => d.message).join("\n"));
        const rest = found.filter((d) => !config.includes(d));
        assert.strictEqual(rest.length, 1);
        assert.ok(rest[0].message.includes(fragment), rest[0].message);
      };
      await configure([{ name: "legacy-*", expires: future }]);
      await expectUnapplied("has no reason", true);
      await configure([{ name: "legacy-*", reason: "r", expires: "next year" }]);
      await expectUnapplied('unreadable expiry "next year"', false);
      await configure([{ name: "legacy-*", reason: "r" }]);
      await expectUnapplied("no expiry date", true);
    });

    it("an exemption is per policy: other policies still apply to the resource", async () => {
      const both = awsTable(
        edit(classicTable, (p) => {
          delete p.pointInTimeRecovery;
          delete p.deletionProtectionEnabled;
        }),
        "legacy-orders",
      );
      await configure([{ name: "legacy-*", reason: "r", expires: future }]);
      const result = await pack().analyze(both);
      expectFindings(result, "dynamodb-point-in-time-recovery", 0);
      expectFindings(result, "dynamodb-deletion-protection", 1);
    });

    it("stack findings are exempted by the resource they are about", async () => {
      const table = awsTable(classicTable, "org-covered");
      expectFindings(await pack().analyzeStack([table]), "dynamodb-stack", 2);
      await pack().configure({
        "dynamodb-stack": {
          enforcementLevel: "advisory",
          exemptions: [
            { name: "org-covered", reason: "organization trail and backup policy", expires: future },
          ],
        },
      });
      expectNone(await pack().analyzeStack([table]));
    });
  });

  describe("remediation (safe, non-replacing: PITR on, deletion protection on)", () => {
    const both = async () =>
      pack().configure({
        "dynamodb-point-in-time-recovery": "remediate",
        "dynamodb-deletion-protection": "remediate",
      });

    it("turns PITR and deletion protection on for the table and every replica; the result passes", async () => {
      await both();
      const broken = awsTable(
        edit(classicGlobal, (p) => {
          delete p.pointInTimeRecovery;
          p.deletionProtectionEnabled = false;
          const replica = (p.replicas as Record<string, unknown>[])[0];
          replica.pointInTimeRecovery = false;
          delete replica.deletionProtectionEnabled;
        }),
      );
      const result = await pack().remediate(broken);
      assert.deepStrictEqual(
        result.remediations.map((r) => r.policyName),
        ["dynamodb-point-in-time-recovery", "dynamodb-deletion-protection"],
      );
      const fixed = result.remediations[1].properties!;
      assert.deepStrictEqual(fixed.pointInTimeRecovery, { enabled: true });
      assert.strictEqual(fixed.deletionProtectionEnabled, true);
      const replica = (fixed.replicas as Record<string, unknown>[])[0];
      assert.strictEqual(replica.pointInTimeRecovery, true);
      assert.strictEqual(replica.deletionProtectionEnabled, true);
      assert.deepStrictEqual(
        fixed.serverSideEncryption,
        classicGlobal.serverSideEncryption,
        "everything else is kept",
      );
      const after = await pack().analyze({ ...broken, properties: fixed });
      expectNone(after);
    });

    it("aws-native global table replicas", async () => {
      await both();
      const broken = nativeGlobalResource(
        edit(nativeGlobal, (p) => {
          const replica = (p.replicas as Record<string, unknown>[])[1];
          delete replica.pointInTimeRecoverySpecification;
          replica.deletionProtectionEnabled = false;
        }),
      );
      const result = await pack().remediate(broken);
      const fixed = result.remediations[result.remediations.length - 1].properties!;
      const replica = (fixed.replicas as Record<string, Record<string, unknown>>[])[1];
      assert.deepStrictEqual(replica.pointInTimeRecoverySpecification, { pointInTimeRecoveryEnabled: true });
      assert.strictEqual(replica.deletionProtectionEnabled, true);
      expectNone(await pack().analyze({ ...broken, properties: fixed }));
    });

    it("keeps secrets secret and leaves unknown values alone", async () => {
      await both();
      const secretName = { ...SECRET_SIG, value: "orders" };
      const broken: AnalyzerResource = awsTable(
        edit(classicTable, (p) => {
          p.name = secretName;
          p.pointInTimeRecovery = { enabled: U };
          p.deletionProtectionEnabled = false;
        }),
      );
      const result = await pack().remediate(broken);
      assert.deepStrictEqual(
        result.remediations.map((r) => r.policyName),
        ["dynamodb-deletion-protection"],
      );
      const fixed = result.remediations[0].properties!;
      assert.deepStrictEqual(fixed.name, secretName);
      assert.deepStrictEqual(fixed.pointInTimeRecovery, { enabled: U });
      assert.strictEqual(fixed.deletionProtectionEnabled, true);
    });

    it("does nothing for compliant or exempt resources, or when not at the remediate level", async () => {
      await both();
      assert.deepStrictEqual((await pack().remediate(awsTable())).remediations, []);
      await pack().configure({
        "dynamodb-point-in-time-recovery": {
          enforcementLevel: "remediate",
          exemptions: [{ name: "orders", reason: "r", expires: future }],
        },
      });
      assert.deepStrictEqual(
        (await pack().remediate(awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery))))
          .remediations,
        [],
      );
      await pack().configure({});
      assert.deepStrictEqual(
        (await pack().remediate(awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery))))
          .remediations,
        [],
      );
    });

    it("at the remediate level, Analyze still reports what remediation did not fix, as mandatory", async () => {
      await both();
      const result = await pack().analyze(
        awsTable(
          edit(classicTable, (p) => (p.pointInTimeRecovery = { enabled: true, recoveryPeriodInDays: 2 })),
        ),
      );
      expectNoCantRun(result);
      const found = expectFindings(result, "dynamodb-point-in-time-recovery", 1, "2 days");
      assert.strictEqual(found[0].enforcementLevel, "mandatory");
    });
  });

  it("a stack with everything covered still passes under every policy at mandatory", async () => {
    await pack().configure({
      "dynamodb-stack": "mandatory",
      "dynamodb-vpc-endpoint-policy": "mandatory",
    });
    const result = await pack().analyzeStack([awsTable(), ...COVERAGE]);
    assert.deepStrictEqual(diags(result), []);
  });
});
