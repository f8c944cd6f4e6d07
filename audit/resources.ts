import type { ScalableTarget, ScalingPolicy } from "@aws-sdk/client-application-auto-scaling";
import type { BackupVaultListMember } from "@aws-sdk/client-backup";
import type { Trail } from "@aws-sdk/client-cloudtrail";
import type { Cluster } from "@aws-sdk/client-dax";
import type { GlobalTable } from "@aws-sdk/client-dynamodb";
import type { VpcEndpoint } from "@aws-sdk/client-ec2";
import type { EventSourceMappingConfiguration } from "@aws-sdk/client-lambda";
import type { SubnetRoute } from "./readers/ec2";
import type { VpcFunction } from "./readers/lambda";
import { PackResource, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_OBJECT, UNKNOWN_STRING } from "./pack";
import type { PlanRead } from "./readers/backup";
import type { TrailDetail } from "./readers/cloudtrail";
import type { TableRead } from "./readers/dynamodb";
import type { VaultRead } from "./readers/backup";
import { type KeyManager, type KeyRead, rotatable } from "./readers/kms";
import { partitionOf } from "../components/shared/partitions";

/**
 * From AWS API responses to the resources the pack reads at preview: `@pulumi/aws` type tokens and input
 * property names (which follow the AWS API, camel-cased). A value the audit could not read is given as the
 * engine's unknown, so the pack's rules neither pass nor fail on it.
 */

export interface Place {
  account: string;
  region: string;
}

function resource(
  place: Place,
  type: string,
  urn: string,
  name: string,
  props: Record<string, unknown>,
  dependencies?: Record<string, string[]>,
): PackResource {
  return { type, urn, name, props: { ...props, region: place.region }, ...place, dependencies };
}

function encryption(read: TableRead, manager: KeyManager | undefined): unknown {
  const sse = read.table.SSEDescription;
  if (!sse || (sse.Status !== "ENABLED" && sse.Status !== "UPDATING") || sse.SSEType !== "KMS")
    return undefined; // AWS-owned key: DescribeTable has no SSEDescription, or SSE is not KMS
  if (manager === "AWS") return { enabled: true };
  if (manager === "CUSTOMER" && sse.KMSMasterKeyArn) return { enabled: true, kmsKeyArn: sse.KMSMasterKeyArn };
  return { enabled: true, kmsKeyArn: UNKNOWN_STRING };
}

/** The table's key ARN when it uses a KMS key (customer-managed or AWS-managed). */
export function tableKeyArn(read: TableRead): string | undefined {
  const sse = read.table.SSEDescription;
  return sse?.SSEType === "KMS" ? sse.KMSMasterKeyArn : undefined;
}

/**
 * A table and, when it has them, its table and stream resource policies. `keyUrn`: the customer-managed key's
 * resource, which the table's encryption depends on as `kmsKeyArn: key.arn` makes it at preview.
 */
export function tableResources(
  place: Place,
  read: TableRead,
  key: KeyManager | undefined,
  keyUrn?: string,
): PackResource[] {
  const t = read.table;
  const arn = t.TableArn!;
  const name = t.TableName ?? arn.split("/").pop()!;
  const pitr = read.backups instanceof Error ? undefined : read.backups.PointInTimeRecoveryDescription;
  const billing = t.BillingModeSummary?.BillingMode ?? "PROVISIONED";
  const replicas = (t.Replicas ?? []).filter((r) => r.RegionName && r.RegionName !== place.region);
  const out: PackResource[] = [
    resource(
      place,
      "aws:dynamodb/table:Table",
      arn,
      name,
      {
        name,
        arn,
        billingMode: billing,
        serverSideEncryption: encryption(read, key),
        pointInTimeRecovery:
          read.backups instanceof Error
            ? UNKNOWN_OBJECT
            : {
                enabled: pitr?.PointInTimeRecoveryStatus === "ENABLED",
                recoveryPeriodInDays: pitr?.RecoveryPeriodInDays,
              },
        deletionProtectionEnabled: t.DeletionProtectionEnabled === true,
        streamEnabled: t.StreamSpecification?.StreamEnabled === true,
        streamViewType: t.StreamSpecification?.StreamEnabled
          ? t.StreamSpecification.StreamViewType
          : undefined,
        streamArn: t.LatestStreamArn,
        globalSecondaryIndexes: (t.GlobalSecondaryIndexes ?? []).map((g) => ({ name: g.IndexName })),
        // Each replica is a table in its own region and is audited there, with its own key, PITR and deletion
        // protection; here it only counts as a replica.
        replicas: replicas.map((r) => ({
          regionName: r.RegionName,
          kmsKeyArn: UNKNOWN_STRING,
          pointInTimeRecovery: UNKNOWN_BOOL,
          deletionProtectionEnabled: UNKNOWN_BOOL,
        })),
        tags: read.tags instanceof Error ? UNKNOWN_OBJECT : read.tags,
      },
      keyUrn ? { serverSideEncryption: [keyUrn] } : undefined,
    ),
  ];
  const policy = (target: string, text: string | undefined | Error, label: string) => {
    if (text === undefined) return;
    out.push(
      resource(place, "aws:dynamodb/resourcePolicy:ResourcePolicy", `${target}#resource-policy`, label, {
        resourceArn: target,
        policy: text instanceof Error ? UNKNOWN_STRING : text,
      }),
    );
  };
  policy(arn, read.policy, name);
  if (t.LatestStreamArn && t.StreamSpecification?.StreamEnabled)
    policy(t.LatestStreamArn, read.streamPolicy, `${name} stream`);
  return out;
}

