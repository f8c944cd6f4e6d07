import { parseArn } from "../shared/arn";
import { viaServiceValues } from "../shared/partitions";
import {
  LEADING_KEYS_ACTIONS,
  attributeRestrictedPolicyDocument,
  leadingKeysPolicyDocument,
} from "./fineGrainedAccess";
import { PolicyDocument, PolicyStatement, policyDocument } from "../shared/policyDocument";
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, sourceVpceCondition } from "./tableAccess";

type Condition = NonNullable<PolicyStatement["Condition"]>;

/** Describe actions: table metadata, no items. Fine-grained conditions do not apply to them. */
export const TABLE_METADATA_ACTIONS = [
  "dynamodb:DescribeTable",
  "dynamodb:DescribeTimeToLive",
  "dynamodb:ListTagsOfResource",
] as const;

export const PARTIQL_ACTIONS = [
  "dynamodb:PartiQLSelect",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
] as const;

/** Every action a `TableAccessRole` may grant: data-plane and describe actions, never table administration. */
export const TABLE_ACCESS_ROLE_ACTIONS: readonly string[] = [
  ...new Set<string>([
    ...TABLE_METADATA_ACTIONS,
    ...TABLE_READ_ACTIONS,
    ...TABLE_WRITE_ACTIONS,
    ...PARTIQL_ACTIONS,
  ]),
];

/** Actions that also act on a table's indexes, so the index ARNs are granted for them only. */
export const INDEX_ACTIONS: readonly string[] = ["dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect"];

/** Read actions whose returned attributes `dynamodb:Attributes` and `dynamodb:Select` can restrict. */
export const ATTRIBUTE_RESTRICTED_ACTIONS: readonly string[] = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
];

/** Action presets of `TableAccessRole`'s `access` argument. */
export const TABLE_ACCESS_PRESETS: Readonly<Record<string, readonly string[]>> = {
  "read-only": TABLE_READ_ACTIONS,
  "read-write": [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
  // The set the session-store seed grants its usage account.
  "session-store": [
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:UpdateItem",
    "dynamodb:PutItem",
    "dynamodb:DeleteItem",
  ],
};
export const DEFAULT_TABLE_ACCESS_PRESET = "read-only";

const KEY_READ_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];
const KEY_WRITE_ACTIONS = ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"];

/** Which fine-grained restrictions apply. */
export interface FineGrained {
  leadingKeys: boolean;
  attributes: boolean;
}

function isMetadata(action: string): boolean {
  return (TABLE_METADATA_ACTIONS as readonly string[]).includes(action);
}

/** Why `action` cannot be granted under the fine-grained restrictions, or undefined when it can. */
export function fineGrainedConflict(action: string, fineGrained: FineGrained): string | undefined {
  if (isMetadata(action)) return undefined;
  if (fineGrained.leadingKeys && !(LEADING_KEYS_ACTIONS as readonly string[]).includes(action)) {
    return action === "dynamodb:Scan"
      ? "dynamodb:Scan reads every partition, so leadingKeys cannot restrict it"
      : `${action} is not restricted by dynamodb:LeadingKeys; with leadingKeys use ${LEADING_KEYS_ACTIONS.join(", ")}`;
  }
  if (fineGrained.attributes && !ATTRIBUTE_RESTRICTED_ACTIONS.includes(action)) {
    return `attributes restricts reads only; with attributes use ${ATTRIBUTE_RESTRICTED_ACTIONS.join(", ")}`;
  }
  return undefined;
}

/**
 * The actions the role gets: the explicit list as given, or the preset without the actions that the
 * fine-grained restrictions cannot restrict (for example Scan under leadingKeys).
 */
export function grantedActions(
  preset: string | undefined,
  actions: string[] | undefined,
  fineGrained: FineGrained,
): string[] {
  if (actions) return [...new Set(actions)];
  const presetActions = TABLE_ACCESS_PRESETS[preset ?? DEFAULT_TABLE_ACCESS_PRESET] ?? [];
  return presetActions.filter((a) => !fineGrainedConflict(a, fineGrained));
}

export interface TrustPolicyOptions {
  /** Principal ARNs allowed to assume the role. */
  principals: string[];
  externalId: string;
  organizationId?: string;
  /** The one session tag key callers may (and must) pass, for LeadingKeys bound to a session tag. */
  sessionTagKey?: string;
}

