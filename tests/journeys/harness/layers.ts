import { runSimulation } from "@cloud-copilot/iam-simulate";

/** An IAM policy document, as the components write it. */
export interface Policy {
  Version?: string;
  Statement: Statement[];
}
type Statement = Record<string, unknown> & { Effect: string; Condition?: ConditionBlock };
type ConditionBlock = Record<string, Record<string, string | string[]>>;

/** A KMS grant, as `aws.kms.Grant` declares it. */
export interface KmsGrant {
  keyArn: string;
  granteePrincipal: string;
  operations: string[];
  encryptionContextSubset?: Record<string, string>;
  encryptionContextEquals?: Record<string, string>;
}

export const ANONYMOUS = "anonymous";

/**
 * One authorization AWS makes for a request: one action on one resource, decided by every policy type
 * that applies to it. A request that crosses several services (DynamoDB, then KMS on the table's key)
 * is several hops, and succeeds only when every hop is allowed.
 */
export interface Hop {
  /** What is authorized, for messages ("DynamoDB GetItem on the table"). */
  layer: string;
  /** A role or user ARN, or `ANONYMOUS` for an unsigned request. */
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  /** Policies attached to the principal (its role's inline and managed policies). */
  identityPolicies?: Policy[];
  /** The resource's own policy: table or stream policy, key policy, trust policy, vault policy. */
  resourcePolicy?: Policy;
  /** SCPs that apply to the principal's account. */
  serviceControlPolicies?: Policy[];
  /** RCPs that apply to the resource's account. */
  resourceControlPolicies?: Policy[];
  /** Policies of the VPC endpoints the request goes through. */
  vpcEndpointPolicies?: Policy[];
  /** Request context keys (aws:sourceVpce, aws:PrincipalOrgID, kms:ViaService, sts:ExternalId, ...). */
  context?: Record<string, string | string[]>;
  /** For KMS hops: the encryption context of the request. */
  encryptionContext?: Record<string, string>;
  /** For KMS hops: the grants on the key. */
  grants?: KmsGrant[];
}

export interface HopVerdict {
  layer: string;
  allowed: boolean;
  /** iam-simulate's result for the policies, and "AllowedByGrant" when a KMS grant decided. */
  result: string;
}

export interface JourneyVerdict {
  allowed: boolean;
  hops: HopVerdict[];
  /** The layers that refused the request. */
  deniedAt: string[];
}

/** The SCP every organization has attached by default (AWS managed policy FullAWSAccess). */
const FULL_AWS_ACCESS: Policy = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

const KMS_EC_PREFIX = "kms:encryptioncontext:";

function matchesValue(operator: string, pattern: string, value: string): boolean {
  if (operator.startsWith("StringLike") || operator.startsWith("StringNotLike")) {
    const regex = new RegExp(
      `^${pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("")}$`,
    );
    return regex.test(value);
  }
  return pattern === value;
}

/** Whether one `kms:EncryptionContext:<key>` condition holds for the request's encryption context. */
function encryptionContextHolds(
  operator: string,
  key: string,
  expected: string | string[],
  context: Record<string, string>,
): boolean {
  const contextKey = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = contextKey === undefined ? undefined : context[contextKey];
  const patterns = Array.isArray(expected) ? expected : [expected];
  const ifExists = operator.endsWith("IfExists");
  const base = ifExists ? operator.slice(0, -"IfExists".length) : operator;
  if (value === undefined) return ifExists || base.startsWith("StringNot");
  const any = patterns.some((p) => matchesValue(base, p, value));
  if (base === "StringEquals" || base === "StringLike") return any;
  if (base === "StringNotEquals" || base === "StringNotLike") return !any;
  throw new Error(`journey harness: unsupported operator ${operator} on kms:EncryptionContext:${key}`);
}

/**
 * iam-simulate drops `kms:EncryptionContext:*` request keys (0.1.173), so a statement conditioned on the
 * encryption context never matches. The harness decides those conditions itself, as IAM does: a statement
 * whose encryption-context conditions fail does not apply (removed); one whose conditions hold keeps its
 * other conditions for the simulator. See
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
 */
export function bindEncryptionContext(policy: Policy, context: Record<string, string>): Policy {
  const statements: Statement[] = [];
  for (const statement of policy.Statement) {
    if (!statement.Condition) {
      statements.push(statement);
      continue;
    }
    let holds = true;
    const rest: ConditionBlock = {};
    for (const [operator, entries] of Object.entries(statement.Condition)) {
      for (const [key, expected] of Object.entries(entries)) {
        if (key.toLowerCase().startsWith(KMS_EC_PREFIX)) {
          holds &&= encryptionContextHolds(operator, key.slice(KMS_EC_PREFIX.length), expected, context);
        } else {
          rest[operator] = { ...(rest[operator] ?? {}), [key]: expected };
        }
      }
    }
    if (!holds) continue;
    const { Condition: _dropped, ...withoutCondition } = statement;
    void _dropped;
    statements.push(Object.keys(rest).length ? { ...withoutCondition, Condition: rest } : withoutCondition);
  }
  return { ...policy, Statement: statements };
}

