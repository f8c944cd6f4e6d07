import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  HardenedTable,
  TABLE_ACCESS_ROLE_ACTIONS,
  TableAccessRole,
  TableAccessRoleArgs,
  accountProvider,
} from "../../../components";
import { AccountProviderArgs } from "../../../components/access/accountProvider";
import { accountAdministratorsStatement, dynamoDbKeyPolicy } from "../../../components/shared/kmsKeyPolicy";
import { policyDocument } from "../../../components/shared/policyDocument";
import { assertChildInvariants } from "../../harness/childInvariants";
import { evaluate } from "../../harness/iam";
import { RecordedResource, UNKNOWN, byType, one, parsePolicy, record } from "../../harness/record";
import * as rejection from "../../harness/rejection";

const TABLE_ACCOUNT = "111111111111";
const USAGE_ACCOUNT = "222222222222";
const OTHER_ACCOUNT = "444444444444";
const TABLE = `arn:aws:dynamodb:us-east-1:${TABLE_ACCOUNT}:table/sessions`;
const OTHER_TABLE = `arn:aws:dynamodb:us-east-1:${TABLE_ACCOUNT}:table/payments`;
const KEY = `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const APP_ROLE = `arn:aws:iam::${USAGE_ACCOUNT}:role/session-app`;
const EXTERNAL_ID = "session-store-7f3a9c";
const VPCE = "vpce-0a1b2c3d4e5f60718";

const base: TableAccessRoleArgs = {
  tableArn: TABLE,
  trustedPrincipals: [APP_ROLE],
  externalId: EXTERNAL_ID,
  tags: { team: "identity" },
};

const ROLE_TYPE = "aws:iam/role:Role";
const POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy";
const EXPECTED_TAGS = { team: "identity", "dynamodb-hardened:managed-by": "TableAccessRole" };

async function roleResources(
  args: Partial<TableAccessRoleArgs>,
  preview = false,
): Promise<RecordedResource[]> {
  return record(() => new TableAccessRole("sessions-access", { ...base, ...args }), preview);
}

interface Policies {
  trust: Record<string, unknown>;
  inline: Record<string, unknown>;
  roleArn: string;
  role: RecordedResource;
}

async function policies(args: Partial<TableAccessRoleArgs> = {}): Promise<Policies> {
  const resources = await roleResources(args);
  const role = one(resources, ROLE_TYPE);
  return {
    trust: parsePolicy(role.inputs.assumeRolePolicy),
    inline: parsePolicy(one(resources, POLICY_TYPE).inputs.policy),
    roleArn: `arn:aws:iam::${TABLE_ACCOUNT}:role/${String(one(resources, POLICY_TYPE).inputs.role)}`,
    role,
  };
}

/** Resolves an output of a program run under mocks (not in preview, where outputs stay unknown). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** The usage side's own permission to call AssumeRole; cross-account access needs both sides to allow it. */
const mayAssumeAnyRole = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: "*" }],
};

async function assume(
  p: Policies,
  principal: string,
  context: Record<string, string | string[]>,
  action = "sts:AssumeRole",
): Promise<string> {
  return evaluate({
    principal,
    action,
    resource: p.roleArn,
    resourceAccount: TABLE_ACCOUNT,
    identityPolicies: [mayAssumeAnyRole],
    resourcePolicy: p.trust,
    context,
  });
}

/** A request made with the role's session, which only its inline policy authorizes. */
async function asRole(
  p: Policies,
  action: string,
  resource = TABLE,
  context: Record<string, string | string[]> = {},
  resourcePolicy?: unknown,
): Promise<string> {
  const roleName = p.roleArn.split("/").pop();
  const resourceAccount = resource.split(":")[4];
  return evaluate({
    principal: `arn:aws:sts::${TABLE_ACCOUNT}:assumed-role/${roleName}/session-app`,
    action,
    resource,
    resourceAccount,
    identityPolicies: [p.inline],
    resourcePolicy,
    context,
  });
}

const constructionError = (args: unknown) =>
  rejection.constructionError(() => new TableAccessRole("sessions-access", args as TableAccessRoleArgs));
const assertRejects = (args: Partial<TableAccessRoleArgs>, property: string, mentions?: RegExp) =>
  rejection.assertRejects(
    () => new TableAccessRole("sessions-access", { ...base, ...args }),
    property,
    mentions,
  );

describe("TableAccessRole children and properties", () => {
  it("creates one role and one inline policy on it, both parented to the component", async () => {
    const resources = await roleResources({});
    const component = one(resources, "dynamodb-hardened:index:TableAccessRole");
    const role = one(resources, ROLE_TYPE);
    const policy = one(resources, POLICY_TYPE);
    assert.strictEqual(role.parent, component.urn);
    assert.strictEqual(policy.parent, component.urn);
    assert.match(
      String(policy.inputs.role),
      /^sessions-access-/,
      "the inline policy is attached to the role",
    );
    assert.deepStrictEqual(
      resources.filter((r) => r.custom).map((r) => r.type),
      [ROLE_TYPE, POLICY_TYPE],
    );
  });

  it("defaults to one-hour sessions, takes a longer one by name, and tags the role", async () => {
    const role = one(await roleResources({}), ROLE_TYPE);
    assert.strictEqual(role.inputs.maxSessionDuration, 3600);
    assert.deepStrictEqual(role.inputs.tags, EXPECTED_TAGS);
    const longer = one(await roleResources({ maxSessionDuration: 14400 }), ROLE_TYPE);
    assert.strictEqual(longer.inputs.maxSessionDuration, 14400);
  });

  it("passes the physical name and permissions boundary through", async () => {
    const boundary = `arn:aws:iam::${TABLE_ACCOUNT}:policy/platform-boundary`;
    const role = one(
      await roleResources({ roleName: "sessions-reader", permissionsBoundary: boundary }),
      ROLE_TYPE,
    );
    assert.strictEqual(role.inputs.name, "sessions-reader");
    assert.strictEqual(role.inputs.permissionsBoundary, boundary);
  });

  it("outputs the role ARN, the granted actions, and the external ID as a secret", async () => {
    let component: TableAccessRole | undefined;
    await record(() => {
      component = new TableAccessRole("sessions-access", { ...base, access: "session-store" });
    });
    assert.match(await valueOf(component!.roleArn), /^arn:aws:iam::111111111111:role\/sessions-access-/);
    assert.strictEqual(await valueOf(component!.externalId), EXTERNAL_ID);
    assert.strictEqual(await pulumi.isSecret(component!.externalId), true);
    assert.deepStrictEqual(component!.actions, [
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
      "dynamodb:PutItem",
      "dynamodb:DeleteItem",
    ]);
  });

  it("never grants a wildcard action", async () => {
    for (const access of ["read-only", "read-write", "session-store"]) {
      const { inline } = await policies({ access });
      for (const statement of inline.Statement as { Action: string[] }[]) {
        for (const action of [statement.Action].flat()) {
          if (action.startsWith("dynamodb:")) assert.ok(!action.includes("*"), `${access}: ${action}`);
        }
      }
    }
  });

  it("checks a principal that is an Output once it is known, and fails the deployment then", async () => {
    await rejection.assertRejectsWhenResolved(
      () =>
        new TableAccessRole("sessions-access", {
          ...base,
          trustedPrincipals: [pulumi.output(`arn:aws:iam::${USAGE_ACCOUNT}:root`)],
        }),
      "trustedPrincipals[0]",
    );
  });
});

describe("TableAccessRole trust policy, evaluated", () => {
  it("lets the named usage role assume the role with the right external ID", async () => {
    const p = await policies();
    const session = `arn:aws:sts::${USAGE_ACCOUNT}:assumed-role/session-app/host-1`;
    assert.strictEqual(await assume(p, APP_ROLE, { "sts:ExternalId": EXTERNAL_ID }), "Allowed");
    assert.strictEqual(await assume(p, session, { "sts:ExternalId": EXTERNAL_ID }), "Allowed");
  });

  it("refuses the named role without the external ID or with a wrong one", async () => {
    const p = await policies();
    assert.strictEqual(await assume(p, APP_ROLE, {}), "ImplicitlyDenied");
    assert.strictEqual(await assume(p, APP_ROLE, { "sts:ExternalId": "guessed" }), "ImplicitlyDenied");
  });

  it("refuses other roles of the usage account and same-named roles of other accounts", async () => {
    const p = await policies();
    const context = { "sts:ExternalId": EXTERNAL_ID };
    assert.strictEqual(
      await assume(p, `arn:aws:iam::${USAGE_ACCOUNT}:role/other-app`, context),
      "ImplicitlyDenied",
    );
    assert.strictEqual(
      await assume(p, `arn:aws:iam::${OTHER_ACCOUNT}:role/session-app`, context),
      "ImplicitlyDenied",
    );
    assert.strictEqual(
      await assume(p, `arn:aws:iam::${TABLE_ACCOUNT}:role/session-app`, context),
      "ImplicitlyDenied",
    );
  });

  it("with organizationId, also requires the caller's organization", async () => {
    const p = await policies({ organizationId: "o-a1b2c3d4e5" });
    const ours = { "sts:ExternalId": EXTERNAL_ID, "aws:PrincipalOrgID": "o-a1b2c3d4e5" };
    const theirs = { "sts:ExternalId": EXTERNAL_ID, "aws:PrincipalOrgID": "o-zzzzzzzzzz" };
    assert.strictEqual(await assume(p, APP_ROLE, ours), "Allowed");
    assert.strictEqual(await assume(p, APP_ROLE, theirs), "ImplicitlyDenied");
  });

  it("trusts a whole account only with allowWholeAccountTrust, and still requires the external ID", async () => {
    const p = await policies({
      trustedPrincipals: [`arn:aws:iam::${USAGE_ACCOUNT}:root`],
      allowWholeAccountTrust: true,
    });
    const anyRole = `arn:aws:iam::${USAGE_ACCOUNT}:role/anything`;
    assert.strictEqual(await assume(p, anyRole, { "sts:ExternalId": EXTERNAL_ID }), "Allowed");
    assert.strictEqual(await assume(p, anyRole, {}), "ImplicitlyDenied");
    assert.strictEqual(
      await assume(p, `arn:aws:iam::${OTHER_ACCOUNT}:role/anything`, { "sts:ExternalId": EXTERNAL_ID }),
      "ImplicitlyDenied",
    );
  });

  it("allows no session tags unless leadingKeys binds the partition to one", async () => {
    const p = await policies();
    const tagged = {
      "sts:ExternalId": EXTERNAL_ID,
      "aws:TagKeys": ["tenantId"],
      "aws:RequestTag/tenantId": "t-1",
    };
    assert.strictEqual(await assume(p, APP_ROLE, tagged, "sts:TagSession"), "ImplicitlyDenied");
  });
});

describe("TableAccessRole inline policy, evaluated", () => {
  const presets: Record<string, string[]> = {
    "read-only": [
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:ConditionCheckItem",
    ],
    "read-write": [
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:ConditionCheckItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem",
    ],
    "session-store": [
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
      "dynamodb:PutItem",
      "dynamodb:DeleteItem",
    ],
  };
  const administration = [
    "dynamodb:DeleteTable",
    "dynamodb:UpdateTable",
    "dynamodb:PutResourcePolicy",
    "dynamodb:RestoreTableToPointInTime",
    "dynamodb:CreateBackup",
  ];

  for (const [access, granted] of Object.entries(presets)) {
    it(`${access}: the role can do exactly the preset's actions on the table, and nothing on other tables`, async () => {
      const p = await policies({ access });
      for (const action of [...TABLE_ACCESS_ROLE_ACTIONS, ...administration]) {
        const expected = granted.includes(action) ? "Allowed" : "ImplicitlyDenied";
        assert.strictEqual(await asRole(p, action), expected, `${action} on the table`);
        assert.strictEqual(
          await asRole(p, action, OTHER_TABLE),
          "ImplicitlyDenied",
          `${action} on another table`,
        );
      }
    });
  }

  it("defaults to read-only", async () => {
    const p = await policies();
    assert.strictEqual(await asRole(p, "dynamodb:GetItem"), "Allowed");
    assert.strictEqual(await asRole(p, "dynamodb:PutItem"), "ImplicitlyDenied");
  });

  it("grants the indexes only to the actions that use them", async () => {
    const p = await policies({ access: "read-write" });
    const index = `${TABLE}/index/byUser`;
    assert.strictEqual(await asRole(p, "dynamodb:Query", index), "Allowed");
    assert.strictEqual(await asRole(p, "dynamodb:Scan", index), "Allowed");
    assert.strictEqual(await asRole(p, "dynamodb:Query", `${OTHER_TABLE}/index/byUser`), "ImplicitlyDenied");
    const indexStatement = (p.inline.Statement as { Sid: string; Action: string[] }[]).find(
      (s) => s.Sid === "IndexItems",
    );
    assert.deepStrictEqual(indexStatement?.Action, ["dynamodb:Query", "dynamodb:Scan"]);
    const session = await policies({ access: "session-store" });
    assert.ok(
      !(session.inline.Statement as { Resource: string }[]).some((s) =>
        String(s.Resource).includes("/index/"),
      ),
      "no index access for a preset without Query or Scan",
    );
  });

  it("grants an explicit action list exactly", async () => {
    const p = await policies({ actions: ["dynamodb:GetItem", "dynamodb:Query"] });
    assert.strictEqual(await asRole(p, "dynamodb:GetItem"), "Allowed");
    assert.strictEqual(await asRole(p, "dynamodb:Query"), "Allowed");
    assert.strictEqual(await asRole(p, "dynamodb:DescribeTable"), "ImplicitlyDenied");
    assert.strictEqual(await asRole(p, "dynamodb:Scan"), "ImplicitlyDenied");
  });

  it("with sourceVpce, allows table actions only through that endpoint", async () => {
    const p = await policies({ sourceVpce: VPCE });
    assert.strictEqual(await asRole(p, "dynamodb:GetItem", TABLE, { "aws:SourceVpce": VPCE }), "Allowed");
    assert.strictEqual(
      await asRole(p, "dynamodb:DescribeTable", TABLE, { "aws:SourceVpce": VPCE }),
      "Allowed",
    );
    assert.strictEqual(
      await asRole(p, "dynamodb:GetItem", TABLE, { "aws:SourceVpce": "vpce-0fffffffffffffff0" }),
      "ImplicitlyDenied",
    );
    assert.strictEqual(await asRole(p, "dynamodb:GetItem"), "ImplicitlyDenied");
    assert.strictEqual(await asRole(p, "dynamodb:DescribeTable"), "ImplicitlyDenied");
  });

  describe("with a customer-managed key", () => {
    const via = { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com", "kms:CallerAccount": TABLE_ACCOUNT };
    const ctx = { partition: "aws", accountId: TABLE_ACCOUNT, region: "us-east-1" };
    // A key policy that leaves key use to IAM policies, as many organizations' key policies do.
    const delegatingKeyPolicy = policyDocument([accountAdministratorsStatement(ctx)]);
    const onKey = (
      p: Policies,
      action: string,
      context: Record<string, string>,
      keyPolicy: unknown = delegatingKeyPolicy,
    ) => asRole(p, action, KEY, context, keyPolicy);

    it("grants the key only through DynamoDB in the table's region", async () => {
      const reader = await policies({ kmsKeyArn: KEY });
      assert.strictEqual(await onKey(reader, "kms:Decrypt", via), "Allowed");
      assert.strictEqual(await onKey(reader, "kms:Decrypt", {}), "ImplicitlyDenied", "not directly");
      assert.strictEqual(
        await onKey(reader, "kms:Decrypt", { "kms:ViaService": "s3.us-east-1.amazonaws.com" }),
        "ImplicitlyDenied",
      );
    });

    it("grants only what the actions need: readers decrypt, writers also encrypt, nobody creates grants", async () => {
      const reader = await policies({ kmsKeyArn: KEY });
      assert.strictEqual(await onKey(reader, "kms:GenerateDataKey", via), "ImplicitlyDenied");
      const writer = await policies({ kmsKeyArn: KEY, access: "read-write" });
      assert.strictEqual(await onKey(writer, "kms:GenerateDataKey", via), "Allowed");
      assert.strictEqual(await onKey(writer, "kms:CreateGrant", via), "ImplicitlyDenied");
      assert.strictEqual(await onKey(writer, "kms:ScheduleKeyDeletion", via), "ImplicitlyDenied");
    });

    it("is needed when the key policy delegates to IAM, and not with HardenedTable's key policy", async () => {
      const without = await policies();
      assert.ok(!JSON.stringify(without.inline).includes("kms:"), "no key statement without kmsKeyArn");
      assert.strictEqual(await onKey(without, "kms:Decrypt", via), "ImplicitlyDenied");
      assert.strictEqual(await onKey(without, "kms:Decrypt", via, dynamoDbKeyPolicy(ctx)), "Allowed");
    });
  });
});

