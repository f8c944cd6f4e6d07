import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";

import {
  ORGANIZATION_POLICY_MAX_CHARS,
  externalPrincipalsRcp,
  tableProtectionScp,
} from "./organizationPolicies";
import { checkOrganizationId, checkOrganizationTargetId, duplicates } from "../shared/resourceIds";
import { componentTags } from "../shared/tags";
import { ArgumentProblems, Validated, validateArgs } from "../shared/validation";
import { checkAccountId } from "../shared/checks";
import { isKnownPartition } from "../shared/partitions";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { ORGANIZATION_GUARDRAILS_ARGUMENT_TYPES } from "./guardrailsArgumentTypes";

/** Arguments of `OrganizationGuardrails`. Deploy it with the organization's management account. */
export interface OrganizationGuardrailsArgs {
  /** The organization ID (`o-…`); principals outside it are denied DynamoDB by the RCP. */
  organizationId: string;
  /**
   * Where the policies are attached: the root (`r-…`), organizational units (`ou-…-…`) or member accounts
   * (12 digits). At least one. The management account itself is never subject to SCPs or RCPs.
   */
  targetIds: string[];
  /**
   * Roles exempt from the SCP, as ARN patterns: `*` may stand for the account or part of the name, e.g.
   * `arn:aws:iam::*:role/DatabaseAdminBreakGlass`. At least one.
   */
  breakGlassRoleArns: string[];
  /**
   * Roles that may also call UpdateTable (add indexes, change capacity, turn deletion protection off), e.g.
   * deployment pipelines. Default: none, only break-glass roles.
   */
  tableAdministratorRoleArns?: string[];
  /** The RCP denying DynamoDB to principals outside the organization. Default true. */
  denyExternalPrincipals?: boolean;
  /** Account IDs outside the organization the RCP still lets in, e.g. a vendor's. Default: none. */
  trustedAccountIds?: string[];
  /** SCP statement leaving UpdateTable (and so turning deletion protection off) to break-glass and administrator roles. Default true. */
  guardDeletionProtection?: boolean;
  /** SCP statement leaving DeleteTable and DeleteBackup to break-glass roles. Default true. */
  denyDeletion?: boolean;
  /** Tags for the policies. */
  tags?: Record<string, string>;
}

function checkRolePattern(v: string): string | undefined {
  const m = /^arn:([a-z-]+):iam::(\d{12}|\*):role\/([\w+=,.@/*-]+)$/.exec(v);
  if (!m || !isKnownPartition(m[1]))
    return `"${v}" is not a role ARN pattern (arn:aws:iam::<account or *>:role/<name>)`;
  if (/^[*/]+$/.test(m[3])) return `"${v}" matches every role; name the role`;
  return undefined;
}

/** Every problem with `OrganizationGuardrails` arguments (all plain values), found before anything is created. */
export function validateOrganizationGuardrailsArgs(
  _name: string,
  args: OrganizationGuardrailsArgs,
): Validated<Record<string, never>> {
  return validateArgs(args, "organizationId, targetIds and breakGlassRoleArns", {}, (a, problems) => {
    checkGuardrailArgs(a, problems);
    return {};
  });
}

function checkGuardrailArgs(args: OrganizationGuardrailsArgs, problems: ArgumentProblems): void {
  const orgProblem =
    args.organizationId === undefined
      ? "the organization ID (o-…) is required"
      : checkOrganizationId(args.organizationId);
  if (orgProblem) problems.add("organizationId", orgProblem);

  if (!args.targetIds?.length) {
    problems.add(
      "targetIds",
      "name at least one root (r-…), organizational unit (ou-…) or account to attach the policies to",
    );
  }
  (args.targetIds ?? []).forEach((id, i) => {
    const reason = checkOrganizationTargetId(id);
    if (reason) problems.add(`targetIds[${i}]`, reason);
  });
  for (const i of duplicates(args.targetIds ?? []))
    problems.add(`targetIds[${i}]`, `"${args.targetIds[i]}" is listed twice`);

  const scpOn = (args.guardDeletionProtection ?? true) || (args.denyDeletion ?? true);
  if (scpOn && !args.breakGlassRoleArns?.length) {
    problems.add(
      "breakGlassRoleArns",
      "name at least one break-glass role; otherwise no one in the member accounts could ever change or delete a table",
    );
  }
  (args.breakGlassRoleArns ?? []).forEach((arn, i) => {
    const reason = checkRolePattern(arn);
    if (reason) problems.add(`breakGlassRoleArns[${i}]`, reason);
  });
  (args.tableAdministratorRoleArns ?? []).forEach((arn, i) => {
    const reason = checkRolePattern(arn);
    if (reason) problems.add(`tableAdministratorRoleArns[${i}]`, reason);
  });
  if (args.tableAdministratorRoleArns?.length && args.guardDeletionProtection === false) {
    problems.add("tableAdministratorRoleArns", "only applies with guardDeletionProtection on");
  }

  const rcpOn = args.denyExternalPrincipals ?? true;
  (args.trustedAccountIds ?? []).forEach((id, i) => {
    problems.check(`trustedAccountIds[${i}]`, id, checkAccountId);
  });
  if (args.trustedAccountIds?.length && !rcpOn) {
    problems.add("trustedAccountIds", "only applies with denyExternalPrincipals on");
  }
  if (!rcpOn && !scpOn) {
    problems.add(
      "denyExternalPrincipals",
      "every policy is turned off; turn at least one on, or remove the component",
    );
  }

  if (problems.count === 0) {
    const sizes: [string, number][] = [
      [
        "trustedAccountIds",
        rcpOn ? JSON.stringify(externalPrincipalsRcp(args.organizationId, args.trustedAccountIds)).length : 0,
      ],
      ["breakGlassRoleArns", scpOn ? JSON.stringify(scpDocument(args)).length : 0],
    ];
    for (const [path, size] of sizes) {
      if (size > ORGANIZATION_POLICY_MAX_CHARS) {
        problems.add(
          path,
          `the policy would be ${size} characters; AWS Organizations accepts at most ${ORGANIZATION_POLICY_MAX_CHARS}: use wildcards in the role patterns or fewer entries`,
        );
      }
    }
  }
}

