import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { tableResourcePolicy } from "../access/tableAccess";
import { isAwsManagedDynamoDbKey, parseArn } from "../shared/arn";
import { policyJson } from "../shared/policyDocument";
import { CheckedTableInputs } from "./hardenedTableValidation";
import { ResolvedTableArgs } from "./resolveTableArgs";

const MAX_RESOURCE_POLICY_BYTES = 20 * 1024;

/**
 * AWS-managed keys cannot be shared with other accounts, so DynamoDB refuses cross-account use of a table
 * they encrypt (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html).
 */
function refuseCrossAccountWithAwsManagedKey(
  tableArn: string,
  table: ResolvedTableArgs,
  readers: string[],
  writers: string[],
): void {
  if (!isAwsManagedDynamoDbKey(String(table.args.kmsKeyArn ?? ""))) return;
  const tableAccount = parseArn(tableArn)?.accountId;
  const named = [
    ...readers.map((p, i) => [`access.readerPrincipals[${i}]`, p] as const),
    ...writers.map((p, i) => [`access.writerPrincipals[${i}]`, p] as const),
  ];
  for (const [propertyPath, principal] of named) {
    const account = parseArn(principal)?.accountId;
    if (account && tableAccount && account !== tableAccount) {
      throw new pulumi.InputPropertyError({
        propertyPath,
        reason: `${principal} is in account ${account}, but the table (account ${tableAccount}) is encrypted with the AWS-managed key alias/aws/dynamodb, which cannot be shared with other accounts: every request would fail on KMS (AccessDeniedException). Use a customer-managed key (leave kmsKeyArn unset)`,
      });
    }
  }
}

/**
 * One resource policy per region when `access` is set: the table's own and one per replica, since a
 * replica does not share its table's policy. Keyed by region (`default` for a table without a region).
 */
export function createTableResourcePolicies(
  parent: pulumi.ComponentResource,
  name: string,
  table: ResolvedTableArgs,
  checked: CheckedTableInputs,
  resource: aws.dynamodb.Table,
  regionArn: (region: string) => pulumi.Output<string>,
  /** Replicas that are `TableReplica` resources: a replica's policy waits for its replica. */
  replicaResources: Record<string, pulumi.Resource> = {},
): Record<string, aws.dynamodb.ResourcePolicy> {
  const policies: Record<string, aws.dynamodb.ResourcePolicy> = {};
  const access = table.args.access;
  if (!access) return policies;
  const policy = (
    resourceName: string,
    region: string | undefined,
    tableArn: pulumi.Input<string>,
    sourceVpce: pulumi.Input<string> | undefined,
    target: pulumi.Resource,
  ) => {
    const document = pulumi
      .all([
        tableArn,
        pulumi.all(checked.readerPrincipals ?? []),
        pulumi.all(checked.writerPrincipals ?? []),
        pulumi.output(sourceVpce),
      ])
      .apply(([arn, readerPrincipals, writerPrincipals, vpce]) => {
        refuseCrossAccountWithAwsManagedKey(arn, table, readerPrincipals, writerPrincipals);
        const document = tableResourcePolicy(arn, {
          readerPrincipals,
          writerPrincipals,
          sourceVpce: vpce,
          organizationId: access.organizationId,
          tenantPrincipalTag: access.tenantPrincipalTag,
        });
        // DynamoDB accepts resource policies of at most 20 KB, whitespace included
        // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html).
        const size = Buffer.byteLength(JSON.stringify(document));
        if (size > MAX_RESOURCE_POLICY_BYTES) {
          throw new pulumi.InputPropertyError({
            propertyPath: "access",
            reason: `the table's resource policy would be ${size} bytes; DynamoDB accepts at most ${MAX_RESOURCE_POLICY_BYTES}. Name fewer principals (e.g. one role per account, or a TableAccessRole)`,
          });
        }
        return document;
      });
    return new aws.dynamodb.ResourcePolicy(
      resourceName,
      { resourceArn: tableArn, policy: policyJson(document), region },
      { parent, dependsOn: [target] },
    );
  };
  policies[table.args.region ?? "default"] = policy(
    `${name}-policy`,
    table.args.region,
    resource.arn,
    checked.sourceVpce,
    resource,
  );
  // Each replica's policy names its own region's gateway endpoint: an endpoint serves only its region.
  for (const { region } of table.replicas) {
    policies[region] = policy(
      `${name}-policy-${region}`,
      region,
      regionArn(region),
      checked.replicaSourceVpces[region],
      replicaResources[region] ?? resource,
    );
  }
  return policies;
}
