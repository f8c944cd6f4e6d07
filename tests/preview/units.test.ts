import * as assert from "assert";
import type { PolicyInfo } from "../../preview/analyzerClient";
import { marshalForAnalyzer, maskSecrets } from "../../preview/analyzerMarshal";
import { wantsColour } from "../../preview/cli";
import { UNKNOWN_INVOKE, mockCall } from "../../preview/mockCloud";
import { policyDocument } from "../../preview/mockPolicyDocument";
import { availabilityZones } from "../../preview/mockZones";
import { PolicyConfigError, resolvePolicyConfig } from "../../preview/policyConfig";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const REF = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("preview: inputs marshalled as the engine sends them to analyzers", () => {
  it("a custom resource reference becomes its ID (unknown in a preview), a component's its URN", () => {
    const urn = "urn:pulumi:dev::p::aws:iam/role:Role::r";
    assert.deepStrictEqual(
      marshalForAnalyzer({
        known: { [SIG]: REF, urn, id: "r-123" },
        previewed: { [SIG]: REF, urn, id: "" },
        component: { [SIG]: REF, urn: "urn:pulumi:dev::p::my:index:Thing::t" },
        nested: [{ role: { [SIG]: REF, urn, id: "r-123", packageVersion: "7.0.0" } }],
      }),
      {
        known: "r-123",
        previewed: UNKNOWN,
        component: "urn:pulumi:dev::p::my:index:Thing::t",
        nested: [{ role: "r-123" }],
      },
    );
  });

  it("secrets stay wrapped, output values become their element, internal keys are dropped", () => {
    assert.deepStrictEqual(
      marshalForAnalyzer({
        s: { [SIG]: SECRET, value: { [SIG]: REF, urn: "u", id: "i" } },
        o: { [SIG]: OUTPUT, value: "v", secret: true },
        u: { [SIG]: OUTPUT },
        __defaults: [],
      }),
      { s: { [SIG]: SECRET, value: "i" }, o: { [SIG]: SECRET, value: "v" }, u: UNKNOWN },
    );
  });

  it("secrets are masked for display", () => {
    assert.deepStrictEqual(maskSecrets({ a: [{ [SIG]: SECRET, value: "x" }], b: 1 }), {
      a: ["[secret]"],
      b: 1,
    });
  });
});

describe("preview: mocked AWS lookups", () => {
  it("iam.getPolicyDocument writes the provider's JSON: defaults, one value as a string, lists reverse-sorted", () => {
    const result = policyDocument({
      statements: [
        {
          sid: "Read",
          actions: ["dynamodb:GetItem", "dynamodb:Query"],
          resources: ["arn:aws:dynamodb:us-east-1:111111111111:table/t"],
          principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
          conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["true"] }],
        },
        { effect: "Deny", actions: ["*"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
      ],
    });
    assert.strictEqual(
      result.minifiedJson,
      '{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["dynamodb:Query","dynamodb:GetItem"],' +
        '"Resource":"arn:aws:dynamodb:us-east-1:111111111111:table/t","Principal":{"AWS":"arn:aws:iam::111111111111:root"},' +
        '"Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Deny","Action":"*","Resource":"*","Principal":"*"}]}',
    );
    assert.deepStrictEqual(JSON.parse(String(result.json)), JSON.parse(String(result.minifiedJson)));
    assert.match(String(result.json), /\n {2}"Version": "2012-10-17",/);
  });

  it("iam.getPolicyDocument: a statement with the Sid of a source document's statement replaces it", () => {
    const source = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:*", Resource: "*" }],
    });
    const doc = JSON.parse(
      String(
        policyDocument({
          sourcePolicyDocuments: [source],
          statements: [{ sid: "A", actions: ["s3:GetObject"], resources: ["*"] }],
        }).json,
      ),
    );
    assert.deepStrictEqual(doc.Statement, [
      { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
    ]);
  });

  it("availability zones follow AWS's names and IDs and honour exclusions", () => {
    const zones = availabilityZones("eu-west-1", { excludeNames: ["eu-west-1b"] });
    assert.deepStrictEqual(zones.names, ["eu-west-1a", "eu-west-1c"]);
    assert.deepStrictEqual(zones.zoneIds, ["euw1-az1", "euw1-az3"]);
    assert.deepStrictEqual(availabilityZones("ap-southeast-2", {}).zoneIds, [
      "apse2-az1",
      "apse2-az2",
      "apse2-az3",
    ]);
  });

  it("in a preview, an invoke with no offline answer is unknown (never {}); caller identity follows the provider", () => {
    const providers = new Map([
      ["central", { assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::222222222222:role/deploy" }]) }],
    ]);
    assert.strictEqual(
      mockCall({ token: "aws:ec2/getVpc:getVpc", inputs: {} }, {}, providers, true),
      UNKNOWN_INVOKE,
    );
    const identity = mockCall(
      {
        token: "aws:index/getCallerIdentity:getCallerIdentity",
        inputs: {},
        provider: "urn:pulumi:s::p::pulumi:providers:aws::central::id",
      },
      {},
      providers,
      true,
    );
    assert.strictEqual(identity.accountId, "222222222222");
  });
});

describe("preview: policy configuration reconciled as the engine does", () => {
  const policies = [
    {
      name: "pitr",
      enforcementLevel: "mandatory",
      configSchema: { properties: { days: { type: "integer", minimum: 1, default: 7 } }, required: [] },
    },
    { name: "keys", enforcementLevel: "advisory" },
  ] as unknown as PolicyInfo[];

  it("an entry without a level keeps the policy's default level and its schema defaults", () => {
    assert.deepStrictEqual(resolvePolicyConfig({ pitr: { days: 10 } as never }, policies), {
      pitr: { enforcementLevel: "mandatory", days: 10 },
      keys: { enforcementLevel: "advisory" },
    });
  });

  it("`all` sets every level; a policy's own level wins", () => {
    assert.deepStrictEqual(resolvePolicyConfig({ all: "disabled", keys: "mandatory" }, policies), {
      pitr: { enforcementLevel: "disabled", days: 7 },
      keys: { enforcementLevel: "mandatory" },
    });
  });

  it("values are validated against the policy's schema, every error reported", () => {
    assert.throws(
      () => resolvePolicyConfig({ pitr: { days: "14" } as never }, policies, "pack"),
      (e: Error) =>
        e instanceof PolicyConfigError &&
        e.message ===
          'validating policy config for "pack": pitr: days: Invalid type. Expected: integer, given: string',
    );
    assert.throws(
      () => resolvePolicyConfig({ pitr: { days: 0 } as never }, policies),
      /pitr: days: must be >= 1/,
    );
  });
});

describe("preview: colour", () => {
  it("on a terminal only, never with NO_COLOR or in CI, unless forced", () => {
    assert.strictEqual(wantsColour("auto", true, {}), true);
    assert.strictEqual(wantsColour("auto", false, {}), false);
    assert.strictEqual(wantsColour("auto", true, { NO_COLOR: "1" }), false);
    assert.strictEqual(wantsColour("auto", true, { CI: "true" }), false);
    assert.strictEqual(wantsColour("auto", false, { FORCE_COLOR: "1" }), true);
    assert.strictEqual(wantsColour("never", true, {}), false);
    assert.strictEqual(wantsColour("always", false, { NO_COLOR: "1" }), true);
  });
});
