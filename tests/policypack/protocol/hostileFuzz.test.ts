import * as assert from "assert";
import { AnalyzerResource } from "../../../preview/analyzerClient";
import { TABLE_ARN, awsTable, classicTable, doc, edit } from "./fixtures";
import { diags, res, usePack } from "./packHarness";
import { random } from "../../harness/random";

/** Per call: generous for a loaded machine, and far below what a backtracking matcher needs for these inputs. */
const CALL_LIMIT_MS = 15000;

async function bounded<T>(what: string, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${CALL_LIMIT_MS} ms`)),
      CALL_LIMIT_MS,
    );
  });
  try {
    return await Promise.race([call, limit]);
  } finally {
    clearTimeout(timer);
  }
}

const PATHOLOGICAL = [10, 20, 40].map((groups) => `${"*a".repeat(groups)}*b`);
const LONG_NAME = "a".repeat(40);

const VALUES: unknown[] = [
  null,
  0,
  -1,
  1e9,
  "",
  "x",
  "444444444444",
  true,
  [],
  ["x"],
  {},
  { a: 1 },
  PATHOLOGICAL[2],
];

describe("policy pack: hostile patterns, configuration and exemptions over gRPC, each call time-bounded", function () {
  this.timeout(300000);
  const pack = usePack();
  afterEach(async () => pack().configure({}));

  it("answers the issue's pathological selection, trail, policy and exemption patterns, keeping its findings", async () => {
    const table = awsTable(
      edit(classicTable, (p) => (p.name = LONG_NAME)),
      LONG_NAME,
    );
    for (const pattern of PATHOLOGICAL) {
      const arn = `arn:aws:dynamodb:us-east-1:*:table/${pattern}`;
      const stack: AnalyzerResource[] = [
        table,
        res("aws:backup/selection:Selection", "s", {
          name: "s",
          planId: "p",
          iamRoleArn: "r",
          resources: [arn],
        }),
        res("aws:cloudtrail/trail:Trail", "trail", {
          s3BucketName: "logs",
          eventSelectors: [{ dataResources: [{ type: "AWS::DynamoDB::Table", values: [arn] }] }],
        }),
        res("aws:iam/rolePolicy:RolePolicy", "p", {
          role: "app",
          policy: doc({ Effect: "Allow", Action: [`dynamodb:${pattern}`], Resource: [arn] }),
        }),
      ];
      await pack().configure({
        "dynamodb-stack": {
          exemptions: [{ name: pattern, urn: `*${pattern}`, reason: "x", expires: "2999-01-01" }],
        },
      });
      const result = await bounded(pattern, pack().analyzeStack(stack));
      // The table is covered by neither the selection nor the trail, and the exemption does not match it.
      const messages = diags(result, "dynamodb-stack").map((d) => d.message);
      assert.ok(
        messages.some((m) => m.includes("[practice 9:")),
        messages.join("\n"),
      );
      assert.ok(
        messages.some((m) => m.includes("[practice 6:")),
        messages.join("\n"),
      );
      assert.ok(!messages.some((m) => m.includes("[internal]")), messages.join("\n"));
    }
  });

  it("any configuration value for any setting: the call answers, nothing internal, no finding lost", async () => {
    const info = await pack().getAnalyzerInfo();
    const rand = random(9);
    const noPitr = awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery));
    const rp = res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
      resourceArn: TABLE_ARN,
      policy: doc({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE_ARN, Principal: "*" }),
    });
    for (let round = 0; round < 12; round++) {
      const config: Record<string, Record<string, unknown>> = {};
      for (const policy of info.policies) {
        const settings: Record<string, unknown> = { enforcementLevel: "mandatory" };
        for (const key of Object.keys(policy.configSchema?.properties ?? {})) {
          if (rand() < 0.5) settings[key] = VALUES[Math.floor(rand() * VALUES.length)];
        }
        if (rand() < 0.3)
          settings.exemptions = [
            { name: VALUES[Math.floor(rand() * VALUES.length)], reason: "r", expires: "2999-01-01" },
          ];
        config[policy.name] = settings;
      }
      await bounded("configure", pack().configure(config));
      for (const call of [pack().analyze(noPitr), pack().analyze(rp), pack().analyzeStack([noPitr, rp])]) {
        const result = await bounded(`round ${round}`, call);
        const internal = diags(result).filter((d) => d.message.includes("[internal]"));
        assert.deepStrictEqual(
          internal.map((d) => d.message),
          [],
          JSON.stringify(config),
        );
        // A table without PITR and a public resource policy are never let through, whatever the configuration.
        if (diags(result).length === 0) assert.fail(`no finding at all with ${JSON.stringify(config)}`);
      }
    }
  });
});
