import * as assert from "assert";
import { HardenedTable, OrganizationGuardrails } from "../../components";
import { Deployed } from "./harness/deployed";
import { ANONYMOUS, Hop, evaluateJourney, explain } from "./harness/layers";
import {
  BREAK_GLASS,
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

/*
 * Journey: a reader or writer in another account uses the table through HardenedTable's `access`.
 * Layers, as AWS documents them:
 * - cross-account requests need the caller's identity policy AND the table's resource policy
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html,
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-cross-account-access.html);
 * - SCPs of the caller's account and RCPs of the table's account
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html);
 * - the table's customer-managed key, used by DynamoDB on the caller's behalf with the table's encryption
 *   context; cross-account use needs the key policy or a grant to name the caller
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html,
 *   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
 */

const READER = caller(USAGE_ACCOUNT, "orders-reader", ORG);
const WRITER = caller(USAGE_ACCOUNT, "orders-writer", ORG);
const TABLE = tableArn();
const KEY = `arn:aws:kms:${REGION}:${TABLE_ACCOUNT}:key/mrk-${TABLE_NAME}-key`;

async function deployTable(): Promise<Deployed> {
  return Deployed.of(() => {
    new HardenedTable(TABLE_NAME, {
      name: TABLE_NAME,
      hashKey: "pk",
      attributes: [{ name: "pk", type: "S" }],
      access: { readerPrincipals: [READER.arn], writerPrincipals: [WRITER.arn], organizationId: ORG },
    });
    new OrganizationGuardrails("guardrails", {
      organizationId: ORG,
      targetIds: ["r-root"],
      breakGlassRoleArns: [BREAK_GLASS],
    });
  });
}

/** What a caller's account gives it: the table actions and use of the table key. */
const callerIdentity = allowPolicy(
  [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  [TABLE, `${TABLE}/index/*`, KEY],
);

function journey(d: Deployed, c: Caller | typeof ANONYMOUS, action: string, keyAction: string): Hop[] {
  const scps = d.organizationPolicies("SERVICE_CONTROL_POLICY");
  const rcps = d.organizationPolicies("RESOURCE_CONTROL_POLICY");
  if (c === ANONYMOUS) {
    return [
      {
        layer: `DynamoDB ${action} on the table`,
        principal: ANONYMOUS,
        action,
        resource: TABLE,
        resourceAccount: TABLE_ACCOUNT,
        resourcePolicy: d.resourcePolicy(TABLE),
        resourceControlPolicies: rcps,
      },
    ];
  }
  const inOrg = c.orgId === ORG;
  return [
    {
      layer: `DynamoDB ${action} on the table`,
      principal: c.arn,
      action,
      resource: TABLE,
      resourceAccount: TABLE_ACCOUNT,
      identityPolicies: [callerIdentity],
      resourcePolicy: d.resourcePolicy(TABLE),
      serviceControlPolicies: inOrg ? scps : [],
      resourceControlPolicies: rcps,
      context: callerContext(c),
    },
    tableKeyHop(c, keyAction, KEY, REGION, {
      identityPolicies: [callerIdentity],
      resourcePolicy: d.keyPolicy(KEY),
      grants: d.grants(),
      serviceControlPolicies: inOrg ? scps : [],
    }),
  ];
}

describe("Journey: a reader or writer in another account, through `access`", () => {
  let d: Deployed;
  before(async () => {
    d = await deployTable();
  });

  it("the named reader reads: every layer allows GetItem and the key's Decrypt", async () => {
    const verdict = await evaluateJourney(journey(d, READER, "dynamodb:GetItem", "kms:Decrypt"));
    assert.ok(verdict.allowed, explain(verdict));
  });

  it("the named writer writes: every layer allows PutItem and the key's GenerateDataKey", async () => {
    const verdict = await evaluateJourney(journey(d, WRITER, "dynamodb:PutItem", "kms:GenerateDataKey"));
    assert.ok(verdict.allowed, explain(verdict));
  });

  it("the reader cannot write", async () => {
    const verdict = await evaluateJourney(journey(d, READER, "dynamodb:PutItem", "kms:GenerateDataKey"));
    assert.ok(!verdict.allowed, explain(verdict));
    assert.ok(
      verdict.deniedAt.some((l) => l.startsWith("DynamoDB")),
      explain(verdict),
    );
  });

  const refused: [string, Caller | typeof ANONYMOUS][] = [
    ["an outsider account", caller(OUTSIDER_ACCOUNT, "orders-reader", OTHER_ORG)],
    ["another account of the same organization", caller(SAME_ORG_ACCOUNT, "orders-reader", ORG)],
    ["an anonymous caller", ANONYMOUS],
  ];
  for (const [who, c] of refused) {
    it(`${who} is denied at least at one layer, with the same identity policy as the reader`, async () => {
      const verdict = await evaluateJourney(journey(d, c, "dynamodb:GetItem", "kms:Decrypt"));
      assert.ok(!verdict.allowed, explain(verdict));
      assert.ok(verdict.deniedAt.length >= 1);
    });
  }

  it("the key use granted to the reader works only for this table's encryption context", async () => {
    const hops = journey(d, READER, "dynamodb:GetItem", "kms:Decrypt");
    const otherTable = {
      ...hops[1],
      encryptionContext: { "aws:dynamodb:tableName": "payroll", "aws:dynamodb:subscriberId": TABLE_ACCOUNT },
    };
    const verdict = await evaluateJourney([otherTable]);
    assert.ok(!verdict.allowed, explain(verdict));
  });
});
