import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  AUDITOR_ACTIONS,
  AUDIT_ROLE_POLICY,
  auditRoleTrustPolicy,
  auditorPolicy,
  iamAction,
} from "../../audit/iamPolicy";
import { AccessQuestion, evaluate as simulate } from "../harness/iam";
import { CALLER, simpleEstate } from "./estate";
import { auditAgainst } from "./harness";
import { practicesRegion } from "./practices";

const MEMBER = "222222222222";
const AUDITOR = `arn:aws:iam::${CALLER}:user/auditor`;
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: "kms:*", Resource: "*" },
  ],
};

/** The simulator rejects a resource ARN for an action that takes none: ask again with `*`. */
async function evaluate(q: AccessQuestion): Promise<string> {
  try {
    return await simulate(q);
  } catch (e) {
    if (!/must\.use\.wildcard/.test(String(e))) throw e;
    return simulate({ ...q, resource: "*" });
  }
}

/** A resource each action is asked about: its own resource type where it has one, else `*`. */
function resourceFor(action: string, account: string): string {
  const r = "us-east-1";
  if (
    /^dynamodb:(DescribeTable|DescribeContinuousBackups|ListTagsOfResource|GetResourcePolicy)$/.test(action)
  )
    return `arn:aws:dynamodb:${r}:${account}:table/orders`;
  if (action === "dynamodb:ListGlobalTables") return `arn:aws:dynamodb::${account}:global-table/*`;
  if (/^kms:(DescribeKey|GetKeyRotationStatus|GetKeyPolicy)$/.test(action))
    return `arn:aws:kms:${r}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  if (/^backup:(GetBackupPlan|GetBackupSelection|ListBackupSelections)$/.test(action))
    return `arn:aws:backup:${r}:${account}:backup-plan:plan-1`;
  if (action === "backup:GetBackupVaultAccessPolicy")
    return `arn:aws:backup:${r}:${account}:backup-vault:primary`;
  if (/^cloudtrail:(GetEventSelectors|GetTrailStatus)$/.test(action))
    return `arn:aws:cloudtrail:${r}:${account}:trail/org-data`;
  if (action === "dax:DescribeClusters") return `arn:aws:dax:${r}:${account}:cache/dax-plain`;
  return "*";
}

describe("the audit role's least-privilege policy", function () {
  this.timeout(120_000);
  let roleActions: string[];
  let auditorActions: string[];

  before(async () => {
    // A full audit of two accounts through the organization: every reader, every paginated call, AssumeRole.
    const estate = simpleEstate({
      accounts: {
        [CALLER]: { "us-east-1": practicesRegion() },
        [MEMBER]: { "us-east-1": practicesRegion() },
      },
    });
    const run = await auditAgainst(estate, ["--json", "--organization"]);
    assert.equal(run.code, 1);
    const actions = [
      ...new Set(run.calls.map((c) => iamAction(...(c.split(":") as [string, string])))),
    ].sort();
    auditorActions = actions.filter((a) => AUDITOR_ACTIONS.includes(a) || a === "sts:GetCallerIdentity");
    roleActions = actions.filter((a) => !auditorActions.includes(a));
  });

  it("lists exactly the calls the audit makes in an account, no more", () => {
    for (const a of [
      "kms:GetKeyRotationStatus",
      "kms:GetKeyPolicy",
      "backup:GetBackupVaultAccessPolicy",
      "iam:GetAccountAuthorizationDetails",
      "lambda:ListFunctions",
      "ec2:DescribeRouteTables",
    ])
      assert.ok(roleActions.includes(a), `the audit calls ${a}`);
    const listed = [...(AUDIT_ROLE_POLICY.Statement[0].Action as string[])].sort();
    assert.deepEqual(listed, roleActions);
    for (const a of listed) assert.match(a, /:(Describe|List|Get)/, `${a} is a read`);
  });

  it("allows each of those calls, by an IAM policy simulator", async () => {
    for (const action of roleActions) {
      const result = await evaluate({
        principal: `arn:aws:iam::${MEMBER}:role/dynamodb-hardened-audit`,
        action,
        resource: resourceFor(action, MEMBER),
        resourceAccount: MEMBER,
        identityPolicies: [AUDIT_ROLE_POLICY],
        // A KMS key answers only if its key policy delegates to IAM, as the default key policy does.
        resourcePolicy: action.startsWith("kms:") ? DEFAULT_KEY_POLICY : undefined,
      });
      assert.equal(result, "Allowed", action);
    }
  });

  it("allows no write: the role cannot change a table, a key or a backup", async () => {
    for (const action of [
      "dynamodb:UpdateTable",
      "dynamodb:GetItem",
      "dynamodb:Scan",
      "kms:Decrypt",
      "kms:PutKeyPolicy",
      "kms:DisableKeyRotation",
      "backup:PutBackupVaultAccessPolicy",
      "backup:DeleteBackupVaultLockConfiguration",
      "backup:DeleteBackupPlan",
      "cloudtrail:StopLogging",
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
      "iam:CreatePolicyVersion",
    ]) {
      const result = await evaluate({
        principal: `arn:aws:iam::${MEMBER}:role/dynamodb-hardened-audit`,
        action,
        resource: resourceFor(action, MEMBER),
        resourceAccount: MEMBER,
        identityPolicies: [AUDIT_ROLE_POLICY],
      });
      assert.equal(result, "ImplicitlyDenied", action);
    }
  });

  it("lets the auditor assume the audit role and list the organization, nothing else", async () => {
    assert.deepEqual(auditorActions, [
      "organizations:ListAccounts",
      "sts:AssumeRole",
      "sts:GetCallerIdentity",
    ]);
    const policy = auditorPolicy("aws", "dynamodb-hardened-audit");
    const trust = auditRoleTrustPolicy(AUDITOR, "audit-2027");
    const ask = (
      action: string,
      resource: string,
      context: Record<string, string> = { "sts:ExternalId": "audit-2027" },
    ) =>
      evaluate({
        principal: AUDITOR,
        action,
        resource,
        resourceAccount: action.startsWith("organizations:") ? CALLER : MEMBER,
        identityPolicies: [policy],
        resourcePolicy: action === "sts:AssumeRole" ? trust : undefined,
        context,
      });
    const role = `arn:aws:iam::${MEMBER}:role/dynamodb-hardened-audit`;
    assert.equal(await ask("sts:AssumeRole", role), "Allowed");
    assert.equal(await ask("sts:AssumeRole", role, {}), "ImplicitlyDenied", "without the external id");
    assert.equal(
      await ask("sts:AssumeRole", `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`),
      "ImplicitlyDenied",
    );
    assert.equal(await ask("organizations:ListAccounts", "*"), "Allowed");
  });

  it("is the policy docs/audit.md documents", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "audit.md"), "utf8");
    assert.ok(
      doc.includes(JSON.stringify(AUDIT_ROLE_POLICY, null, 2)),
      "docs/audit.md shows AUDIT_ROLE_POLICY verbatim",
    );
    assert.ok(doc.includes(JSON.stringify(auditorPolicy("aws", "dynamodb-hardened-audit"), null, 2)));
    assert.ok(doc.includes(JSON.stringify(auditRoleTrustPolicy(AUDITOR, "audit-2027"), null, 2)));
  });
});
