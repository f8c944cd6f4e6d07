import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployedAccountId } from "../shared/accountContext";
import { BackupPolicyContext, backupServiceTrustPolicy, localVaultKeyPolicy } from "./backupPolicies";
import { dynamoDbRegionSettings } from "./backupRegionSettings";
import { parseBackupVaultArn } from "./backupRules";
import { policyJson } from "../shared/policyDocument";
import { componentTags } from "../shared/tags";
import { TableBackupPlanArgs } from "./tableBackupPlanArgs";
import {
  CheckedPlanInputs,
  sameVaultLocation,
  planKeyExemptRoles,
  validateTableBackupPlanArgs,
} from "./tableBackupPlanValidation";
import { isKnown } from "../shared/validation";
import { customerManagedKey } from "../shared/customerManagedKey";
import { exemptRolesInAccount, keyRoleAccountProblem } from "../shared/keyProtection";
import { checkArgumentTypes } from "../shared/argumentTypes";
import { DeferredChecks } from "../shared/deferredChecks";
import { TABLE_BACKUP_PLAN_ARGUMENT_TYPES } from "./backupArgumentTypes";

/** The AWS managed policies of the AWS Backup service role, by purpose. */
export const BACKUP_SERVICE_ROLE_POLICIES = {
  backup: "service-role/AWSBackupServiceRolePolicyForBackup",
  restore: "service-role/AWSBackupServiceRolePolicyForRestores",
} as const;
/** Names of the selections, unique within the plan. */
export const TAG_SELECTION_NAME = "tagged-dynamodb-tables";
export const ARN_SELECTION_NAME = "listed-dynamodb-tables";

/**
 * AWS Backup for the DynamoDB tables of a workload account: a local vault with a customer-managed key, a plan
 * (a daily rule by default) whose recovery points are copied to a central backup account's vault and
 * optionally to a disaster-recovery vault, a selection of the tables tagged `backup=required` (the tag
 * `HardenedTable` sets) and/or listed by ARN, the service role, and the region settings that opt DynamoDB in
 * with advanced backup.
 */
export class TableBackupPlan extends pulumi.ComponentResource {
  /** The local vault. */
  public readonly vault: aws.backup.Vault;
  /** The local vault's key, when the component created it. */
  public readonly key?: aws.kms.Key;
  /** The backup plan. */
  public readonly plan: aws.backup.Plan;
  /** The service role AWS Backup assumes, when the component created it. */
  public readonly role?: aws.iam.Role;
  /** The selections: by tag, by table ARN, or both. */
  public readonly selections: aws.backup.Selection[];
  /** The account's AWS Backup region settings, keyed by region; empty when not managed. */
  public readonly regionSettings: Record<string, aws.backup.RegionSettings>;
  /** The organization's cross-account backup setting, when `organizationSettings` is set. */
  public readonly globalSettings?: aws.backup.GlobalSettings;
  /** The local vault's ARN. */
  public readonly vaultArn: pulumi.Output<string>;
  /** The local vault's key ARN. */
  public readonly keyArn: pulumi.Output<string>;
  /** The plan's ARN. */
  public readonly planArn: pulumi.Output<string>;
  /** The plan's ID. */
  public readonly planId: pulumi.Output<string>;
  /** The ARN of the role AWS Backup assumes. */
  public readonly roleArn: pulumi.Output<string>;
  /** The copy destinations' vault ARNs, in the order of `copies`. */
  public readonly copyDestinationArns: pulumi.Output<string[]>;
  /** The workload account's ID, as the provider reports it. */
  public readonly accountId: pulumi.Output<string>;
  /** The plan's region. */
  public readonly region: string;