describe("TableAccessRole fine-grained access, evaluated", () => {
  const ownItems = (tenant: string, keys: string[]) => ({
    "aws:PrincipalTag/tenantId": tenant,
    "dynamodb:LeadingKeys": keys,
  });

  it("LeadingKeys restricts items to the principal's tag value", async () => {
    const p = await policies({ access: "read-write", leadingKeys: { principalTag: "tenantId" } });
    for (const action of [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:BatchGetItem",
    ]) {
      assert.strictEqual(
        await asRole(p, action, TABLE, ownItems("t-1", ["t-1"])),
        "Allowed",
        `${action} own`,
      );
      assert.strictEqual(
        await asRole(p, action, TABLE, ownItems("t-1", ["t-2"])),
        "ImplicitlyDenied",
        `${action} other`,
      );
      assert.strictEqual(
        await asRole(p, action, TABLE, ownItems("t-1", ["t-1", "t-2"])),
        "ImplicitlyDenied",
        `${action} mixed`,
      );
    }
    assert.strictEqual(
      await asRole(p, "dynamodb:GetItem", TABLE, { "dynamodb:LeadingKeys": ["t-1"] }),
      "ImplicitlyDenied",
      "a session without the tag sees nothing",
    );
    assert.strictEqual(
      await asRole(p, "dynamodb:Query", `${TABLE}/index/byUser`, ownItems("t-1", ["t-2"])),
      "ImplicitlyDenied",
    );
  });

  it("drops Scan from the preset under LeadingKeys: it reads every partition", async () => {
    const p = await policies({ access: "read-write", leadingKeys: { principalTag: "tenantId" } });
    assert.strictEqual(
      await asRole(p, "dynamodb:Scan", TABLE, { "aws:PrincipalTag/tenantId": "t-1" }),
      "ImplicitlyDenied",
    );
    assert.strictEqual(await asRole(p, "dynamodb:DescribeTable"), "Allowed", "metadata is not per tenant");
  });

  it("lets trusted callers pass the partition's tag, and only that tag, as a session tag", async () => {
    const p = await policies({ leadingKeys: { principalTag: "tenantId" } });
    const context = (keys: string[], tags: Record<string, string>) => ({
      "sts:ExternalId": EXTERNAL_ID,
      "aws:TagKeys": keys,
      ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    });
    assert.strictEqual(
      await assume(p, APP_ROLE, context(["tenantId"], { tenantId: "t-1" }), "sts:TagSession"),
      "Allowed",
    );
    assert.strictEqual(
      await assume(
        p,
        APP_ROLE,
        context(["tenantId", "admin"], { tenantId: "t-1", admin: "yes" }),
        "sts:TagSession",
      ),
      "ImplicitlyDenied",
    );
    assert.strictEqual(
      await assume(
        p,
        `arn:aws:iam::${OTHER_ACCOUNT}:role/session-app`,
        context(["tenantId"], { tenantId: "t-1" }),
        "sts:TagSession",
      ),
      "ImplicitlyDenied",
    );
  });

  it("with a fixed value, tags the role with it and allows no session tags", async () => {
    const p = await policies({ leadingKeys: { principalTag: "tenantId", value: "t-9" } });
    assert.strictEqual((p.role.inputs.tags as Record<string, string>).tenantId, "t-9");
    const tagged = {
      "sts:ExternalId": EXTERNAL_ID,
      "aws:TagKeys": ["tenantId"],
      "aws:RequestTag/tenantId": "t-1",
    };
    assert.strictEqual(await assume(p, APP_ROLE, tagged, "sts:TagSession"), "ImplicitlyDenied");
    assert.strictEqual(await asRole(p, "dynamodb:GetItem", TABLE, ownItems("t-9", ["t-9"])), "Allowed");
  });

  it("attributes restrict reads to the listed attributes with Select SPECIFIC_ATTRIBUTES", async () => {
    const p = await policies({ attributes: ["sessionId", "expires"] });
    const read = (attributes: string[], select?: string) => ({
      "dynamodb:Attributes": attributes,
      ...(select ? { "dynamodb:Select": select } : {}),
    });
    assert.strictEqual(await asRole(p, "dynamodb:GetItem", TABLE, read(["sessionId", "expires"])), "Allowed");
    assert.strictEqual(
      await asRole(p, "dynamodb:Query", TABLE, read(["sessionId"], "SPECIFIC_ATTRIBUTES")),
      "Allowed",
    );
    assert.strictEqual(
      await asRole(p, "dynamodb:GetItem", TABLE, read(["sessionId", "passwordHash"])),
      "ImplicitlyDenied",
    );
    assert.strictEqual(
      await asRole(p, "dynamodb:Query", TABLE, read(["sessionId"], "ALL_ATTRIBUTES")),
      "ImplicitlyDenied",
    );
    assert.strictEqual(
      await asRole(p, "dynamodb:ConditionCheckItem"),
      "ImplicitlyDenied",
      "dropped from the preset",
    );
  });

  it("LeadingKeys and attributes together: both must hold in one request", async () => {
    const p = await policies({ leadingKeys: { principalTag: "tenantId" }, attributes: ["sessionId"] });
    const context = (key: string, attribute: string) => ({
      ...ownItems("t-1", [key]),
      "dynamodb:Attributes": [attribute],
      "dynamodb:Select": "SPECIFIC_ATTRIBUTES",
    });
    assert.strictEqual(await asRole(p, "dynamodb:GetItem", TABLE, context("t-1", "sessionId")), "Allowed");
    assert.strictEqual(
      await asRole(p, "dynamodb:GetItem", TABLE, context("t-2", "sessionId")),
      "ImplicitlyDenied",
    );
    assert.strictEqual(
      await asRole(p, "dynamodb:GetItem", TABLE, context("t-1", "secret")),
      "ImplicitlyDenied",
    );
  });
});

