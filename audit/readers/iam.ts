import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  type AttachedPolicy,
  type PolicyDetail,
} from "@aws-sdk/client-iam";
import type { PackResource } from "../pack";
import { pages } from "../sdk";

/** The account-wide unit's region: IAM is a global service, its policies are read and judged once per account. */
export const GLOBAL = "global";

/** What one account's identity policies give the pack, and how much was read. */
export interface IdentityRead {
  /** Inline policies, customer managed policies and AWS-managed attachments that can reach DynamoDB, DAX or KMS. */
  resources: PackResource[];
  counts: Record<string, number>;
}

/**
 * The IAM API returns policy documents URL-encoded (RFC 3986; "GetAccountAuthorizationDetails", IAM API
 * Reference); some SDKs decode them, the JavaScript v3 SDK does not. A document already in JSON is kept.
 */
export function decodePolicy(text: string): string {
  if (text.trimStart().startsWith("{")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // not valid percent-encoding: the pack reports it as an unreadable document
  }
}

/** An action the pack's practice-4 rules may read: DynamoDB, DAX or KMS, or a service wildcard (`*`, `d*:Get*`). */
function mayReach(action: unknown): boolean {
  if (typeof action !== "string") return false;
  const service = action.split(":")[0].toLowerCase();
  return /[*?]/.test(service) || service === "dynamodb" || service === "dax" || service === "kms";
}

/**
 * Whether a document can matter to the pack's practice-4 rules: a statement with NotAction or an action that
 * may reach DynamoDB, DAX or KMS. The others (most policies of an account) are not held. An unreadable document
 * is held: the pack decides what it says.
 */
export function mayMatter(document: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(document);
  } catch {
    return true;
  }
  if (!doc || typeof doc !== "object") return true;
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.some((st) => {
    if (!st || typeof st !== "object") return true;
    const s = st as { Action?: unknown; NotAction?: unknown };
    if (s.NotAction !== undefined) return true;
    return (Array.isArray(s.Action) ? s.Action : [s.Action]).some(mayReach);
  });
}

const AWS_MANAGED = /^arn:[\w-]+:iam::aws:policy\//;

/** `@pulumi/aws` type tokens of each kind of principal: its inline policy and its managed-policy attachment. */
const TOKENS = {
  role: {
    inline: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  },
  user: {
    inline: "aws:iam/userPolicy:UserPolicy",
    attachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  },
  group: {
    inline: "aws:iam/groupPolicy:GroupPolicy",
    attachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  },
} as const;

type Principal = keyof typeof TOKENS;

function iamResource(
  account: string,
  type: string,
  urn: string,
  name: string,
  props: Record<string, unknown>,
) {
  return { type, urn, name, props, account, region: GLOBAL };
}

/**
 * A principal's inline policies (`aws.iam.RolePolicy`, `UserPolicy`, `GroupPolicy`: `{role|user|group, name,
 * policy}`) and its AWS-managed attachments (`aws.iam.RolePolicyAttachment`...: `{role|user|group, policyArn}`),
 * as a program declares them. Customer managed policies are judged where they are defined (`aws.iam.Policy`).
 */
function principalResources(
  account: string,
  kind: Principal,
  arn: string | undefined,
  name: string | undefined,
  inline: PolicyDetail[] | undefined,
  attached: AttachedPolicy[] | undefined,
): PackResource[] {
  const out: PackResource[] = [];
  const owner = name ?? "(unnamed)";
  const at = arn ?? `arn:aws:iam::${account}:${kind}/${owner}`;
  for (const p of inline ?? []) {
    if (!p.PolicyDocument) continue;
    const policy = decodePolicy(p.PolicyDocument);
    if (!mayMatter(policy)) continue;
    const policyName = p.PolicyName ?? "(unnamed)";
    out.push(
      iamResource(
        account,
        TOKENS[kind].inline,
        `${at}#inline-policy/${policyName}`,
        `${owner}/${policyName}`,
        {
          [kind]: owner,
          name: policyName,
          policy,
        },
      ),
    );
  }
  for (const a of attached ?? []) {
    if (!a.PolicyArn || !AWS_MANAGED.test(a.PolicyArn)) continue;
    out.push(
      iamResource(
        account,
        TOKENS[kind].attachment,
        `${at}#attached/${a.PolicyArn}`,
        `${owner}/${a.PolicyName ?? a.PolicyArn}`,
        { [kind]: owner, policyArn: a.PolicyArn },
      ),
    );
  }
  return out;
}

/** Service-linked roles: their policies belong to the AWS service and cannot be changed by the account. */
const SERVICE_LINKED = /^\/aws-service-role\//;

/**
 * One account's identity policies, read once (IAM is global): GetAccountAuthorizationDetails for roles, users,
 * groups and customer managed policies (the AWS-managed ones are in the pack's snapshot), page by page. Only
 * what can matter to the pack is held.
 */
export async function readIdentityPolicies(client: IAMClient, account: string): Promise<IdentityRead> {
  const resources: PackResource[] = [];
  const counts: Record<string, number> = { roles: 0, users: 0, groups: 0, "customer managed policies": 0 };
  for await (const [page] of pages(async (marker) => {
    const out = await client.send(
      new GetAccountAuthorizationDetailsCommand({
        Filter: ["Role", "User", "Group", "LocalManagedPolicy"],
        Marker: marker,
      }),
    );
    return { items: [out], next: out.IsTruncated ? out.Marker : undefined };
  })) {
    for (const r of page.RoleDetailList ?? []) {
      counts.roles++;
      if (SERVICE_LINKED.test(r.Path ?? "")) continue;
      resources.push(
        ...principalResources(
          account,
          "role",
          r.Arn,
          r.RoleName,
          r.RolePolicyList,
          r.AttachedManagedPolicies,
        ),
      );
    }
    for (const u of page.UserDetailList ?? []) {
      counts.users++;
      resources.push(
        ...principalResources(
          account,
          "user",
          u.Arn,
          u.UserName,
          u.UserPolicyList,
          u.AttachedManagedPolicies,
        ),
      );
    }
    for (const g of page.GroupDetailList ?? []) {
      counts.groups++;
      resources.push(
        ...principalResources(
          account,
          "group",
          g.Arn,
          g.GroupName,
          g.GroupPolicyList,
          g.AttachedManagedPolicies,
        ),
      );
    }
    for (const p of page.Policies ?? []) {
      counts["customer managed policies"]++;
      const version =
        p.PolicyVersionList?.find((v) => v.IsDefaultVersion) ??
        p.PolicyVersionList?.find((v) => v.VersionId === p.DefaultVersionId);
      if (!version?.Document) continue;
      const policy = decodePolicy(version.Document);
      if (!mayMatter(policy)) continue;
      const name = p.PolicyName ?? "(unnamed)";
      resources.push(
        iamResource(
          account,
          "aws:iam/policy:Policy",
          p.Arn ?? `arn:aws:iam::${account}:policy/${name}`,
          name,
          {
            name,
            path: p.Path,
            arn: p.Arn,
            description: p.Description,
            policy,
          },
        ),
      );
    }
  }
  counts["identity policies judged"] = resources.length;
  return { resources, counts };
}

/** The resources whose documents the pack's stack checks relate to tables (attachments carry none). */
export function documentHolders(resources: PackResource[]): PackResource[] {
  return resources.filter((r) => "policy" in r.props);
}