  constructor(name: string, args: TableBackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
    const awsRules = checkArgumentTypes("TableBackupPlan", name, args, TABLE_BACKUP_PLAN_ARGUMENT_TYPES);
    const { problems, checked } = validateTableBackupPlanArgs(name, args);
    problems.include(awsRules).throwIfAny("TableBackupPlan", name);
    const deferred = new DeferredChecks();
    super("dynamodb-hardened:index:TableBackupPlan", name, args, deferred.options(opts));
    // Children wait for the checks of arguments given as Outputs: a value refused once known creates nothing.
    deferred.waitFor(...problems.deferredChecks);

    this.region = args.region;
    const region = args.region;
    const tags = componentTags(args.tags, "TableBackupPlan");
    const protect = args.protect ?? true;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    this.accountId = deployedAccountId(this, args.accountId, "workload");
    const ctx = pulumi
      .all([partition, this.accountId])
      .apply(([p, accountId]): BackupPolicyContext => ({ partition: p, accountId, region }));

    const copyArns = this.copyDestinations(checked);
    this.copyDestinationArns = pulumi.all(copyArns);
    // A copy into this account and region, or a provider in another account, is known only now.
    deferred.waitFor(pulumi.all([this.copyDestinationArns, this.accountId]));

    let keyArn = checked.kmsKeyArn;
    if (keyArn === undefined) {
      const exempt = planKeyExemptRoles(args);
      // The deployed account, and so whether the exempted roles are in it, is known only now.
      deferred.waitFor(
        this.accountId.apply((id) => exemptRolesInAccount(exempt, id, keyRoleAccountProblem(id))),
      );
      const exemptions = {
        breakGlassRoleArn: args.breakGlassRoleArn,
        keyPolicyAdminRoleArns: args.keyAdminRoleArns ?? [],
      };
      const destinationAccounts = this.copyDestinationArns.apply((arns) =>
        arns.map((arn) => parseBackupVaultArn(arn)?.accountId).filter((id): id is string => !!id),
      );
      this.key = customerManagedKey(
        `${name}-key`,
        {
          description: `AWS Backup vault ${checked.vaultName} in ${region}: customer-managed key for DynamoDB recovery points`,
          deletionWindowInDays: args.keyDeletionWindowInDays,
          policy: policyJson(
            pulumi
              .all([ctx, destinationAccounts])
              .apply(([c, ids]) => localVaultKeyPolicy(c, ids, exemptions)),
          ),
          region,
          tags,
        },
        { parent: this, protect },
      );
      keyArn = this.key.arn;
    }
    this.keyArn = pulumi.output(keyArn);
    this.vault = new aws.backup.Vault(
      `${name}-vault`,
      { name: checked.vaultName, kmsKeyArn: keyArn, forceDestroy: false, region, tags },
      { parent: this, protect },
    );
    this.vaultArn = this.vault.arn;

    const { role, roleArn, attachments } = this.serviceRole(name, checked, partition, tags);
    this.role = role;
    this.roleArn = pulumi.output(roleArn);
    this.plan = this.createPlan(name, checked, copyArns, tags);
    this.planArn = this.plan.arn;
    this.planId = this.plan.id;
    this.selections = this.createSelections(name, checked, partition, roleArn, attachments);

    this.regionSettings = {};
    if (args.regionSettings?.enabled ?? true) {
      for (const r of this.settingsRegions(args, checked)) {
        const suffix = r === region ? "" : `-${r}`;
        this.regionSettings[r] = dynamoDbRegionSettings(
          `${name}-region-settings${suffix}`,
          r,
          args.regionSettings,
          this,
        );
      }
    }
    this.globalSettings = this.organizationSetting(name, args);

    this.registerOutputs({
      vaultArn: this.vaultArn,
      keyArn: this.keyArn,
      planArn: this.planArn,
      planId: this.planId,
      roleArn: this.roleArn,
      copyDestinationArns: this.copyDestinationArns,
      accountId: this.accountId,
      region: this.region,
    });
  }

  /** The copy destinations, each failing the deployment if it turns out to be in this account and region. */
  private copyDestinations(checked: CheckedPlanInputs): pulumi.Output<string>[] {
    return checked.copies.map((copy, i) =>
      pulumi.all([copy.destinationVaultArn, this.accountId]).apply(([arn, accountId]) => {
        const reason = sameVaultLocation(arn, accountId, this.region);
        if (reason)
          throw new pulumi.InputPropertyError({ propertyPath: `copies[${i}].destinationVaultArn`, reason });
        return arn;
      }),
    );
  }