describe("TableAccessRole rejects bad input", () => {
  it("a table ARN that is not a DynamoDB table ARN", () =>
    assertRejects({ tableArn: "arn:aws:s3:::sessions" }, "tableArn", /not a DynamoDB table ARN/));
  it("a missing table ARN", () => assertRejects({ tableArn: undefined as unknown as string }, "tableArn"));
  it("no trusted principals", () => assertRejects({ trustedPrincipals: [] }, "trustedPrincipals"));
  it("a principal that is not an ARN", () =>
    assertRejects(
      { trustedPrincipals: ["session-app"] },
      "trustedPrincipals[0]",
      /not an IAM role or user ARN/,
    ));
  it("an account ID given as a principal", () =>
    assertRejects(
      { trustedPrincipals: [USAGE_ACCOUNT] },
      "trustedPrincipals[0]",
      /not an IAM role or user ARN/,
    ));
  it("a wildcard principal", () =>
    assertRejects({ trustedPrincipals: ["*"] }, "trustedPrincipals[0]", /wildcard/));
  it("a whole-account trust without the opt-in", () =>
    assertRejects(
      { trustedPrincipals: [`arn:aws:iam::${USAGE_ACCOUNT}:root`] },
      "trustedPrincipals[0]",
      /allowWholeAccountTrust/,
    ));
  it("a missing external ID", () =>
    assertRejects({ externalId: undefined as unknown as string }, "externalId", /required/));
  it("an external ID with characters STS refuses", () =>
    assertRejects({ externalId: "has spaces in it" }, "externalId", /2 to 1224 characters/));
  it("an organization ID that is not one", () =>
    assertRejects({ organizationId: "my-org" }, "organizationId"));
  it("a session duration outside 1 to 12 hours", () =>
    assertRejects({ maxSessionDuration: 60 }, "maxSessionDuration", /3600 to 43200/));
  it("an unknown preset", () =>
    assertRejects({ access: "admin" }, "access", /read-only, read-write, session-store/));
  it("a preset and an action list together", () =>
    assertRejects({ access: "read-only", actions: ["dynamodb:GetItem"] }, "access", /not both/));
  it("an empty action list", () => assertRejects({ actions: [] }, "actions", /at least one action/));
  it("the dynamodb:* wildcard", () => assertRejects({ actions: ["dynamodb:*"] }, "actions[0]", /wildcard/));
  it("a partial wildcard", () =>
    assertRejects({ actions: ["dynamodb:GetItem", "dynamodb:Batch*"] }, "actions[1]", /wildcard/));
  it("table administration", () =>
    assertRejects({ actions: ["dynamodb:DeleteTable"] }, "actions[0]", /use one of dynamodb:DescribeTable/));
  it("another service's action", () =>
    assertRejects({ actions: ["s3:GetObject"] }, "actions[0]", /not allowed/));
  it("Scan listed with leadingKeys", () =>
    assertRejects(
      { actions: ["dynamodb:GetItem", "dynamodb:Scan"], leadingKeys: { principalTag: "tenantId" } },
      "actions[1]",
      /every partition/,
    ));
  it("a PartiQL action with leadingKeys", () =>
    assertRejects(
      { actions: ["dynamodb:PartiQLSelect"], leadingKeys: { principalTag: "tenantId" } },
      "actions[0]",
      /not restricted by dynamodb:LeadingKeys/,
    ));
  it("a principal tag that is not a tag key", () =>
    assertRejects({ leadingKeys: { principalTag: "tenant id!" } }, "leadingKeys.principalTag", /tag key/));
  it("a fixed tag value that is not a tag value", () =>
    assertRejects({ leadingKeys: { principalTag: "tenantId", value: "a&b" } }, "leadingKeys.value"));
  it("the partition tag set through tags", () =>
    assertRejects(
      { leadingKeys: { principalTag: "tenantId" }, tags: { tenantId: "t-1" } },
      "tags",
      /leadingKeys.value/,
    ));
  it("an empty attribute list", () =>
    assertRejects({ attributes: [] }, "attributes", /at least one attribute/));
  it("a write action with attributes", () =>
    assertRejects({ actions: ["dynamodb:PutItem"], attributes: ["sessionId"] }, "actions[0]", /reads only/));
  it("a writing preset with attributes", () =>
    assertRejects({ access: "read-write", attributes: ["sessionId"] }, "attributes", /reads only/));
  it("a VPC endpoint that is not one", () => assertRejects({ sourceVpce: "vpc-123" }, "sourceVpce"));
  it("a key alias instead of a key ARN", () =>
    assertRejects(
      { kmsKeyArn: `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:alias/sessions` },
      "kmsKeyArn",
      /aliases/,
    ));
  it("the AWS-managed key", () =>
    assertRejects(
      { kmsKeyArn: `arn:aws:kms:us-east-1:${TABLE_ACCOUNT}:alias/aws/dynamodb` },
      "kmsKeyArn",
      /remove/,
    ));
  it("a key in another region than the table", () =>
    assertRejects(
      { kmsKeyArn: KEY.replace("us-east-1", "eu-west-1") },
      "kmsKeyArn",
      /own account and region/,
    ));
  it("a role name IAM refuses", () => assertRejects({ roleName: "sessions reader" }, "roleName"));
  it("a permissions boundary that is not a policy ARN", () =>
    assertRejects({ permissionsBoundary: "platform-boundary" }, "permissionsBoundary"));

  it("a table in another account than the role, once the account is known", async () => {
    const { error, resources } = await rejection.deferredRejectionOf(
      () =>
        new TableAccessRole("sessions-access", {
          ...base,
          tableArn: TABLE.replace(TABLE_ACCOUNT, OTHER_ACCOUNT),
        }),
    );
    assert.strictEqual(error.propertyPath, "tableArn");
    assert.match(error.reason, /accountProvider/);
    assert.strictEqual(byType(resources, POLICY_TYPE).length, 0, "no policy grants another account's table");
  });

  it("reports every problem at once", async () => {
    const error = await constructionError({
      tableArn: "sessions",
      trustedPrincipals: ["*"],
      externalId: "x",
      actions: ["dynamodb:*"],
    });
    assert.deepStrictEqual(error.errors.map((e) => e.propertyPath).sort(), [
      "actions[0]",
      "externalId",
      "tableArn",
      "trustedPrincipals[0]",
    ]);
  });
});

