import * as assert from "assert";
import { HardenedTable, StreamConsumer, TableAccessRole, accountProvider } from "../../components";
import { Deployed } from "./harness/deployed";
import { ANONYMOUS, Hop, evaluateJourney, explain } from "./harness/layers";
import {
  Caller,
  ORG,
  OTHER_ORG,
  OUTSIDER_ACCOUNT,
  REGION,
  SAME_ORG_ACCOUNT,
  TABLE_ACCOUNT,
  TABLE_NAME,
  USAGE_ACCOUNT,
  allowPolicy,
  caller,
  callerContext,
  tableArn,
  tableKeyHop,
} from "./fixtures";

const TABLE = tableArn();
const KEY = `arn:aws:kms:${REGION}:${TABLE_ACCOUNT}:key/mrk-${TABLE_NAME}-key`;
const EXTERNAL_ID = "orders-usage-7f3a";
const APP = caller(USAGE_ACCOUNT, "session-store-app", ORG);
const ROLE_NAME = "orders-usage";
const ACCESS_ROLE = `arn:aws:iam::${TABLE_ACCOUNT}:role/${ROLE_NAME}`;

/*
 * Journey: the usage account's application assumes a TableAccessRole in the table account with its
 * ExternalId, then reads the table as that role.
 * Layers: sts:AssumeRole is decided by the caller's identity policy and the role's trust policy (the
 * resource policy), with sts:ExternalId in the request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html);
 * the role's own requests are same-account: its identity policy, SCPs, and the key policy with
 * kms:ViaService (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 */
describe("Journey: a TableAccessRole assumed from the usage account with its ExternalId", () => {
  let d: Deployed;
  before(async () => {
    d = await Deployed.of(() => {
      new HardenedTable(TABLE_NAME, {
        name: TABLE_NAME,
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
      });
      new TableAccessRole("usage", {
        tableArn: TABLE,
        trustedPrincipals: [APP.arn],
        externalId: EXTERNAL_ID,
        organizationId: ORG,
        kmsKeyArn: KEY,
        roleName: ROLE_NAME,
        access: "session-store",
      });
    });
  });

  const appIdentity = allowPolicy(["sts:AssumeRole"], [ACCESS_ROLE]);
  const assume = (c: Caller | typeof ANONYMOUS, externalId?: string): Hop => ({
    layer: "STS AssumeRole on the TableAccessRole",
    principal: c === ANONYMOUS ? ANONYMOUS : c.arn,
    action: "sts:AssumeRole",
    resource: ACCESS_ROLE,
    resourceAccount: TABLE_ACCOUNT,
    identityPolicies: [appIdentity],
    resourcePolicy: d.trustPolicy("usage"),
    context: {
      ...(c === ANONYMOUS ? {} : callerContext(c)),
      ...(externalId === undefined ? {} : { "sts:ExternalId": externalId }),
    },
  });
  const asRole = (action: string, keyAction: string): Hop[] => {
    const role: Caller = { arn: ACCESS_ROLE, account: TABLE_ACCOUNT, orgId: ORG };
    return [
      {
        layer: `DynamoDB ${action} as the role`,
        principal: ACCESS_ROLE,
        action,
        resource: TABLE,
        resourceAccount: TABLE_ACCOUNT,
        identityPolicies: d.inlinePolicies("usage"),
        context: callerContext(role),
      },
      tableKeyHop(role, keyAction, KEY, REGION, {
        identityPolicies: d.inlinePolicies("usage"),
        resourcePolicy: d.keyPolicy(KEY),
      }),
    ];
  };

  it("the application assumes the role with the ExternalId, then reads and writes through every layer", async () => {
    for (const hops of [
      [assume(APP, EXTERNAL_ID), ...asRole("dynamodb:GetItem", "kms:Decrypt")],
      [assume(APP, EXTERNAL_ID), ...asRole("dynamodb:PutItem", "kms:GenerateDataKey")],
    ]) {
      const verdict = await evaluateJourney(hops);
      assert.ok(verdict.allowed, explain(verdict));
    }
  });

  it("the role cannot do what the preset leaves out (Scan)", async () => {
    const verdict = await evaluateJourney(asRole("dynamodb:Scan", "kms:Decrypt"));
    assert.ok(!verdict.allowed, explain(verdict));
  });

  const refused: [string, Caller | typeof ANONYMOUS, string | undefined][] = [
    ["the wrong ExternalId", APP, "guessed"],
    ["no ExternalId", APP, undefined],
    [
      "an outsider account with the ExternalId",
      caller(OUTSIDER_ACCOUNT, "session-store-app", OTHER_ORG),
      EXTERNAL_ID,
    ],
    [
      "another account of the organization with the ExternalId",
      caller(SAME_ORG_ACCOUNT, "session-store-app", ORG),
      EXTERNAL_ID,
    ],
    ["an anonymous caller", ANONYMOUS, EXTERNAL_ID],
  ];
  for (const [who, c, externalId] of refused) {
    it(`${who} cannot assume the role`, async () => {
      const verdict = await evaluateJourney([assume(c, externalId)]);
      assert.ok(!verdict.allowed, explain(verdict));
    });
  }
});

