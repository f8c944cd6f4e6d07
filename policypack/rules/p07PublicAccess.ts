import { principalAccount } from "../facts/arn";
import { Condition, Statement, isAllow, known } from "../facts/iam";
import { Subject } from "../facts/model";
import { Maybe, UNKNOWN } from "../facts/value";
import { HeldDoc, statementLabel } from "./docs";
import { Finding } from "./finding";
import { ownAccount, resourcePolicy, stringListSetting, stringSetting } from "../policies";
import { documentsOf } from "./docs";
import { definePractice } from "./practice";

export const practice = definePractice(7, "Resource-based policies with Block Public Access", {
  controls: ["DynamoDB Block Public Access (no Security Hub control)"],
  topics: ["public-access", "iam"],
});

/** Condition keys that DynamoDB Block Public Access accepts as restricting a `*` principal. */
export const TRUSTED_CONDITION_KEYS = new Set([
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:userid",
  "aws:principalservicename",
  "aws:principalservicenameslist",
  "aws:principalisawsservice",
  "aws:ec2instancesourcevpc",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
]);

export interface TrustConfig {
  trustedAccountIds: string[];
  organizationId?: string;
}

/** Operators that require the key to be present and equal to (or like, without wildcards) fixed values. */
function restrictive(operator: string): boolean {
  const op = operator.toLowerCase();
  if (op.endsWith("ifexists") || op.startsWith("forallvalues:")) return false;
  const base = op.replace(/^foranyvalue:/, "");
  return ["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "bool"].includes(
    base,
  );
}

function fixedValue(value: Maybe<string>): boolean {
  if (value === UNKNOWN) return true;
  return (
    typeof value === "string" &&
    value !== "" &&
    !value.includes("*") &&
    !value.includes("?") &&
    !value.includes("${")
  );
}

/** A condition that keeps a `*` principal non-public, following DynamoDB Block Public Access. */
export function restrictsPrincipal(c: Condition): boolean {
  if (!TRUSTED_CONDITION_KEYS.has(c.key) || !restrictive(c.operator)) return false;
  if (c.values === UNKNOWN) return true;
  if (!c.values || c.values.length === 0 || !c.values.every(fixedValue)) return false;
  if (c.key === "aws:principalisawsservice")
    return c.values.every((v) => v === UNKNOWN || v?.toLowerCase() === "true");
  return true;
}

function restrictedBy(st: Statement): Condition[] | "unknown" {
  if (st.conditions === UNKNOWN) return "unknown";
  return (st.conditions ?? []).filter(restrictsPrincipal);
}

function conditionValues(conditions: Condition[], key: string): Maybe<string>[] {
  return conditions
    .filter((c) => c.key === key && Array.isArray(c.values))
    .flatMap((c) => c.values as Maybe<string>[]);
}

/** Practice 7: resource policies on tables and streams are not public and, when configured, trust only known accounts. */
export function publicAccessFindings(
  subject: Subject,
  docs: HeldDoc[],
  trust: TrustConfig,
  ownAccount: Maybe<string>,
): Finding[] {
  const findings: Finding[] = [];
  const trusted = new Set(trust.trustedAccountIds);
  if (typeof ownAccount === "string") trusted.add(ownAccount);
  const checkTrust = trust.trustedAccountIds.length > 0 || !!trust.organizationId;
  const trustFix = `name principals from the trusted accounts (${[...trust.trustedAccountIds].join(", ") || "none configured"})${trust.organizationId ? ` or add "Condition": { "StringEquals": { "aws:PrincipalOrgID": "${trust.organizationId}" } }` : ""}.`;
  for (const held of docs) {
    for (const st of held.doc.statements) {
      if (!isAllow(st)) continue;
      const where = statementLabel(held, st);
      if (st.notPrincipal) {
        findings.push({
          practice,
          subject,
          where,
          problem:
            "uses Allow with NotPrincipal, which grants access to every principal not listed, including anonymous ones.",
          fix: "replace NotPrincipal with a Principal list of named roles or accounts.",
        });
        continue;
      }
      const restriction = restrictedBy(st);
      if (restriction === "unknown") continue;
      if (st.principals.anyone && restriction.length === 0) {
        findings.push({
          practice,
          subject,
          where,
          problem:
            'grants access to any principal ("*") with no trusted condition key (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceVpce, ...): the table is public, and DynamoDB Block Public Access will reject it.',
          fix: 'name the principals (role ARNs or account IDs) instead of "*", or restrict with aws:PrincipalOrgID / aws:PrincipalAccount / aws:SourceVpce with fixed values.',
        });
        continue;
      }
      if (!checkTrust) continue;
      const orgOk =
        !!trust.organizationId &&
        conditionValues(restriction, "aws:principalorgid").some(
          (v) => v === UNKNOWN || v === trust.organizationId,
        );
      if (orgOk) continue;
      const accountValues = conditionValues(restriction, "aws:principalaccount");
      const accountsOk =
        accountValues.length > 0 &&
        accountValues.every((v) => v === UNKNOWN || (typeof v === "string" && trusted.has(v)));
      if (accountsOk) continue;
      if (st.principals.anyone) {
        findings.push({
          practice,
          subject,
          where,
          problem:
            'grants access to "*" restricted by conditions that do not limit it to the trusted accounts or organization.',
          fix: trustFix,
        });
        continue;
      }
      const outside = known(st.principals.aws).filter((p) => {
        const account = principalAccount(p);
        return typeof account === "string" && !trusted.has(account);
      });
      if (outside.length) {
        findings.push({
          practice,
          subject,
          where,
          problem: `grants access to principals outside the trusted accounts and organization: ${outside.map((p) => `"${p}"`).join(", ")}.`,
          fix: trustFix,
        });
      }
    }
  }
  return findings;
}

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export const policies = [
  resourcePolicy({
    name: "dynamodb-resource-policy-not-public",
    displayName: "DynamoDB resource policies are not public",
    description:
      'Practice 7: table and stream resource policies grant nothing to "*" unless a trusted condition key restricts it (DynamoDB Block Public Access rules); with trusted accounts or an organization configured, no principal outside them.',
    practice,
    enforcementLevel: "mandatory",
    severity: practice.severity,
    kinds: ["resource-policy", "table"],
    remediationSteps:
      'Name principals instead of "*", or restrict with aws:PrincipalOrgID / aws:PrincipalAccount / aws:SourceVpce.',
    config: {
      trustedAccountIds: {
        type: "array",
        items: { type: "string", pattern: "^\\d{12}$" },
        description:
          "Accounts whose principals resource policies may name (the table's own account is always trusted).",
      },
      organizationId: {
        type: "string",
        pattern: "^o-[a-z0-9]{10,32}$",
        description: "An AWS Organization: statements restricted to it with aws:PrincipalOrgID are trusted.",
      },
    },
    check: (facts, config) => {
      const trust = {
        trustedAccountIds: stringListSetting(config, "trustedAccountIds", ACCOUNT_ID),
        organizationId: stringSetting(config, "organizationId", ORGANIZATION_ID),
      };
      return publicAccessFindings(facts.subject, documentsOf(facts).docs, trust, ownAccount(facts));
    },
  }),
];
