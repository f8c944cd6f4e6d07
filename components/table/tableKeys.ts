import * as pulumi from "@pulumi/pulumi";
import * as aws from "../shared/aws";
import { AccountContext } from "../shared/accountContext";
import { customerManagedKey, replicaKey } from "../shared/customerManagedKey";
import { dynamoDbKeyPolicy } from "../shared/kmsKeyPolicy";
import { policyJson } from "../shared/policyDocument";
import { CheckedTableInputs } from "./hardenedTableValidation";
import { ResolvedTableArgs } from "./resolveTableArgs";

/** The table's encryption keys: the one it created (if any), and the key ARN used in each region. */
export interface TableKeys {
  primary?: aws.kms.Key;
  /** The table's own key; undefined for the AWS-managed key. */
  tableKeyArn?: pulumi.Input<string>;
  /** Each replica's key by region; undefined for the AWS-managed key. */
  arns: Record<string, pulumi.Input<string> | undefined>;
}

/**
 * Creates the keys the table needs: a customer-managed key unless one was given, and one key per replica
 * region (a replica of a multi-Region key, or an independent key with `perRegion`).
 */
export function createTableKeys(
  parent: pulumi.ComponentResource,
  name: string,
  table: ResolvedTableArgs,
  checked: CheckedTableInputs,
  account: AccountContext,
  region: pulumi.Input<string>,
): TableKeys {
  const { args, replicas, tags } = table;
  const multiRegion = table.replicaKeyStrategy === "multiRegion";
  const deletionWindowInDays = table.keyDeletionWindowInDays;
  const keyPolicy = (r: pulumi.Input<string>) =>
    policyJson(
      pulumi
        .all([account.partition, account.accountId, r])
        .apply(([partition, accountId, keyRegion]) =>
          dynamoDbKeyPolicy({ partition, accountId, region: keyRegion }),
        ),
    );
  const opts = { parent };
  const arns: Record<string, pulumi.Input<string> | undefined> = {};

  let primary: aws.kms.Key | undefined;
  let tableKeyArn: pulumi.Input<string> | undefined = table.awsManagedKey ? undefined : checked.kmsKeyArn;
  if (args.kmsKeyArn === undefined) {
    primary = customerManagedKey(
      `${name}-key`,
      {
        description: `DynamoDB table ${name}: customer-managed encryption key`,
        deletionWindowInDays,
        multiRegion: replicas.length > 0 && multiRegion,
        policy: keyPolicy(region),
        region: args.region,
        tags,
      },
      opts,
    );
    tableKeyArn = primary.arn;
  }

  for (const replica of replicas) {
    const given = checked.replicaKmsKeyArns[replica.region];
    const keyArgs = {
      description: `DynamoDB table ${name}: replica key in ${replica.region}`,
      deletionWindowInDays,
      policy: keyPolicy(replica.region),
      region: replica.region,
      tags: replica.tags,
    };
    if (replica.awsManagedKey) {
      arns[replica.region] = undefined;
    } else if (given !== undefined) {
      arns[replica.region] = given;
    } else if (primary && multiRegion) {
      arns[replica.region] = replicaKey(
        `${name}-key-${replica.region}`,
        { ...keyArgs, primaryKeyArn: primary.arn },
        opts,
      ).arn;
    } else {
      arns[replica.region] = customerManagedKey(
        `${name}-key-${replica.region}`,
        { ...keyArgs, multiRegion: false },
        opts,
      ).arn;
    }
  }
  return { primary, tableKeyArn, arns };
}
