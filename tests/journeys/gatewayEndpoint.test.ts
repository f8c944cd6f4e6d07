import * as assert from "assert";
import { DynamoDbGatewayEndpoint, HardenedTable } from "../../components";
import { Deployed } from "./harness/deployed";
import { Hop, evaluateJourney, explain } from "./harness/layers";
import {
  ORG,
  REGION,
  TABLE_ACCOUNT,
  TABLE_NAME,
  allowPolicy,
  caller,
  callerContext,
  tableArn,
  tableKeyHop,
} from "./fixtures";

/*
 * Journey: an application in the table's account reaches the table through a DynamoDB gateway endpoint
 * (`access.sourceVpce`), and the same application outside the endpoint is refused.
 * Layers: the identity policy, the table's resource policy (its aws:sourceVpce conditions) and the
 * endpoint's policy, which applies to every request through the endpoint
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/vpc-endpoints-dynamodb.html);
 * aws:sourceVpce is set only for requests through an endpoint
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce).
 * DynamoDB's own calls to KMS do not go through the endpoint.
 */
const TABLE = tableArn();
const KEY = `arn:aws:kms:${REGION}:${TABLE_ACCOUNT}:key/mrk-${TABLE_NAME}-key`;
const APP = caller(TABLE_ACCOUNT, "orders-app", ORG);

describe("Journey: a caller inside and outside the gateway endpoint", () => {
  let d: Deployed;
  let vpce = "";
  before(async () => {
    d = await Deployed.of(() => {
      const endpoint = new DynamoDbGatewayEndpoint("east", {
        vpcId: "vpc-0123456789abcdef0",
        routeTableIds: ["rtb-0123456789abcdef0"],
        region: REGION,
        tableArns: [TABLE],
      });
      endpoint.endpoint.id.apply((id) => (vpce = id));
      new HardenedTable(TABLE_NAME, {
        name: TABLE_NAME,
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        access: { readerPrincipals: [APP.arn], sourceVpce: endpoint.endpoint.id },
      });
    });
  });

  // The application's own account allows it the table everywhere: only the endpoint layers keep it inside.
  const identity = allowPolicy(["dynamodb:GetItem", "dynamodb:Query"], [TABLE, `${TABLE}/index/*`]);
  const request = (inside: boolean): Hop[] => [
    {
      layer: `DynamoDB GetItem ${inside ? "through" : "outside"} the endpoint`,
      principal: APP.arn,
      action: "dynamodb:GetItem",
      resource: TABLE,
      resourceAccount: TABLE_ACCOUNT,
      identityPolicies: [identity],
      resourcePolicy: d.resourcePolicy(TABLE),
      vpcEndpointPolicies: inside ? [d.endpointPolicy("east-endpoint")] : undefined,
      context: { ...callerContext(APP), ...(inside ? { "aws:sourceVpce": vpce } : {}) },
    },
    tableKeyHop(APP, "kms:Decrypt", KEY, REGION, { resourcePolicy: d.keyPolicy(KEY) }),
  ];

  it("inside the endpoint the application reads through every layer", async () => {
    assert.match(vpce, /^vpce-/);
    const verdict = await evaluateJourney(request(true));
    assert.ok(verdict.allowed, explain(verdict));
  });

  it("outside the endpoint the same application is denied by the table's policy", async () => {
    const verdict = await evaluateJourney(request(false));
    assert.ok(!verdict.allowed, explain(verdict));
    assert.deepStrictEqual(verdict.deniedAt, ["DynamoDB GetItem outside the endpoint"]);
    assert.strictEqual(verdict.hops[0].result, "ExplicitlyDenied");
  });

  it("through the endpoint, another table of the account is refused by the endpoint policy", async () => {
    const other = tableArn(REGION, "payroll");
    const verdict = await evaluateJourney([
      {
        ...request(true)[0],
        resource: other,
        resourcePolicy: undefined,
        identityPolicies: [allowPolicy(["dynamodb:GetItem"], [other])],
      },
    ]);
    assert.ok(!verdict.allowed, explain(verdict));
  });
});
