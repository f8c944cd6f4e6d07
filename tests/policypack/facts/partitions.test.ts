import * as assert from "assert";
import { arnEquals, arnStartsWith, tableIdentity, tableMatches } from "../../../policypack/facts/match";
import { StackInput } from "../../../policypack/facts/stack";
import { dataEventFindings } from "../../../policypack/rules/p06DataEvents";
import { stack } from "../rules/helpers";

const table = (region: string): Partial<StackInput> => ({
  type: "aws:dynamodb/table:Table",
  props: { name: "orders", region },
});
const trail = (region: string, props: Record<string, unknown>): Partial<StackInput> => ({
  type: "aws:cloudtrail/trail:Trail",
  props: { region, ...props },
});
const classic = (values: string[]) => ({
  eventSelectors: [{ dataResources: [{ type: "AWS::DynamoDB::Table", values }] }],
});
const advancedStartsWith = (prefix: string) => ({
  advancedEventSelectors: [
    {
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
        { field: "resources.ARN", startsWith: [prefix] },
      ],
    },
  ],
});

describe("pack: partitions from the AWS SDK's data", () => {
  // [case, table region, trail, data-event findings]
  const CASES: [string, string, Record<string, unknown>, number][] = [
    [
      "an EUSC table and a trail selecting arn:aws-eusc:dynamodb:eusc-de-east-1:",
      "eusc-de-east-1",
      advancedStartsWith("arn:aws-eusc:dynamodb:eusc-de-east-1:"),
      0,
    ],
    [
      "a China table and a trail selecting arn:aws-cn:dynamodb",
      "cn-north-1",
      advancedStartsWith("arn:aws-cn:dynamodb"),
      0,
    ],
    [
      "an ISO-F table and a trail selecting arn:aws-iso-f:dynamodb",
      "us-isof-south-1",
      advancedStartsWith("arn:aws-iso-f:dynamodb"),
      0,
    ],
    [
      "a China table and a classic selector for arn:aws-cn:dynamodb",
      "cn-north-1",
      classic(["arn:aws-cn:dynamodb"]),
      0,
    ],
    // A selector of the aws partition never names a China or EUSC table: the table is not logged.
    [
      "a China table and a classic selector for arn:aws:dynamodb only",
      "cn-north-1",
      classic(["arn:aws:dynamodb"]),
      1,
    ],
    [
      "an EUSC table and a selector for arn:aws:dynamodb only",
      "eusc-de-east-1",
      advancedStartsWith("arn:aws:dynamodb"),
      1,
    ],
  ];
  for (const [label, region, selectors, count] of CASES) {
    it(label, () => {
      const findings = dataEventFindings(stack(table(region), trail(region, selectors)));
      assert.strictEqual(findings.length, count, JSON.stringify(findings.map((f) => f.problem)));
    });
  }

  it("matches IAM and Backup patterns by the table's partition", () => {
    const china = tableIdentity("orders", "cn-northwest-1", "111111111111");
    const eusc = tableIdentity("orders", "eusc-de-east-1", "111111111111");
    assert.strictEqual(china.partition, "aws-cn");
    assert.strictEqual(eusc.partition, "aws-eusc");
    assert.strictEqual(tableMatches("arn:aws-cn:dynamodb:*:*:table/*", china), "yes");
    assert.strictEqual(tableMatches("arn:aws:dynamodb:*:*:table/*", china), "no");
    assert.strictEqual(tableMatches("arn:*:dynamodb:*:*:table/orders", eusc), "yes");
    assert.strictEqual(
      arnEquals("arn:aws-eusc:dynamodb:eusc-de-east-1:111111111111:table/orders", eusc),
      "yes",
    );
    assert.strictEqual(arnEquals("arn:aws:dynamodb:eusc-de-east-1:111111111111:table/orders", eusc), "no");
    assert.strictEqual(arnStartsWith("arn:aws-eusc:", eusc), "yes");
  });

  it("matches a table whose region is not known on the rest of its ARN, as before", () => {
    const unplaced = tableIdentity("orders", undefined, "111111111111");
    assert.strictEqual(tableMatches("arn:aws:dynamodb:*:*:table/orders", unplaced), "yes");
    assert.strictEqual(arnStartsWith("arn:aws:dynamodb:", unplaced), "yes");
    assert.strictEqual(arnStartsWith("arn:aws:dynamodb:us-east-1:", unplaced), "unknown");
  });
});