/** The role's trust policy: named principals, the external ID, optionally the organization. */
export function tableAccessRoleTrustPolicy(options: TrustPolicyOptions): PolicyDocument {
  const organization: Record<string, string> = options.organizationId
    ? { "aws:PrincipalOrgID": options.organizationId }
    : {};
  const statements: PolicyStatement[] = [
    {
      Sid: "TrustedPrincipalsWithExternalId",
      Effect: "Allow",
      Principal: { AWS: options.principals },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": options.externalId, ...organization } },
    },
  ];
  if (options.sessionTagKey) {
    const key = options.sessionTagKey;
    statements.push({
      Sid: "LeadingKeysSessionTag",
      Effect: "Allow",
      Principal: { AWS: options.principals },
      Action: "sts:TagSession",
      Condition: {
        "ForAllValues:StringEquals": { "aws:TagKeys": [key] },
        StringLike: { [`aws:RequestTag/${key}`]: "?*" },
        ...(options.organizationId ? { StringEquals: organization } : {}),
      },
    });
  }
  return policyDocument(statements);
}

export interface InlinePolicyOptions {
  actions: string[];
  leadingKeysPrincipalTag?: string;
  attributes?: string[];
  sourceVpce?: string;
  kmsKeyArn?: string;
}

function mergeConditions(...conditions: (Condition | undefined)[]): Condition | undefined {
  const merged: Condition = {};
  for (const condition of conditions) {
    for (const [operator, entries] of Object.entries(condition ?? {})) {
      merged[operator] = { ...(merged[operator] ?? {}), ...entries };
    }
  }
  return Object.keys(merged).length ? merged : undefined;
}

/** The conditions of the fine-grained helpers, combined so that both restrictions hold in one statement. */
function itemConditions(
  tableArn: string,
  options: InlinePolicyOptions,
  itemActions: string[],
): Condition | undefined {
  const leadingKeys = options.leadingKeysPrincipalTag
    ? leadingKeysPolicyDocument(tableArn, {
        principalTag: options.leadingKeysPrincipalTag,
        actions: itemActions,
      }).Statement[0].Condition
    : undefined;
  const attributes = options.attributes
    ? attributeRestrictedPolicyDocument(tableArn, { attributes: options.attributes, actions: itemActions })
        .Statement[0].Condition
    : undefined;
  return mergeConditions(
    leadingKeys,
    attributes,
    options.sourceVpce ? sourceVpceCondition(options.sourceVpce) : undefined,
  );
}

function withCondition(statement: PolicyStatement, condition: Condition | undefined): PolicyStatement {
  return condition ? { ...statement, Condition: condition } : statement;
}

/**
 * The role's inline policy: the named actions on the table, the index actions on its indexes, the
 * fine-grained and endpoint conditions on every item statement, and the key permissions those actions need.
 */
export function tableAccessRoleInlinePolicy(tableArn: string, options: InlinePolicyOptions): PolicyDocument {
  const metadata = options.actions.filter(isMetadata);
  const items = options.actions.filter((a) => !isMetadata(a));
  const indexItems = items.filter((a) => INDEX_ACTIONS.includes(a));
  const statements: PolicyStatement[] = [];
  const vpce = options.sourceVpce ? sourceVpceCondition(options.sourceVpce) : undefined;
  if (metadata.length) {
    statements.push(
      withCondition({ Sid: "TableMetadata", Effect: "Allow", Action: metadata, Resource: tableArn }, vpce),
    );
  }
  if (items.length) {
    const condition = itemConditions(tableArn, options, items);
    statements.push(
      withCondition({ Sid: "TableItems", Effect: "Allow", Action: items, Resource: tableArn }, condition),
    );
    if (indexItems.length) {
      statements.push(
        withCondition(
          { Sid: "IndexItems", Effect: "Allow", Action: indexItems, Resource: `${tableArn}/index/*` },
          itemConditions(tableArn, options, indexItems),
        ),
      );
    }
  }
  if (options.kmsKeyArn) {
    const writes = options.actions.some(
      (a) =>
        (TABLE_WRITE_ACTIONS as readonly string[]).includes(a) ||
        /^dynamodb:PartiQL(Insert|Update|Delete)$/.test(a),
    );
    const region = parseArn(tableArn)?.region ?? "";
    statements.push({
      Sid: "TableKeyThroughDynamoDb",
      Effect: "Allow",
      Action: writes ? [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS] : KEY_READ_ACTIONS,
      Resource: options.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": viaServiceValues("dynamodb", region) } },
    });
  }
  return policyDocument(statements);
}