/*
 * Journey: a StreamConsumer's Lambda, in the consumer account, reads the table's stream in the table account
 * through its event source mapping, which polls with the function's execution role.
 * Layers: the execution role's identity policy and the stream's resource policy (cross-account)
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-cross-account.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-cross-account-access.html);
 * the stream is encrypted with the table key, so GetRecords needs Decrypt through DynamoDB, here by grant
 * (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html).
 */
describe("Journey: a StreamConsumer's Lambda reads a stream in another account through its mapping", () => {
  let d: Deployed;
  let consumerRole = "";
  const STREAM = `${TABLE}/stream/2026-01-01T00:00:00.000`;
  before(async () => {
    d = await Deployed.of(() => {
      const table = new HardenedTable(TABLE_NAME, {
        name: TABLE_NAME,
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        stream: { viewType: "KEYS_ONLY" },
      });
      const provider = accountProvider("consumer-account", {
        accountId: USAGE_ACCOUNT,
        roleArn: `arn:aws:iam::${USAGE_ACCOUNT}:role/deployer`,
        region: REGION,
      });
      const consumer = new StreamConsumer(
        "indexer",
        {
          streamArn: STREAM,
          functionName: "orders-indexer",
          tableKmsKeyArn: KEY,
          streamViewType: "KEYS_ONLY",
        },
        { provider },
      );
      consumer.role.arn.apply((arn) => (consumerRole = arn));
      table.grantStreamRead("indexer", [consumer.role.arn]);
    });
  });

  const read = (principal: string, identity: unknown[], account: string, orgId?: string): Hop[] => {
    const c: Caller = { arn: principal, account, orgId };
    return [
      {
        layer: "DynamoDB Streams GetRecords on the stream",
        principal,
        action: "dynamodb:GetRecords",
        resource: STREAM,
        resourceAccount: TABLE_ACCOUNT,
        identityPolicies: identity as Hop["identityPolicies"],
        resourcePolicy: d.resourcePolicy(STREAM),
        context: callerContext(c),
      },
      tableKeyHop(c, "kms:Decrypt", KEY, REGION, {
        identityPolicies: identity as Hop["identityPolicies"],
        resourcePolicy: d.keyPolicy(KEY),
        grants: d.grants(),
      }),
    ];
  };

  it("the mapping's execution role reads the stream through every layer", async () => {
    assert.match(consumerRole, new RegExp(`^arn:aws:iam::${USAGE_ACCOUNT}:role/`));
    const verdict = await evaluateJourney(
      read(consumerRole, d.inlinePolicies("indexer-role"), USAGE_ACCOUNT, ORG),
    );
    assert.ok(verdict.allowed, explain(verdict));
  });

  const everything = [
    { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  ];
  for (const [who, account] of [
    ["an outsider account's role", OUTSIDER_ACCOUNT],
    ["another role of the consumer account", USAGE_ACCOUNT],
    ["a role of another account of the organization", SAME_ORG_ACCOUNT],
  ] as const) {
    it(`${who}, allowed everything by its own account, cannot read the stream`, async () => {
      const verdict = await evaluateJourney(
        read(`arn:aws:iam::${account}:role/other`, everything, account, ORG),
      );
      assert.ok(!verdict.allowed, explain(verdict));
    });
  }

  it("an anonymous caller cannot read the stream", async () => {
    const verdict = await evaluateJourney([
      { ...read(consumerRole, [], USAGE_ACCOUNT)[0], principal: ANONYMOUS, context: {} },
    ]);
    assert.ok(!verdict.allowed, explain(verdict));
  });
});