function lower(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Whether a grant allows the KMS request, as KMS documents grants: the grantee and operation match, and an
 * encryption-context constraint (keys case-insensitive, values case-sensitive) holds. Constraints do not
 * apply to DescribeKey. https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html
 */
export function grantAllows(grant: KmsGrant, hop: Hop): boolean {
  if (grant.granteePrincipal !== hop.principal || grant.keyArn !== hop.resource) return false;
  const operation = hop.action.replace(/^kms:/, "");
  if (!grant.operations.includes(operation)) return false;
  if (operation === "DescribeKey") return true;
  const context = lower(hop.encryptionContext ?? {});
  if (grant.encryptionContextEquals) {
    const wanted = lower(grant.encryptionContextEquals);
    const keys = Object.keys(wanted);
    return keys.length === Object.keys(context).length && keys.every((k) => context[k] === wanted[k]);
  }
  if (grant.encryptionContextSubset) {
    return Object.entries(lower(grant.encryptionContextSubset)).every(([k, v]) => context[k] === v);
  }
  return true;
}

async function simulate(hop: Hop, overrides: Partial<Hop> = {}): Promise<string> {
  const h = { ...hop, ...overrides };
  const ec = h.encryptionContext ?? {};
  const bind = (p: Policy) => (h.encryptionContext ? bindEncryptionContext(p, ec) : p);
  const orgPolicies = (policies: Policy[] | undefined, kind: string) =>
    policies?.length
      ? [
          {
            orgIdentifier: "o-journey",
            policies: policies.map((policy, i) => ({ name: `${kind}-${i}`, policy })),
          },
        ]
      : [];
  const result = await runSimulation(
    {
      request: {
        principal: h.principal === ANONYMOUS ? { type: "Anonymous" } : h.principal,
        action: h.action,
        resource: { resource: h.resource, accountId: h.resourceAccount },
        contextVariables: h.context ?? {},
      },
      // An unsigned request has no identity, so no identity policy.
      identityPolicies: (h.principal === ANONYMOUS ? [] : (h.identityPolicies ?? [])).map((policy, i) => ({
        name: `identity-${i}`,
        policy: bind(policy),
      })),
      // SCPs are allow-lists: an organization attaches FullAWSAccess by default, and ours deny on top of it.
      serviceControlPolicies:
        h.principal === ANONYMOUS || !h.serviceControlPolicies?.length
          ? []
          : orgPolicies([FULL_AWS_ACCESS, ...h.serviceControlPolicies.map(bind)], "scp"),
      resourceControlPolicies: orgPolicies(h.resourceControlPolicies?.map(bind), "rcp"),
      resourcePolicy: h.resourcePolicy ? bind(h.resourcePolicy) : undefined,
      vpcEndpointPolicies: h.vpcEndpointPolicies?.map((policy, i) => ({
        name: `vpce-${i}`,
        policy: bind(policy),
      })),
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/** Decides one hop with every policy type that applies to it, and the key's grants for KMS hops. */
export async function evaluateHop(hop: Hop): Promise<HopVerdict> {
  const result = await simulate(hop);
  if (result === "Allowed") return { layer: hop.layer, allowed: true, result };
  if (result === "ExplicitlyDenied" || hop.principal === ANONYMOUS) {
    return { layer: hop.layer, allowed: false, result };
  }
  const grant = (hop.grants ?? []).find((g) => grantAllows(g, hop));
  if (!grant) return { layer: hop.layer, allowed: false, result };
  // A grant stands in for the key policy and the grantee's IAM policy; SCPs, RCPs, endpoint policies and
  // explicit denies in the key policy still apply. The grant is added as a key-policy statement for that.
  const grantStatement: Statement = {
    Sid: "Grant",
    Effect: "Allow",
    Principal: { AWS: hop.principal },
    Action: hop.action,
    Resource: "*",
  };
  const withGrant = await simulate(hop, {
    identityPolicies: [{ Statement: [{ Effect: "Allow", Action: hop.action, Resource: hop.resource }] }],
    resourcePolicy: {
      Version: "2012-10-17",
      Statement: [...(hop.resourcePolicy?.Statement ?? []), grantStatement],
    },
  });
  return withGrant === "Allowed"
    ? { layer: hop.layer, allowed: true, result: "AllowedByGrant" }
    : { layer: hop.layer, allowed: false, result: withGrant };
}

/** Decides every hop of a request; it succeeds only when every hop is allowed. */
export async function evaluateJourney(hops: Hop[]): Promise<JourneyVerdict> {
  const verdicts: HopVerdict[] = [];
  for (const hop of hops) verdicts.push(await evaluateHop(hop));
  return {
    allowed: verdicts.every((v) => v.allowed),
    hops: verdicts,
    deniedAt: verdicts.filter((v) => !v.allowed).map((v) => v.layer),
  };
}

/** A readable account of a verdict, for assertion messages. */
export function explain(verdict: JourneyVerdict): string {
  return verdict.hops.map((h) => `${h.layer}: ${h.result}`).join("; ");
}