function scpDocument(args: OrganizationGuardrailsArgs) {
  return tableProtectionScp({
    breakGlassRoleArns: args.breakGlassRoleArns ?? [],
    tableAdministratorRoleArns: args.tableAdministratorRoleArns ?? [],
    guardDeletionProtection: args.guardDeletionProtection ?? true,
    denyDeletion: args.denyDeletion ?? true,
  });
}

/**
 * Organization-wide DynamoDB guardrails that hold even when an account's own IAM is wrong (practices 3 and 7):
 * a resource control policy keeping principals outside the organization away from every table, and one
 * service control policy leaving UpdateTable, DeleteTable and DeleteBackup to break-glass roles. Each policy
 * is attached to every target. One SCP and one RCP keep within the five policies AWS allows per target.
 */
export class OrganizationGuardrails extends pulumi.ComponentResource {
  /** The resource control policy, unless `denyExternalPrincipals` is false. */
  public readonly resourceControlPolicy?: aws.organizations.Policy;
  /** The service control policy, unless both of its statements are turned off. */
  public readonly serviceControlPolicy?: aws.organizations.Policy;
  /** Every policy attachment. */
  public readonly attachments: aws.organizations.PolicyAttachment[];
  /** The RCP document as JSON, when created. */
  public readonly resourceControlPolicyContent?: string;
  /** The SCP document as JSON, when created. */
  public readonly serviceControlPolicyContent?: string;

  constructor(name: string, args: OrganizationGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    const awsRules = checkArgumentTypes(
      "OrganizationGuardrails",
      name,
      args,
      ORGANIZATION_GUARDRAILS_ARGUMENT_TYPES,
    );
    validateOrganizationGuardrailsArgs(name, args)
      .problems.include(awsRules)
      .throwIfAny("OrganizationGuardrails", name);
    super("dynamodb-hardened:index:OrganizationGuardrails", name, args, opts);

    const tags = componentTags(args.tags, "OrganizationGuardrails");
    this.attachments = [];
    if (args.denyExternalPrincipals ?? true) {
      this.resourceControlPolicyContent = JSON.stringify(
        externalPrincipalsRcp(args.organizationId, args.trustedAccountIds),
      );
      this.resourceControlPolicy = this.createPolicy(
        `${name}-rcp`,
        "RESOURCE_CONTROL_POLICY",
        "DynamoDB: deny principals outside the organization",
        this.resourceControlPolicyContent,
        args.targetIds,
        tags,
      );
    }
    if ((args.guardDeletionProtection ?? true) || (args.denyDeletion ?? true)) {
      this.serviceControlPolicyContent = JSON.stringify(scpDocument(args));
      this.serviceControlPolicy = this.createPolicy(
        `${name}-scp`,
        "SERVICE_CONTROL_POLICY",
        "DynamoDB: table changes and deletion only by break-glass roles",
        this.serviceControlPolicyContent,
        args.targetIds,
        tags,
      );
    }
    this.registerOutputs({
      resourceControlPolicy: this.resourceControlPolicy,
      serviceControlPolicy: this.serviceControlPolicy,
      resourceControlPolicyContent: this.resourceControlPolicyContent,
      serviceControlPolicyContent: this.serviceControlPolicyContent,
    });
  }

  private createPolicy(
    resourceName: string,
    type: string,
    description: string,
    content: string,
    targetIds: string[],
    tags: Record<string, string>,
  ): aws.organizations.Policy {
    const policy = new aws.organizations.Policy(
      resourceName,
      { type, description, content, tags },
      { parent: this },
    );
    for (const targetId of targetIds) {
      this.attachments.push(
        new aws.organizations.PolicyAttachment(
          `${resourceName}-${targetId}`,
          { policyId: policy.id, targetId },
          { parent: this },
        ),
      );
    }
    return policy;
  }
}