describe("accountProvider", () => {
  const args: AccountProviderArgs = {
    accountId: TABLE_ACCOUNT,
    roleArn: `arn:aws:iam::${TABLE_ACCOUNT}:role/deployer`,
    region: "eu-west-1",
    externalId: "deploy-2c1d",
    defaultTags: { costCenter: "cc-42" },
  };

  async function providerResource(overrides: Partial<AccountProviderArgs> = {}): Promise<RecordedResource> {
    const resources = await record(() => accountProvider("tables", { ...args, ...overrides }));
    return one(resources, "pulumi:providers:aws");
  }

  // Provider inputs reach the engine JSON-encoded.
  const decoded = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

  it("assumes the role with the external ID and a named session, and deploys to the region", async () => {
    const provider = await providerResource();
    assert.deepStrictEqual(decoded(provider.inputs.assumeRoles), [
      { roleArn: args.roleArn, externalId: "deploy-2c1d", sessionName: "pulumi-tables" },
    ]);
    assert.strictEqual(provider.inputs.region, "eu-west-1");
    const wire = provider.wireInputs.assumeRoles as Record<string, unknown>;
    assert.strictEqual(
      wire["4dabf18193072939515e22adb298388d"],
      "1b47061264138c4ac30d75fd1eb44270",
      "the external ID reaches the engine as a secret",
    );
  });

  it("refuses every account but accountId", async () => {
    const provider = await providerResource();
    assert.deepStrictEqual(decoded(provider.inputs.allowedAccountIds), [TABLE_ACCOUNT]);
  });

  it("applies the default tags, and takes a session name", async () => {
    const provider = await providerResource({ sessionName: "platform-ci" });
    assert.deepStrictEqual(decoded(provider.inputs.defaultTags), { tags: { costCenter: "cc-42" } });
    assert.strictEqual(decoded(provider.inputs.assumeRoles)[0].sessionName, "platform-ci");
  });

  it("places resources in its account: caller identity and ARNs answer with accountId", async () => {
    let table: HardenedTable | undefined;
    const resources = await record(() => {
      const provider = accountProvider("tables", {
        ...args,
        accountId: "333333333333",
        roleArn: "arn:aws:iam::333333333333:role/deployer",
      });
      table = new HardenedTable(
        "sessions",
        { region: "eu-west-1", hashKey: "sessionId", attributes: [{ name: "sessionId", type: "S" }] },
        { provider },
      );
    });
    const keyPolicy = parsePolicy(one(resources, "aws:kms/key:Key").inputs.policy);
    assert.deepStrictEqual(keyPolicy.Statement[0].Principal, { AWS: "arn:aws:iam::333333333333:root" });
    assert.match(await valueOf(table!.arn), /^arn:aws:dynamodb:eu-west-1:333333333333:table\//);
  });

  it("waits roleReadyDelaySeconds before first use during an update, never during a preview", async () => {
    const timed = async (preview: boolean) => {
      const started = Date.now();
      await record(() => accountProvider("tables", { ...args, roleReadyDelaySeconds: 1 }), preview);
      return Date.now() - started;
    };
    assert.ok((await timed(false)) >= 1000, "an update waits");
    assert.ok((await timed(true)) < 1000, "a preview does not");
  });

  async function providerError(
    overrides: Partial<AccountProviderArgs>,
  ): Promise<pulumi.InputPropertiesError> {
    const { error, resources } = await rejection.rejectionOf(() =>
      accountProvider("tables", { ...args, ...overrides }),
    );
    assert.deepStrictEqual(resources, [], "no provider is created from invalid arguments");
    return error;
  }

  async function assertProviderRejects(
    overrides: Partial<AccountProviderArgs>,
    property: string,
    mentions?: RegExp,
  ) {
    const error = await providerError(overrides);
    rejection.assertProblemOn(error, property, mentions);
    assert.ok(error.message.includes(`accountProvider "tables"`), "the message names the provider");
  }

  it("rejects an account ID shorter than 12 digits", () =>
    assertProviderRejects({ accountId: "12345" }, "accountId", /12 digits/));
  it("rejects an account ID with letters", () =>
    assertProviderRejects({ accountId: "11111111111a" }, "accountId", /12 digits/));
  it("rejects a role ARN that is not a role ARN", () =>
    assertProviderRejects(
      { roleArn: `arn:aws:iam::${TABLE_ACCOUNT}:user/deployer` },
      "roleArn",
      /not an IAM role ARN/,
    ));
  it("rejects a role in another account than accountId", () =>
    assertProviderRejects(
      { roleArn: `arn:aws:iam::${USAGE_ACCOUNT}:role/deployer` },
      "roleArn",
      /account 222222222222/,
    ));
  it("rejects a missing role ARN", () =>
    assertProviderRejects({ roleArn: undefined }, "roleArn", /required/));
  it("rejects a region that is not one", () => assertProviderRejects({ region: "europe" }, "region"));
  it("rejects a session name STS refuses", () =>
    assertProviderRejects({ sessionName: "ci run #1" }, "sessionName"));
  it("rejects an external ID STS refuses", () => assertProviderRejects({ externalId: "x" }, "externalId"));
  it("rejects a delay over two minutes", () =>
    assertProviderRejects({ roleReadyDelaySeconds: 600 }, "roleReadyDelaySeconds"));
  it("rejects a role ARN from an Output once known, when its account differs", async () => {
    await rejection.assertRejectsWhenResolved(
      () =>
        accountProvider("tables", {
          ...args,
          roleArn: pulumi.output(`arn:aws:iam::${USAGE_ACCOUNT}:role/deployer`),
        }),
      "roleArn",
    );
  });
  it("reports every problem at once", async () => {
    const error = await providerError({ accountId: "1", region: "x", roleArn: "role" });
    assert.deepStrictEqual(error.errors.map((e) => e.propertyPath).sort(), [
      "accountId",
      "region",
      "roleArn",
    ]);
  });
});

describe("two-account setup", () => {
  const TABLE_ACCOUNT_ID = "333333333333";

  /** The table account's program: a hardened table, a role for the usage account, a provider for each. */
  function program() {
    const tables = accountProvider("tables", {
      accountId: TABLE_ACCOUNT_ID,
      roleArn: `arn:aws:iam::${TABLE_ACCOUNT_ID}:role/platform-deployer`,
      region: "eu-west-1",
      defaultTags: { team: "identity" },
    });
    const table = new HardenedTable(
      "sessions",
      {
        region: "eu-west-1",
        hashKey: "sessionId",
        attributes: [{ name: "sessionId", type: "S" }],
        tags: { team: "identity" },
      },
      { provider: tables },
    );
    const access = new TableAccessRole(
      "sessions-access",
      { ...base, tableArn: table.arn, kmsKeyArn: table.keyArn.apply((k) => k!), access: "session-store" },
      { provider: tables },
    );
    // A provider that acts as the role, for a smoke check in the same program.
    const asUsage = accountProvider("as-session-app", {
      accountId: TABLE_ACCOUNT_ID,
      roleArn: access.roleArn,
      externalId: access.externalId,
      region: "eu-west-1",
      roleReadyDelaySeconds: 0,
    });
    return { tables, table, access, asUsage };
  }

  it("keeps the child invariants and places the role in the table's account", async () => {
    const resources = await record(program);
    assertChildInvariants(resources, { tags: { team: "identity" } });
    const policy = parsePolicy(one(resources, POLICY_TYPE).inputs.policy);
    const granted = policy.Statement.map((s) => String(s.Resource));
    assert.ok(granted.length >= 2, "table and key statements");
    for (const resource of granted) {
      assert.match(
        resource,
        new RegExp(`^arn:aws:(dynamodb|kms):eu-west-1:${TABLE_ACCOUNT_ID}:`),
        "in the table account",
      );
    }
    const provider = byType(resources, "pulumi:providers:aws").find((r) => r.name === "as-session-app")!;
    assert.match(
      decoded(provider.inputs.assumeRoles)[0].roleArn,
      new RegExp(`^arn:aws:iam::${TABLE_ACCOUNT_ID}:role/`),
    );
    assert.ok(
      provider.dependencies.includes(one(resources, POLICY_TYPE).urn),
      "a provider built from roleArn waits for the inline policy",
    );
  });

  it("runs as a preview: policies that need the table ARN stay unknown, the trust policy is known", async () => {
    const resources = await record(program, true);
    const role = one(resources, ROLE_TYPE);
    assert.notStrictEqual(role.inputs.assumeRolePolicy, UNKNOWN);
    assert.strictEqual(parsePolicy(role.inputs.assumeRolePolicy).Statement[0].Action, "sts:AssumeRole");
    assert.strictEqual(one(resources, POLICY_TYPE).inputs.policy, UNKNOWN);
    assertChildInvariants(resources, { tags: { team: "identity" } });
  });

  function decoded(value: unknown) {
    return typeof value === "string" ? JSON.parse(value) : value;
  }
});

describe("TableAccessRole child invariants on every configuration", () => {
  const configurations: Record<string, Partial<TableAccessRoleArgs>> = {
    minimal: {},
    "read-write with VPC endpoint and key": { access: "read-write", sourceVpce: VPCE, kmsKeyArn: KEY },
    "session store": { access: "session-store", organizationId: "o-a1b2c3d4e5", maxSessionDuration: 7200 },
    "leading keys from session tags": { access: "read-write", leadingKeys: { principalTag: "tenantId" } },
    "leading keys fixed": {
      leadingKeys: { principalTag: "tenantId", value: "t-1" },
      attributes: ["sessionId"],
    },
    "explicit actions": {
      actions: ["dynamodb:GetItem", "dynamodb:PartiQLSelect"],
      roleName: "sessions-reader",
    },
    "whole account": {
      trustedPrincipals: [`arn:aws:iam::${USAGE_ACCOUNT}:root`],
      allowWholeAccountTrust: true,
    },
  };
  for (const [label, config] of Object.entries(configurations)) {
    for (const preview of [false, true]) {
      it(`${label}${preview ? " (preview)" : ""}`, async () => {
        const resources = await roleResources(config, preview);
        assert.strictEqual(assertChildInvariants(resources, { tags: EXPECTED_TAGS }), 2);
        assert.strictEqual(byType(resources, ROLE_TYPE).length, 1);
      });
    }
  }
});
