import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountContext } from "../shared/accountContext";
import { parseArn } from "../shared/arn";
import { policyJson } from "../shared/policyDocument";
import { componentTags } from "../shared/tags";
import { TableAccessRoleArgs } from "./tableAccessRoleArgs";
import {
  grantedActions,
  tableAccessRoleInlinePolicy,
  tableAccessRoleTrustPolicy,
} from "./tableAccessRolePolicy";
import { validateTableAccessRoleArgs } from "./tableAccessRoleValidation";

const DEFAULT_MAX_SESSION_SECONDS = 3600;

/**
 * A role in a table's account that named principals of another account assume to use the table: a trust
 * policy with an external ID (and optionally the organization), and an inline policy granting named
 * actions on the table and, for the actions that use them, its indexes; optionally restricted by
 * partition key, attributes and VPC endpoint, with the key permissions a customer-managed key needs.
 */
export class TableAccessRole extends pulumi.ComponentResource {
  /** The IAM role. */
  public readonly role: aws.iam.Role;
  /** The role's inline policy. */
  public readonly policy: aws.iam.RolePolicy;
  /** The role ARN, for the usage account's `AssumeRole` calls; known once the inline policy is attached. */
  public readonly roleArn: pulumi.Output<string>;
  /** The role name. */
  public readonly roleName: pulumi.Output<string>;
  /** The external ID callers must pass, as a secret. */
  public readonly externalId: pulumi.Output<string>;
  /** The DynamoDB actions the role grants. */
  public readonly actions: string[];

  constructor(name: string, args: TableAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    const { problems, checked } = validateTableAccessRoleArgs(name, args);
    problems.throwIfAny("TableAccessRole", name);
    super("dynamodb-hardened:index:TableAccessRole", name, args, opts);

    this.actions = grantedActions(args.access, args.actions, checked.fineGrained);
    const leadingKeys = args.leadingKeys;
    const sessionTagKey =
      leadingKeys && leadingKeys.value === undefined ? leadingKeys.principalTag : undefined;
    const tags: Record<string, string> = {
      ...componentTags(args.tags, "TableAccessRole"),
      ...(leadingKeys?.value !== undefined ? { [leadingKeys.principalTag]: leadingKeys.value } : {}),
    };

    const trustPolicy = pulumi
      .all([pulumi.all(checked.trustedPrincipals), pulumi.output(checked.externalId)])
      .apply(([principals, externalId]) =>
        tableAccessRoleTrustPolicy({
          principals,
          externalId,
          organizationId: args.organizationId,
          sessionTagKey,
        }),
      );
    this.role = new aws.iam.Role(
      name,
      {
        name: args.roleName,
        description: pulumi.interpolate`Access to DynamoDB table ${checked.tableArn} for named principals`,
        assumeRolePolicy: policyJson(trustPolicy),
        maxSessionDuration: args.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
        permissionsBoundary: checked.permissionsBoundary,
        tags,
      },
      { parent: this },
    );

    const roleAccount = accountContext(this).accountId;
    const inlinePolicy = pulumi
      .all([
        pulumi.output(checked.tableArn),
        pulumi.output(checked.sourceVpce),
        pulumi.output(checked.kmsKeyArn),
        roleAccount,
      ])
      .apply(([tableArn, sourceVpce, kmsKeyArn, accountId]) => {
        const tableAccount = parseArn(tableArn)?.accountId;
        if (tableAccount !== accountId) {
          throw new pulumi.InputPropertyError({
            propertyPath: "tableArn",
            reason: `the table is in account ${tableAccount}, but the role would be created in ${accountId}; create the role with a provider for the table's account (accountProvider)`,
          });
        }
        return tableAccessRoleInlinePolicy(tableArn, {
          actions: this.actions,
          leadingKeysPrincipalTag: leadingKeys?.principalTag,
          attributes: args.attributes,
          sourceVpce,
          kmsKeyArn,
        });
      });
    this.policy = new aws.iam.RolePolicy(
      `${name}-table-access`,
      { role: this.role.name, policy: policyJson(inlinePolicy) },
      { parent: this },
    );

    // Resolves only once the inline policy is attached, so whoever assumes the role gets its permissions.
    this.roleArn = pulumi.all([this.role.arn, this.policy.id]).apply(([arn]) => arn);
    this.roleName = this.role.name;
    this.externalId = pulumi.secret(pulumi.output(checked.externalId));

    this.registerOutputs({
      role: this.role,
      policy: this.policy,
      roleArn: this.roleArn,
      roleName: this.roleName,
      externalId: this.externalId,
      actions: this.actions,
    });
  }
}