  private serviceRole(
    name: string,
    checked: CheckedPlanInputs,
    partition: pulumi.Output<string>,
    tags: Record<string, string>,
  ): { role?: aws.iam.Role; roleArn: pulumi.Input<string>; attachments: pulumi.Resource[] } {
    if (checked.backupRoleArn !== undefined) return { roleArn: checked.backupRoleArn, attachments: [] };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `AWS Backup service role for the DynamoDB tables of plan ${name}`,
        assumeRolePolicy: policyJson(this.accountId.apply(backupServiceTrustPolicy)),
        tags,
      },
      { parent: this },
    );
    const attachments = Object.entries(BACKUP_SERVICE_ROLE_POLICIES).map(
      ([purpose, policy]) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-role-${purpose}`,
          { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
          { parent: this },
        ),
    );
    return { role, roleArn: role.arn, attachments };
  }

  private createPlan(
    name: string,
    checked: CheckedPlanInputs,
    copyArns: pulumi.Output<string>[],
    tags: Record<string, string>,
  ): aws.backup.Plan {
    return new aws.backup.Plan(
      `${name}-plan`,
      {
        region: this.region,
        tags,
        rules: checked.rules.map((rule) => ({
          ruleName: rule.name,
          targetVaultName: this.vault.name,
          schedule: rule.scheduleExpression,
          scheduleExpressionTimezone: rule.scheduleExpressionTimezone,
          startWindow: rule.startWindowMinutes,
          completionWindow: rule.completionWindowMinutes,
          enableContinuousBackup: rule.enableContinuousBackup,
          lifecycle: { deleteAfter: rule.deleteAfterDays, coldStorageAfter: rule.coldStorageAfterDays },
          recoveryPointTags: tags,
          copyActions:
            rule.copy && checked.copies.length
              ? checked.copies.map((copy, i) => ({
                  destinationVaultArn: copyArns[i],
                  lifecycle: {
                    deleteAfter: copy.deleteAfterDays,
                    coldStorageAfter: copy.coldStorageAfterDays,
                  },
                }))
              : undefined,
        })),
      },
      { parent: this },
    );
  }

  private createSelections(
    name: string,
    checked: CheckedPlanInputs,
    partition: pulumi.Output<string>,
    roleArn: pulumi.Input<string>,
    attachments: pulumi.Resource[],
  ): aws.backup.Selection[] {
    const selections: aws.backup.Selection[] = [];
    // The role must hold its policies before the first job runs under it.
    const options = { parent: this, dependsOn: attachments };
    if (checked.selectionTags.length) {
      selections.push(
        new aws.backup.Selection(
          `${name}-tagged`,
          {
            name: TAG_SELECTION_NAME,
            planId: this.plan.id,
            iamRoleArn: roleArn,
            // Only DynamoDB tables of this region, and among them only those carrying every tag.
            resources: [pulumi.interpolate`arn:${partition}:dynamodb:${this.region}:*:table/*`],
            conditions: [
              {
                stringEquals: checked.selectionTags.map((tag) => ({
                  key: `aws:ResourceTag/${tag.key}`,
                  value: tag.value,
                })),
              },
            ],
            region: this.region,
          },
          options,
        ),
      );
    }
    if (checked.tableArns.length) {
      selections.push(
        new aws.backup.Selection(
          `${name}-tables`,
          {
            name: ARN_SELECTION_NAME,
            planId: this.plan.id,
            iamRoleArn: roleArn,
            resources: checked.tableArns,
            region: this.region,
          },
          options,
        ),
      );
    }
    return selections;
  }

  /** The plan's region, and the regions of copy destinations known to be in this same account. */
  private settingsRegions(args: TableBackupPlanArgs, checked: CheckedPlanInputs): string[] {
    const regions = new Set([args.region]);
    for (const copy of checked.copies) {
      const arn = isKnown(copy.destinationVaultArn)
        ? parseBackupVaultArn(copy.destinationVaultArn)
        : undefined;
      if (arn && args.accountId !== undefined && arn.accountId === args.accountId) regions.add(arn.region);
    }
    return [...regions];
  }

  private organizationSetting(
    name: string,
    args: TableBackupPlanArgs,
  ): aws.backup.GlobalSettings | undefined {
    const org = args.organizationSettings;
    if (!org) return undefined;
    const management = new aws.Provider(
      `${name}-management`,
      {
        region: args.region as aws.Region,
        allowedAccountIds: [org.managementAccountId],
        assumeRoles: [
          { roleArn: org.roleArn, externalId: org.externalId, sessionName: "dynamodb-hardened-backup" },
        ],
      },
      { parent: this },
    );
    return new aws.backup.GlobalSettings(
      `${name}-cross-account-backup`,
      { globalSettings: { ...(org.otherGlobalSettings ?? {}), isCrossAccountBackupEnabled: "true" } },
      { parent: this, provider: management },
    );
  }
}
