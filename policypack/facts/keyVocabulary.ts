import { KeyState } from "./model";

/**
 * The three kinds of KMS key, worded as AWS words them
 * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html):
 * - AWS-owned: owned and used by the service across accounts; not in your account, no key policy you can
 *   read, no CloudTrail record of its use (DynamoDB's default).
 * - AWS-managed: in your account (`alias/aws/dynamodb`, `aws/backup`), created by the service; its key policy
 *   cannot be changed and AWS rotates it every year.
 * - customer-managed: created by you; you write its key policy, rotation, grants, and can disable it.
 */
export function keyPhrase(key: KeyState, defaultAlias = "alias/aws/dynamodb"): string {
  switch (key.kind) {
    case "aws-owned":
      return "an AWS-owned key";
    case "aws-managed":
      return `the AWS-managed key ${key.ref ?? defaultAlias}`;
    case "table-default":
      return `its table's default key (the AWS-owned key, or the AWS-managed key ${defaultAlias} when the table enables SSE without naming a key)`;
    case "customer":
      return `the customer-managed key ${key.ref}`;
    default:
      return "a key not known yet";
  }
}

/** Why a key that is not customer-managed falls short of practice 1. */
export function keyShortfall(key: KeyState): string {
  switch (key.kind) {
    case "aws-owned":
      return "it is not in your account: no key policy of yours, no CloudTrail record of its use, no way to revoke access.";
    case "aws-managed":
      return "its key policy cannot be changed, so you cannot restrict, schedule the rotation of, or revoke it.";
    case "table-default":
      return "neither is customer-managed: you cannot restrict, audit or revoke access through the key.";
    default:
      return "";
  }
}
