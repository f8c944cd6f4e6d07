import * as pulumi from "@pulumi/pulumi";
import * as aws from "../shared/aws";
import { dynamoDbEncryptionContext } from "../streams/streamPolicies";
import { TableKeys } from "./tableKeys";

/**
 * KMS operations DynamoDB performs with a table's key on behalf of a reader. Constraints do not apply to
 * DescribeKey (https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html).
 */
export const TABLE_KEY_READ_OPERATIONS = ["Decrypt", "DescribeKey"] as const;
/** ... and on behalf of a writer. */
export const TABLE_KEY_WRITE_OPERATIONS = ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"] as const;

/** One table key (the table's or a replica's) and the region it lives in. */
export interface RegionalTableKey {
  region: string | undefined;
  /** Suffix of the grant resource names for this region ("" for the table's own region). */
  suffix: string;
  keyArn: pulumi.Input<string>;
}

/** The table's customer-managed keys by region (none for the AWS-managed key). */
export function regionalTableKeys(
  region: string | undefined,
  replicas: { region: string }[],
  keys: TableKeys,
): RegionalTableKey[] {
  const out: RegionalTableKey[] = [];
  if (keys.tableKeyArn !== undefined) out.push({ region, suffix: "", keyArn: keys.tableKeyArn });
  for (const { region: r } of replicas) {
    const keyArn = keys.arns[r];
    if (keyArn !== undefined) out.push({ region: r, suffix: `-${r}`, keyArn });
  }
  return out;
}

/**
 * Grants the principals named in `access` use of the table's customer-managed key(s) through DynamoDB.
 *
 * A table resource policy lets a principal of another account call DynamoDB, but DynamoDB then uses the
 * table's key on the caller's behalf, and the key policy allows only the table's own account
 * (`kms:CallerAccount`). Cross-account use needs the key to name the caller
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html). A
 * grant needs no change to the key policy (which would depend on the table's name, a cycle) and no IAM
 * permission in the caller's account; it is constrained to the encryption context DynamoDB sends for this
 * table (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html), so
 * the key serves nothing else.
 */
export function grantTableKeyUse(
  name: string,
  keys: RegionalTableKey[],
  readers: pulumi.Input<string>[],
  writers: pulumi.Input<string>[],
  tableName: pulumi.Input<string>,
  tableAccountId: pulumi.Input<string>,
  parent: pulumi.Resource,
): aws.kms.Grant[] {
  const context = pulumi
    .all([tableName, tableAccountId])
    .apply(([table, account]) => dynamoDbEncryptionContext(table, account));
  const grants: aws.kms.Grant[] = [];
  const principals = [
    ...readers.map((p, i) => ({ principal: p, label: `reader-${i}`, ops: TABLE_KEY_READ_OPERATIONS })),
    ...writers.map((p, i) => ({ principal: p, label: `writer-${i}`, ops: TABLE_KEY_WRITE_OPERATIONS })),
  ];
  for (const key of keys) {
    for (const { principal, label, ops } of principals) {
      grants.push(
        new aws.kms.Grant(
          `${name}-key-${label}${key.suffix}`,
          {
            name: `${name}-table-${label}`,
            keyId: key.keyArn,
            granteePrincipal: principal,
            operations: [...ops],
            constraints: [{ encryptionContextSubset: context }],
            region: key.region,
          },
          { parent },
        ),
      );
    }
  }
  return grants;
}
