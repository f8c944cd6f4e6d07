import * as assert from "assert";
import { TABLE_ARN, awsTable, classicTable, doc, edit } from "./fixtures";
import { diags, expectFindings, expectNone, res, usePack } from "./packHarness";

const configFindings = (result: Awaited<ReturnType<ReturnType<ReturnType<typeof usePack>>["analyze"]>>) =>
  diags(result).filter((d) => d.message.includes("[configuration]"));

describe("policy pack: the pack checks its configuration against its own schema (over gRPC)", function () {
  const pack = usePack();
  afterEach(async () => pack().configure({}));

  const outside = res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
    resourceArn: TABLE_ARN,
    policy: doc({
      Effect: "Allow",
      Action: "dynamodb:GetItem",
      Resource: TABLE_ARN,
      Principal: { AWS: "arn:aws:iam::222222222222:role/reader" },
    }),
  });

  it("trustedAccountIds given as a string keeps the trust check on, and says the setting is malformed", async () => {
    await pack().configure({
      "dynamodb-resource-policy-not-public": {
        enforcementLevel: "mandatory",
        trustedAccountIds: "444444444444",
      },
    });
    const result = await pack().analyze(outside);
    const found = diags(result, "dynamodb-resource-policy-not-public");
    assert.ok(
      found.some(
        (d) => d.message.includes("outside the trusted accounts") && d.message.includes("222222222222"),
      ),
      found.map((d) => d.message).join("\n"),
    );
    const config = configFindings(result);
    assert.strictEqual(config.length, 1);
    assert.ok(
      config[0].message.includes("config.trustedAccountIds must be an array, not string"),
      config[0].message,
    );
    assert.strictEqual(config[0].policyName, "dynamodb-resource-policy-not-public");
  });

  it("a value of the wrong type, out of range or misspelt is a finding on the policy, not silence", async () => {
    const noPitr = awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery));
    for (const [settings, fragment] of [
      [
        { minimumRecoveryPeriodDays: "30" },
        "config.minimumRecoveryPeriodDays must be an integer, not string",
      ],
      [{ minimumRecoveryPeriodDays: 0 }, "config.minimumRecoveryPeriodDays must be at least 1, not 0"],
      [{ minimumRecoveryDays: 30 }, "config.minimumRecoveryDays is not a known setting"],
      [{ exemptions: [{ name: "orders" }] }, "config.exemptions[0].reason is required"],
    ] as const) {
      await pack().configure({
        "dynamodb-point-in-time-recovery": { enforcementLevel: "mandatory", ...settings },
      });
      const result = await pack().analyze(noPitr);
      const config = configFindings(result);
      assert.strictEqual(config.length, 1, JSON.stringify(settings));
      assert.ok(config[0].message.includes(fragment), config[0].message);
      assert.strictEqual(config[0].enforcementLevel, "mandatory");
      // The check itself still runs with its secure default.
      expectFindings(result, "dynamodb-point-in-time-recovery", 2);
    }
  });

  it("a stack policy reports its bad configuration too, and its checks stay on", async () => {
    await pack().configure({ "dynamodb-stack": { requireBackup: "no" } });
    const result = await pack().analyzeStack([awsTable()]);
    const config = configFindings(result);
    assert.strictEqual(config.length, 1);
    assert.ok(
      config[0].message.includes("config.requireBackup must be a boolean, not string"),
      config[0].message,
    );
    assert.ok(diags(result, "dynamodb-stack").some((d) => d.message.includes("[practice 9:")));
  });

  it("a valid configuration raises nothing", async () => {
    await pack().configure({
      "dynamodb-resource-policy-not-public": {
        trustedAccountIds: ["222222222222"],
        exemptions: [{ name: "legacy-*", reason: "migrating", expires: "2999-01-01" }],
      },
      "dynamodb-point-in-time-recovery": { minimumRecoveryPeriodDays: 7 },
      "dynamodb-stack": { requireBackup: true },
    });
    expectNone(await pack().analyze(outside));
    expectNone(await pack().analyze(awsTable()));
  });
});
