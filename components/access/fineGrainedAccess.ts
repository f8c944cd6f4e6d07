import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, policyDocument, policyJson } from "../shared/policyDocument";

/** Item actions that carry partition keys, so `dynamodb:LeadingKeys` can restrict them. */
export const LEADING_KEYS_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;

export interface LeadingKeysPolicyArgs {
  /** The table ARN (its indexes are included). */
  tableArn: pulumi.Input<string>;
  /** The principal tag whose value each item's partition key must equal, e.g. `userId`. */
  principalTag: string;
  /** Item actions to allow. Default: `LEADING_KEYS_ACTIONS`. `Scan` is refused: it reads every partition. */
  actions?: string[];
}

export interface AttributeRestrictedPolicyArgs {
  /** The table ARN (its indexes are included). */
  tableArn: pulumi.Input<string>;
  /** The only attributes the principal may read. */
  attributes: string[];
  /** Read actions to allow. Default: GetItem, BatchGetItem, Query. */
  actions?: string[];
}

function tableResources(arn: string): string[] {
  return [arn, `${arn}/index/*`];
}

export function leadingKeysPolicyDocument(
  tableArn: string,
  args: Omit<LeadingKeysPolicyArgs, "tableArn">,
): PolicyDocument {
  if (!/^[\w.:/=+\-@]{1,128}$/.test(args.principalTag)) {
    throw new pulumi.InputPropertyError({
      propertyPath: "principalTag",
      reason: `"${args.principalTag}" is not a valid IAM tag key`,
    });
  }
  const actions = args.actions ?? [...LEADING_KEYS_ACTIONS];
  const bad = actions.filter((a) => a.includes("*") || a === "dynamodb:Scan" || !a.startsWith("dynamodb:"));
  if (bad.length || actions.length === 0) {
    throw new pulumi.InputPropertyError({
      propertyPath: "actions",
      reason: `use named item actions (${LEADING_KEYS_ACTIONS.join(", ")}); not allowed: ${bad.join(", ") || "an empty list"}`,
    });
  }
  return policyDocument([
    {
      Sid: "OwnItemsOnly",
      Effect: "Allow",
      Action: actions,
      Resource: tableResources(tableArn),
      Condition: {
        "ForAllValues:StringEquals": {
          "dynamodb:LeadingKeys": [`\${aws:PrincipalTag/${args.principalTag}}`],
        },
      },
    },
  ]);
}

export function attributeRestrictedPolicyDocument(
  tableArn: string,
  args: Omit<AttributeRestrictedPolicyArgs, "tableArn">,
): PolicyDocument {
  if (!args.attributes.length) {
    throw new pulumi.InputPropertyError({
      propertyPath: "attributes",
      reason: "name at least one attribute",
    });
  }
  const actions = args.actions ?? ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
  const bad = actions.filter((a) => a.includes("*") || !a.startsWith("dynamodb:"));
  if (bad.length || actions.length === 0) {
    throw new pulumi.InputPropertyError({
      propertyPath: "actions",
      reason: `use named read actions such as dynamodb:GetItem, dynamodb:Query; not allowed: ${bad.join(", ") || "an empty list"}`,
    });
  }
  return policyDocument([
    {
      Sid: "SpecificAttributesOnly",
      Effect: "Allow",
      Action: actions,
      Resource: tableResources(tableArn),
      Condition: {
        "ForAllValues:StringEquals": { "dynamodb:Attributes": args.attributes },
        StringEqualsIfExists: { "dynamodb:Select": "SPECIFIC_ATTRIBUTES" },
      },
    },
  ]);
}

/** Identity-policy JSON that limits a principal to items whose partition key equals its principal tag. */
export function leadingKeysPolicy(args: LeadingKeysPolicyArgs): pulumi.Output<string> {
  const { tableArn, ...rest } = args;
  leadingKeysPolicyDocument("arn:aws:dynamodb:us-east-1:000000000000:table/check", rest);
  return policyJson(pulumi.output(tableArn).apply((arn) => leadingKeysPolicyDocument(arn, rest)));
}

/** Identity-policy JSON that limits reads to named attributes (`dynamodb:Select = SPECIFIC_ATTRIBUTES`). */
export function attributeRestrictedPolicy(args: AttributeRestrictedPolicyArgs): pulumi.Output<string> {
  const { tableArn, ...rest } = args;
  attributeRestrictedPolicyDocument("arn:aws:dynamodb:us-east-1:000000000000:table/check", rest);
  return policyJson(pulumi.output(tableArn).apply((arn) => attributeRestrictedPolicyDocument(arn, rest)));
}
