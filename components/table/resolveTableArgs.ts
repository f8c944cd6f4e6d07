import * as pulumi from "@pulumi/pulumi";
import { isAwsManagedDynamoDbKey } from "../shared/arn";
import { KEY_DELETION_WINDOW_DAYS } from "../shared/customerManagedKey";
import { isKnown } from "../shared/validation";
import {
  HardenedTableArgs,
  HardenedTableAutoscalingArgs,
  HardenedTableReplicaArgs,
} from "./hardenedTableArgs";

/** The stream reason recorded when a stream exists because global table replication needs it. */
export const REPLICATION_STREAM_REASON = "global-table-replication";

/**
 * The settings a replica takes from the table unless it sets its own, as CDK's TableV2 shares one options
 * interface between the table and its replicas. Each is a hardened default that may only be turned off
 * with its opt-out argument, on the table or on any replica. Adding an inherited setting is one entry here
 * (plus the property on both argument interfaces, and where `tableResource.ts` passes it to AWS).
 */
export const REPLICA_INHERITED_SETTINGS = {
  pointInTimeRecovery: { default: true, optOut: "allowPointInTimeRecoveryDisabled", what: "PITR" },
  deletionProtection: {
    default: true,
    optOut: "allowDeletionProtectionDisabled",
    what: "deletion protection",
  },
} as const satisfies Partial<
  Record<
    keyof HardenedTableReplicaArgs & keyof HardenedTableArgs,
    { default: boolean; optOut: keyof HardenedTableArgs; what: string }
  >
>;

export type InheritedSetting = keyof typeof REPLICA_INHERITED_SETTINGS;
export type InheritedSettings = Record<InheritedSetting, boolean>;
const INHERITED = Object.keys(REPLICA_INHERITED_SETTINGS) as InheritedSetting[];

/** The defaults of `HardenedTable`, each declared once. */
export const TABLE_DEFAULTS = {
  billingMode: "PAY_PER_REQUEST",
  tableClass: "STANDARD",
  projectionType: "ALL",
  recoveryPeriodInDays: 35,
  replicaKeyStrategy: "multiRegion",
  consistency: "eventual",
  protect: true,
  targetUtilization: 70,
  scaleInCooldown: 60,
  scaleOutCooldown: 60,
  /** The least exposure for a stream the user asked for. */
  streamViewType: "KEYS_ONLY",
  /** What global table replication needs. */
  replicatedStreamViewType: "NEW_AND_OLD_IMAGES",
} as const;

/** A replica with every setting it inherits filled in. */
export interface ResolvedReplica extends InheritedSettings {
  region: string;
  /** The key the user named for this replica, if any. */
  kmsKeyArn?: pulumi.Input<string>;
  /** True when this replica uses the AWS-managed key (its own, or inherited from the table). */
  awsManagedKey: boolean;
  /** The table's child tags plus the replica's own. */
  tags: Record<string, string>;
}

/** The table's stream as it will be created. */
export interface ResolvedStream {
  viewType: string;
  /** Why the stream exists; kept in a tag the policy pack reads. */
  reason: string;
}

/** `HardenedTableArgs` with every default applied once: what the steps after validation read. */
export interface ResolvedTableArgs extends InheritedSettings {
  args: HardenedTableArgs;
  provisioned: boolean;
  autoscaling?: Required<HardenedTableAutoscalingArgs>;
  tableClass: string;
  recoveryPeriodInDays: number;
  protect: boolean;
  strongConsistency: boolean;
  /** True when the table uses the AWS-managed key `alias/aws/dynamodb`. */
  awsManagedKey: boolean;
  replicaKeyStrategy: string;
  keyDeletionWindowInDays: number;
  stream?: ResolvedStream;
  replicas: ResolvedReplica[];
  /** Tags for every child that takes tags. */
  tags: Record<string, string>;
}

/**
 * True when `key` is known now and is the AWS-managed DynamoDB key. A key given as an Output is a
 * customer-managed key until it resolves (its format is checked then); never `String()` an Output.
 */
export function isAwsManagedKeyInput(key: pulumi.Input<string> | undefined): boolean {
  return isKnown(key) && isAwsManagedDynamoDbKey(key);
}

/** The view type the table's stream gets, or undefined when there is none: replication needs full images. */
export function streamViewTypeOf(args: Pick<HardenedTableArgs, "stream" | "replicas">): string | undefined {
  const replicated = !!args.replicas?.length;
  if (!args.stream && !replicated) return undefined;
  return (
    args.stream?.viewType ??
    (replicated ? TABLE_DEFAULTS.replicatedStreamViewType : TABLE_DEFAULTS.streamViewType)
  );
}

function inheritedSettings(
  own: Partial<Record<InheritedSetting, boolean>>,
  from: InheritedSettings | undefined,
): InheritedSettings {
  const settings = {} as InheritedSettings;
  for (const key of INHERITED) {
    settings[key] = own[key] ?? from?.[key] ?? REPLICA_INHERITED_SETTINGS[key].default;
  }
  return settings;
}

/** Applies every default of valid `args` once; replicas inherit the table's settings they do not set. */
export function resolveTableArgs(args: HardenedTableArgs, tags: Record<string, string>): ResolvedTableArgs {
  const table = inheritedSettings(args, undefined);
  const awsManagedKey = isAwsManagedKeyInput(args.kmsKeyArn);
  const viewType = streamViewTypeOf(args);
  const replicated = !!args.replicas?.length;
  const scaling = args.autoscaling;
  return {
    ...table,
    args,
    provisioned: (args.billingMode ?? TABLE_DEFAULTS.billingMode) === "PROVISIONED",
    autoscaling: scaling && {
      ...scaling,
      targetUtilization: scaling.targetUtilization ?? TABLE_DEFAULTS.targetUtilization,
      scaleInCooldown: scaling.scaleInCooldown ?? TABLE_DEFAULTS.scaleInCooldown,
      scaleOutCooldown: scaling.scaleOutCooldown ?? TABLE_DEFAULTS.scaleOutCooldown,
    },
    tableClass: args.tableClass ?? TABLE_DEFAULTS.tableClass,
    recoveryPeriodInDays: args.recoveryPeriodInDays ?? TABLE_DEFAULTS.recoveryPeriodInDays,
    protect: args.protect ?? TABLE_DEFAULTS.protect,
    strongConsistency: args.consistency === "strong",
    awsManagedKey,
    replicaKeyStrategy: args.replicaKeyStrategy ?? TABLE_DEFAULTS.replicaKeyStrategy,
    keyDeletionWindowInDays: args.keyDeletionWindowInDays ?? KEY_DELETION_WINDOW_DAYS.default,
    stream: viewType
      ? {
          viewType,
          reason:
            args.stream?.reason ?? (replicated ? REPLICATION_STREAM_REASON : `least exposure: ${viewType}`),
        }
      : undefined,
    replicas: (args.replicas ?? []).map((replica) => ({
      ...inheritedSettings(replica, table),
      region: replica.region,
      kmsKeyArn: replica.kmsKeyArn,
      awsManagedKey:
        replica.kmsKeyArn === undefined ? awsManagedKey : isAwsManagedKeyInput(replica.kmsKeyArn),
      tags: { ...tags, ...(replica.tags ?? {}) },
    })),
    tags,
  };
}