export function legacyGlobalTableResource(place: Place, g: GlobalTable): PackResource {
  const name = g.GlobalTableName ?? "(unnamed)";
  return resource(
    place,
    "aws:dynamodb/globalTable:GlobalTable",
    `arn:${partitionOf(place.region)}:dynamodb::${place.account}:global-table/${name}`,
    name,
    { name, replicas: (g.ReplicationGroup ?? []).map((r) => ({ regionName: r.RegionName })) },
  );
}

export function daxResource(place: Place, c: Cluster): PackResource {
  const name = c.ClusterName ?? "(unnamed)";
  return resource(place, "aws:dax/cluster:Cluster", c.ClusterArn ?? name, name, {
    clusterName: name,
    serverSideEncryption: { enabled: c.SSEDescription?.Status === "ENABLED" },
    clusterEndpointEncryptionType: c.ClusterEndpointEncryptionType ?? "NONE",
  });
}

export function endpointResource(place: Place, e: VpcEndpoint): PackResource {
  const id = e.VpcEndpointId ?? "(unnamed)";
  return resource(
    place,
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    `arn:${partitionOf(place.region)}:ec2:${place.region}:${e.OwnerId ?? place.account}:vpc-endpoint/${id}`,
    id,
    {
      serviceName: e.ServiceName,
      vpcEndpointType: e.VpcEndpointType,
      vpcId: e.VpcId,
      routeTableIds: e.RouteTableIds ?? [],
      policy: e.PolicyDocument,
      tags: Object.fromEntries((e.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
    },
  );
}

/** A Lambda function in a VPC, as `vpcConfig.subnetIds` declares it. */
export function functionResource(place: Place, f: VpcFunction): PackResource {
  return resource(place, "aws:lambda/function:Function", f.arn, f.name, {
    name: f.name,
    vpcConfig: { subnetIds: f.subnets, vpcId: f.vpcId },
  });
}

/**
 * A subnet's route table as a program declares it, an association; a subnet without an explicit one uses its
 * VPC's main route table, given the same way so the pack decides as for a declared association.
 */
export function subnetRouteResource(place: Place, r: SubnetRoute): PackResource {
  const id = `${r.subnet}/${r.routeTable}`;
  return resource(
    place,
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    `aws://${place.account}/${place.region}/route-table-association/${id}`,
    id,
    { subnetId: r.subnet, routeTableId: r.routeTable },
  );
}

export function vaultResource(
  place: Place,
  v: BackupVaultListMember,
  key: KeyManager | undefined,
): PackResource {
  const name = v.BackupVaultName ?? "(unnamed)";
  return resource(place, "aws:backup/vault:Vault", v.BackupVaultArn ?? name, name, {
    name,
    kmsKeyArn:
      key === "AWS" || !v.EncryptionKeyArn
        ? undefined
        : key === "CUSTOMER"
          ? v.EncryptionKeyArn
          : UNKNOWN_STRING,
  });
}

/**
 * A customer-managed key as a program declares it: `aws.kms.Key`, `aws.kms.ReplicaKey` for the replica of a
 * multi-Region key, `aws.kms.ExternalKey` for imported material. What could not be read (a key in another account,
 * a refused call) is unknown, so the pack neither passes nor fails on it. AWS-managed keys are not resources of
 * a program: none.
 */
export function keyResource(place: Place, k: KeyRead): PackResource | undefined {
  if (k.manager !== "CUSTOMER") return undefined;
  const m = k.metadata;
  const owner = k.arn.split(":")[4] || place.account;
  const multiRegion = m?.MultiRegionConfiguration;
  const type =
    m?.Origin === "EXTERNAL"
      ? "aws:kms/externalKey:ExternalKey"
      : multiRegion?.MultiRegionKeyType === "REPLICA"
        ? "aws:kms/replicaKey:ReplicaKey"
        : "aws:kms/key:Key";
  const rotation = k.rotation;
  return resource(
    { account: owner, region: place.region },
    type,
    k.arn,
    m?.KeyId ?? k.arn.split("/").pop()!,
    {
      arn: k.arn,
      keyId: m?.KeyId ?? UNKNOWN_STRING,
      description: m?.Description,
      keyUsage: m ? (m.KeyUsage ?? "ENCRYPT_DECRYPT") : UNKNOWN_STRING,
      customerMasterKeySpec: m
        ? (m.KeySpec ?? m.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT")
        : UNKNOWN_STRING,
      multiRegion: m ? m.MultiRegion === true : UNKNOWN_BOOL,
      isEnabled: m ? m.Enabled === true : UNKNOWN_BOOL,
      customKeyStoreId: m?.CustomKeyStoreId,
      primaryKeyArn: multiRegion?.MultiRegionKeyType === "REPLICA" ? multiRegion.PrimaryKey?.Arn : undefined,
      // Asked only of keys KMS can rotate; the others cannot have it on.
      enableKeyRotation:
        rotation === undefined
          ? m && !rotatable(m)
            ? false
            : UNKNOWN_BOOL
          : rotation instanceof Error
            ? UNKNOWN_BOOL
            : rotation.enabled,
      rotationPeriodInDays: rotation && !(rotation instanceof Error) ? rotation.periodInDays : undefined,
      policy: typeof k.policy === "string" ? k.policy : UNKNOWN_STRING,
    },
  );
}

/**
 * A vault's lock (`aws.backup.VaultLockConfiguration`, from ListBackupVaults' lock fields) and access policy
 * (`aws.backup.VaultPolicy`, GetBackupVaultAccessPolicy), each depending on the vault as `backupVaultName:
 * vault.name` makes it at preview. A vault without a lock or a policy has no such resource, as in a program.
 */
export function vaultPartResources(place: Place, v: VaultRead): PackResource[] {
  const vault = v.vault;
  const name = vault.BackupVaultName ?? "(unnamed)";
  const arn = vault.BackupVaultArn ?? name;
  const out: PackResource[] = [];
  const depends = { backupVaultName: [arn] };
  if (vault.Locked || vault.MinRetentionDays !== undefined || vault.MaxRetentionDays !== undefined) {
    const lockDate = vault.LockDate ? new Date(vault.LockDate) : undefined;
    const daysLeft = lockDate ? Math.ceil((lockDate.getTime() - Date.now()) / 86_400_000) : undefined;
    out.push(
      resource(
        place,
        "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
        `${arn}#lock`,
        `${name} lock`,
        {
          backupVaultName: name,
          minRetentionDays: vault.MinRetentionDays,
          maxRetentionDays: vault.MaxRetentionDays,
          // Compliance mode once the grace time is over (Locked); until then the days left to change it.
          changeableForDays: daysLeft !== undefined && daysLeft > 0 ? daysLeft : undefined,
          locked: vault.Locked === true,
          lockDate: lockDate?.toISOString(),
        },
        depends,
      ),
    );
  }
  if (typeof v.policy === "string") {
    out.push(
      resource(
        place,
        "aws:backup/vaultPolicy:VaultPolicy",
        `${arn}#access-policy`,
        `${name} access policy`,
        { backupVaultName: name, policy: v.policy },
        depends,
      ),
    );
  }
  return out;
}

function conditionList(list: { ConditionKey?: string; ConditionValue?: string }[] | undefined) {
  return (list ?? []).map((c) => ({ key: c.ConditionKey, value: c.ConditionValue }));
}

/** A plan and its selections; each selection depends on its plan, as `planId: plan.id` would at preview. */
export function planResources(place: Place, p: PlanRead): PackResource[] {
  const out: PackResource[] = [
    resource(place, "aws:backup/plan:Plan", p.arn, p.name, {
      name: p.name,
      rules: (p.plan.Rules ?? []).map((r) => ({
        ruleName: r.RuleName,
        targetVaultName: r.TargetBackupVaultName,
        copyActions: (r.CopyActions ?? []).map((c) => ({ destinationVaultArn: c.DestinationBackupVaultArn })),
      })),
    }),
  ];
  for (const { id, selection: s } of p.selections) {
    const c = s.Conditions;
    out.push(
      resource(
        place,
        "aws:backup/selection:Selection",
        `${p.arn}/selection/${id}`,
        s.SelectionName ?? id,
        {
          name: s.SelectionName,
          planId: p.id,
          iamRoleArn: s.IamRoleArn,
          resources: s.Resources,
          notResources: s.NotResources,
          selectionTags: (s.ListOfTags ?? []).map((t) => ({
            type: t.ConditionType,
            key: t.ConditionKey,
            value: t.ConditionValue,
          })),
          conditions: c
            ? [
                {
                  stringEquals: conditionList(c.StringEquals),
                  stringLikes: conditionList(c.StringLike),
                  stringNotEquals: conditionList(c.StringNotEquals),
                  stringNotLikes: conditionList(c.StringNotLike),
                },
              ]
            : [],
        },
        { planId: [p.arn] },
      ),
    );
  }
  return out;
}

type Field = { Field?: string } & Partial<
  Record<"Equals" | "StartsWith" | "EndsWith" | "NotEquals" | "NotStartsWith" | "NotEndsWith", string[]>
>;

export function trailResource(place: Place, t: Trail, detail: TrailDetail | Error): PackResource {
  const arn = t.TrailARN!;
  const account = arn.split(":")[4] || place.account;
  const known = !(detail instanceof Error);
  const selectors = known ? detail.selectors : undefined;
  return {
    ...resource(
      { account, region: t.HomeRegion ?? place.region },
      "aws:cloudtrail/trail:Trail",
      arn,
      t.Name ?? arn,
      {
        name: t.Name,
        enableLogging: known ? detail.logging : UNKNOWN_BOOL,
        isMultiRegionTrail: t.IsMultiRegionTrail === true,
        isOrganizationTrail: t.IsOrganizationTrail === true,
        eventSelectors: known
          ? (selectors?.EventSelectors ?? []).map((s) => ({
              readWriteType: s.ReadWriteType,
              dataResources: (s.DataResources ?? []).map((d) => ({ type: d.Type, values: d.Values })),
            }))
          : UNKNOWN_ARRAY,
        advancedEventSelectors: known
          ? (selectors?.AdvancedEventSelectors ?? []).map((s) => ({
              name: s.Name,
              fieldSelectors: (s.FieldSelectors as Field[] | undefined)?.map((f) => ({
                field: f.Field,
                equals: f.Equals,
                startsWiths: f.StartsWith,
                endsWiths: f.EndsWith,
                notEquals: f.NotEquals,
                notStartsWiths: f.NotStartsWith,
                notEndsWiths: f.NotEndsWith,
              })),
            }))
          : UNKNOWN_ARRAY,
      },
    ),
  };
}

export function scalingResources(
  place: Place,
  targets: ScalableTarget[],
  policies: ScalingPolicy[],
): PackResource[] {
  return [
    ...targets.map((t) =>
      resource(
        place,
        "aws:appautoscaling/target:Target",
        t.ScalableTargetARN ??
          `scalable-target:${place.account}:${place.region}:${t.ResourceId}|${t.ScalableDimension}`,
        `${t.ResourceId} ${t.ScalableDimension}`,
        {
          serviceNamespace: t.ServiceNamespace,
          resourceId: t.ResourceId,
          scalableDimension: t.ScalableDimension,
        },
      ),
    ),
    ...policies.map((p) =>
      resource(
        place,
        "aws:appautoscaling/policy:Policy",
        p.PolicyARN ?? `${p.ResourceId}/${p.PolicyName}`,
        p.PolicyName ?? "(unnamed)",
        {
          name: p.PolicyName,
          policyType: p.PolicyType,
          serviceNamespace: p.ServiceNamespace,
          resourceId: p.ResourceId,
          scalableDimension: p.ScalableDimension,
        },
      ),
    ),
  ];
}

export function mappingResource(place: Place, m: EventSourceMappingConfiguration): PackResource {
  const id = m.UUID ?? "(unknown)";
  return resource(
    place,
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    m.EventSourceMappingArn ??
      `arn:${partitionOf(place.region)}:lambda:${place.region}:${place.account}:event-source-mapping:${id}`,
    id,
    {
      eventSourceArn: m.EventSourceArn,
      functionName: m.FunctionArn,
      destinationConfig: m.DestinationConfig?.OnFailure?.Destination
        ? { onFailure: { destinationArn: m.DestinationConfig.OnFailure.Destination } }
        : undefined,
      bisectBatchOnFunctionError: m.BisectBatchOnFunctionError === true,
      maximumRetryAttempts: m.MaximumRetryAttempts,
      maximumRecordAgeInSeconds: m.MaximumRecordAgeInSeconds,
    },
  );
}
