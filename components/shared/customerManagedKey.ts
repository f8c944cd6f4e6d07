import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { inRange } from "./validation";

/**
 * Days KMS waits before destroying a key scheduled for deletion: AWS allows 7 to 30, and every component
 * defaults to the longest window, so a mistaken deletion can be cancelled for a month.
 * https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html#deleting-keys-how-it-works
 */
export const KEY_DELETION_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;

/** Why `days` is not a deletion window KMS accepts (a check for the `keyDeletionWindowInDays` argument). */
export const checkKeyDeletionWindow = inRange(
  KEY_DELETION_WINDOW_DAYS.min,
  KEY_DELETION_WINDOW_DAYS.max,
  "days",
);

/** What differs between the customer-managed keys the components create. */
export interface CustomerManagedKeyArgs {
  /** What the key protects, shown in the KMS console. */
  description: string;
  /** The key policy, as JSON. */
  policy: pulumi.Input<string>;
  /** The key's region; undefined for the provider's. */
  region?: pulumi.Input<string>;
  tags: Record<string, string>;
  /** The user's `keyDeletionWindowInDays`; default `KEY_DELETION_WINDOW_DAYS.default`. */
  deletionWindowInDays?: number;
  /** A multi-Region primary key (replicated with `replicaKey`); omitted means a single-Region key. */
  multiRegion?: boolean;
}

/** A symmetric customer-managed KMS key with automatic yearly rotation: the one every component creates. */
export function customerManagedKey(
  name: string,
  args: CustomerManagedKeyArgs,
  opts: pulumi.CustomResourceOptions,
): aws.kms.Key {
  const { deletionWindowInDays, multiRegion, ...rest } = args;
  return new aws.kms.Key(
    name,
    {
      ...rest,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowInDays ?? KEY_DELETION_WINDOW_DAYS.default,
      ...(multiRegion === undefined ? {} : { multiRegion }),
    },
    opts,
  );
}

/** A replica, in `region`, of a multi-Region key made by `customerManagedKey` (rotation follows the primary). */
export function replicaKey(
  name: string,
  args: Omit<CustomerManagedKeyArgs, "multiRegion"> & { primaryKeyArn: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
): aws.kms.ReplicaKey {
  const { deletionWindowInDays, ...rest } = args;
  return new aws.kms.ReplicaKey(
    name,
    { ...rest, deletionWindowInDays: deletionWindowInDays ?? KEY_DELETION_WINDOW_DAYS.default },
    opts,
  );
}
