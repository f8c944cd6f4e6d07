import * as assert from "assert";
import { HardenedTable } from "../../components";
import { Deployed } from "./harness/deployed";
import { Hop, evaluateJourney, explain } from "./harness/layers";
import {
  ORG,
  OUTSIDER_ACCOUNT,
  OTHER_ORG,
  REGION,
  REPLICA_REGION,
  SAME_ORG_ACCOUNT,
  TABLE_ACCOUNT,
  TABLE_NAME,
  USAGE_ACCOUNT,
  allowPolicy,
  caller,
  callerContext,
  tableArn,
  tableKeyHop,
  Caller,
} from "./fixtures";

/*
 * Journey: after a regional failover the application, in another account, reads the replica in eu-west-1
 * through eu-west-1's gateway endpoint.
 * Layers: as for the table (identity, the replica's own resource policy, its own region's key by grant,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html: each replica
 * has its own policy; KMS keys are regional), plus the endpoint of the replica's region: VPC endpoints serve
 * their own region only (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
 */
const EAST_VPCE = "vpce-0a1b2c3d4e5f60001";
const WEST_VPCE = "vpce-0a1b2c3d4e5f60002";
const READER = caller(USAGE_ACCOUNT, "orders-reader", ORG);
const REPLICA = tableArn(REPLICA_REGION);
const REPLICA_KEY = `arn:aws:kms:${REPLICA_REGION}:${TABLE_ACCOUNT}:key/mrk-${TABLE_NAME}-key-${REPLICA_REGION}`;

describe("Journey: access to a replica after a regional failover", () => {
  let d: Deployed;
  before(async () => {
    d = await Deployed.of(
      () =>
        new HardenedTable(TABLE_NAME, {
          name: TABLE_NAME,
          region: REGION,
          hashKey: "pk",
          attributes: [{ name: "pk", type: "S" }],
          access: { readerPrincipals: [READER.arn], organizationId: ORG, sourceVpce: EAST_VPCE },
          replicas: [{ region: REPLICA_REGION, sourceVpce: WEST_VPCE }],
        }),
    );
  });

  const identity = allowPolicy(["dynamodb:GetItem", "kms:Decrypt"], [REPLICA, REPLICA_KEY]);
  const endpointPolicy = allowPolicy(["dynamodb:GetItem"], [REPLICA]);
  const read = (c: Caller, vpce: string | undefined): Hop[] => [
    {
      layer: `DynamoDB GetItem on the ${REPLICA_REGION} replica`,
      principal: c.arn,
      action: "dynamodb:GetItem",
      resource: REPLICA,
      resourceAccount: TABLE_ACCOUNT,
      identityPolicies: [identity],
      resourcePolicy: d.resourcePolicy(REPLICA),
      vpcEndpointPolicies: vpce
        ? [{ ...endpointPolicy, Statement: [{ ...endpointPolicy.Statement[0], Principal: "*" }] }]
        : undefined,
      context: { ...callerContext(c), ...(vpce ? { "aws:sourceVpce": vpce } : {}) },
    },
    tableKeyHop(c, "kms:Decrypt", REPLICA_KEY, REPLICA_REGION, {
      identityPolicies: [identity],
      resourcePolicy: d.replicaKeyPolicy(`${TABLE_NAME}-key-${REPLICA_REGION}`),
      grants: d.grants(),
    }),
  ];

  it("the reader reads the replica through the replica region's endpoint, at every layer", async () => {
    const verdict = await evaluateJourney(read(READER, WEST_VPCE));
    assert.ok(verdict.allowed, explain(verdict));
  });

  it("the reader outside any endpoint is denied at the replica", async () => {
    const verdict = await evaluateJourney(read(READER, undefined));
    assert.ok(!verdict.allowed, explain(verdict));
  });

  for (const [who, c] of [
    ["an outsider account", caller(OUTSIDER_ACCOUNT, "orders-reader", OTHER_ORG)],
    ["another account of the organization", caller(SAME_ORG_ACCOUNT, "orders-reader", ORG)],
  ] as const) {
    it(`${who}, through the replica region's endpoint, is denied`, async () => {
      const verdict = await evaluateJourney(read(c, WEST_VPCE));
      assert.ok(!verdict.allowed, explain(verdict));
    });
  }
});
