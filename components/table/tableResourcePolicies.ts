import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { tableResourcePolicy } from "../access/tableAccess";
import { policyJson } from "../shared/policyDocument";
import { CheckedTableInputs } from "./hardenedTableValidation";
import { ResolvedTableArgs } from "./resolveTableArgs";

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
): Record<string, aws.dynamodb.ResourcePolicy> {
  const policies: Record<string, aws.dynamodb.ResourcePolicy> = {};
  const access = table.args.access;
  if (!access) return policies;
  const policy = (resourceName: string, region: string | undefined, tableArn: pulumi.Input<string>) => {
    const document = pulumi
      .all([
        tableArn,
        pulumi.all(checked.readerPrincipals ?? []),
        pulumi.all(checked.writerPrincipals ?? []),
        pulumi.output(checked.sourceVpce),
      ])
      .apply(([arn, readerPrincipals, writerPrincipals, sourceVpce]) =>
        tableResourcePolicy(arn, {
          readerPrincipals,
          writerPrincipals,
          sourceVpce,
          organizationId: access.organizationId,
          tenantPrincipalTag: access.tenantPrincipalTag,
        }),
      );
    return new aws.dynamodb.ResourcePolicy(
      resourceName,
      { resourceArn: tableArn, policy: policyJson(document), region },
      { parent, dependsOn: [resource] },
    );
  };
  policies[table.args.region ?? "default"] = policy(`${name}-policy`, table.args.region, resource.arn);
  for (const { region } of table.replicas) {
    policies[region] = policy(`${name}-policy-${region}`, region, regionArn(region));
  }
  return policies;
}
