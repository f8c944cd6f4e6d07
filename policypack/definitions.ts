import type { Policies, PolicyConfigSchema } from "@pulumi/policy";
import { Facts, TableFacts } from "./facts/model";
import { HeldDoc } from "./rules/docs";
import { cmkFindings } from "./rules/p01Encryption";
import { pitrFindings } from "./rules/p02PointInTimeRecovery";
import { deletionProtectionFindings } from "./rules/p03DeletionProtection";
import { dataActionFindings, managedDataFindings, managedWildcardFindings } from "./rules/p04BroadGrants";
import { leadingKeysStackFindings, wildcardActionFindings } from "./rules/p04LeastPrivilege";
import { endpointPolicyFindings, gatewayEndpointFindings } from "./rules/p05NetworkIsolation";
import { dataEventFindings } from "./rules/p06DataEvents";
import { publicAccessFindings } from "./rules/p07PublicAccess";
import { daxFindings } from "./rules/p08DaxEncryption";
import { backupCoverageFindings, vaultFindings } from "./rules/p09Backup";
import { autoscalingFindings } from "./rules/p10Capacity";
import {
  ConsumerLimits,
  consumerFindings,
  isStreamSource,
  mentionsStreamActions,
  streamPolicyFindings,
  streamViewFindings,
  unknownSourceConsumerFindings,
} from "./rules/p11Streams";
import { globalTableFindings, replicaKeyRegionFindings } from "./rules/p12GlobalTables";
import {
  PolicyConfig,
  booleanSetting,
  numberSetting,
  ownAccount,
  resourcePolicy,
  stackPolicy,
  stringListSetting,
  stringSetting,
} from "./policies";

/** Type tokens, by what the pack reads from them. */
export const TYPES = {
  tables: [
    "aws:dynamodb/table:Table",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws-native:dynamodb:Table",
    "aws-native:dynamodb:GlobalTable",
  ],
  nativeTables: ["aws-native:dynamodb:Table", "aws-native:dynamodb:GlobalTable"],
  resourcePolicy: ["aws:dynamodb/resourcePolicy:ResourcePolicy"],
  identityPolicies: [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/role:Role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws-native:iam:ManagedPolicy",
    "aws-native:iam:RolePolicy",
    "aws-native:iam:UserPolicy",
    "aws-native:iam:GroupPolicy",
    "aws-native:iam:Role",
    "aws-native:iam:User",
    "aws-native:iam:Group",
  ],
  endpoints: ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"],
  dax: ["aws:dax/cluster:Cluster"],
  vaults: ["aws:backup/vault:Vault", "aws-native:backup:BackupVault"],
  mappings: ["aws:lambda/eventSourceMapping:EventSourceMapping", "aws-native:lambda:EventSourceMapping"],
  globalTables: [
    "aws:dynamodb/table:Table",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:dynamodb/globalTable:GlobalTable",
    "aws-native:dynamodb:Table",
    "aws-native:dynamodb:GlobalTable",
  ],
};

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

function consumerLimits(config: PolicyConfig): ConsumerLimits {
  return {
    maximumRetryAttempts: numberSetting(config, "maximumRetryAttempts", 10, 0, 10000),
    maximumRecordAgeInSeconds: numberSetting(config, "maximumRecordAgeInSeconds", 86400, 60, 604800),
  };
}

const CONSUMER_LIMITS_SCHEMA: PolicyConfigSchema["properties"] = {
  maximumRetryAttempts: {
    type: "integer",
    minimum: 0,
    maximum: 10000,
    default: 10,
    description: "Highest maximumRetryAttempts a DynamoDB stream event source mapping may set.",
  },
  maximumRecordAgeInSeconds: {
    type: "integer",
    minimum: 60,
    maximum: 604800,
    default: 86400,
    description: "Highest maximumRecordAgeInSeconds a DynamoDB stream event source mapping may set.",
  },
};

function tableOnly(check: (t: TableFacts, config: PolicyConfig) => ReturnType<typeof cmkFindings>) {
  return (facts: Facts, config: PolicyConfig) => (facts.kind === "table" ? check(facts, config) : []);
}

/** Policy documents a resource carries, and whether they are resource policies (attached to a table or stream). */
function documentsOf(
  facts: Facts,
): { docs: HeldDoc[]; resourcePolicy: boolean; stream: HeldDoc[] } | undefined {
  switch (facts.kind) {
    case "identity-policy":
      return { docs: facts.docs, resourcePolicy: false, stream: [] };
    case "resource-policy": {
      const held = [{ label: "resource policy", doc: facts.doc }];
      const stream = facts.target === "stream" || (facts.target === "unknown" && mentionsStreamActions(held));
      return { docs: held, resourcePolicy: true, stream: stream ? held : [] };
    }
    case "table":
      return {
        docs: facts.embeddedPolicies,
        resourcePolicy: true,
        stream: facts.embeddedPolicies.filter((p) => p.stream),
      };
    default:
      return undefined;
  }
}

/** Every policy of the pack, with its defaults. */
export function definitions(): Policies {
  return [
    resourcePolicy({
      name: "dynamodb-customer-managed-key",
      description:
        "Practice 1: every DynamoDB table and replica is encrypted with a customer-managed KMS key (not AWS-owned, not alias/aws/dynamodb).",
      practices: [1],
      enforcementLevel: "mandatory",
      severity: "critical",
      types: TYPES.tables,
      remediationSteps:
        "Set serverSideEncryption.kmsKeyArn (aws), sseSpecification.kmsMasterKeyId (aws-native) and each replica's key to a customer-managed key in that region.",
      check: tableOnly((t) => cmkFindings(t)),
    }),
    resourcePolicy({
      name: "dynamodb-point-in-time-recovery",
      description:
        "Practice 2 (Security Hub DynamoDB.2): point-in-time recovery is on for every table and replica, with at least the configured recovery window.",
      practices: [2],
      enforcementLevel: "mandatory",
      severity: "critical",
      types: TYPES.tables,
      remediationSteps:
        "Turn PITR on (remediate level does it for you): pointInTimeRecovery.enabled (aws), pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled (aws-native), per replica.",
      config: {
        minimumRecoveryPeriodDays: {
          type: "integer",
          minimum: 1,
          maximum: 35,
          default: 7,
          description: "Smallest recoveryPeriodInDays allowed (PITR keeps 35 days when it is not set).",
        },
      },
      check: tableOnly((t, config) =>
        pitrFindings(t, numberSetting(config, "minimumRecoveryPeriodDays", 7, 1, 35)),
      ),
      remediation: {
        paths: (f) =>
          f.kind === "table" ? f.copies.filter((c) => c.pitr === "no").map((c) => c.pitrPath) : [],
      },
    }),
    resourcePolicy({
      name: "dynamodb-deletion-protection",
      description:
        "Practice 3 (Security Hub DynamoDB.6): deletion protection is on for every table and replica.",
      practices: [3],
      enforcementLevel: "mandatory",
      severity: "critical",
      types: TYPES.tables,
      remediationSteps:
        "Set deletionProtectionEnabled to true on the table and each replica (remediate level does it for you).",
      check: tableOnly((t) => deletionProtectionFindings(t)),
      remediation: {
        paths: (f) =>
          f.kind === "table"
            ? f.copies.filter((c) => c.deletionProtection === "no").map((c) => c.deletionProtectionPath)
            : [],
      },
    }),
    resourcePolicy({
      name: "dynamodb-no-wildcard-actions",
      description:
        'Practice 4: identity and resource policies grant no "*" or "dynamodb:*" actions (and no Allow with NotAction) on DynamoDB resources.',
      practices: [4],
      enforcementLevel: "mandatory",
      severity: "critical",
      types: [...TYPES.identityPolicies, ...TYPES.resourcePolicy, ...TYPES.nativeTables],
      remediationSteps: "List the named DynamoDB actions each principal needs on named table ARNs.",
      check: (facts) => {
        const held = documentsOf(facts);
        if (!held) return [];
        const managed =
          facts.kind === "identity-policy"
            ? managedWildcardFindings(facts.subject, facts.managedPolicies)
            : [];
        return [...wildcardActionFindings(facts.subject, held.docs, held.resourcePolicy), ...managed];
      },
    }),
    resourcePolicy({
      name: "dynamodb-data-actions-name-resources",
      description:
        'Practice 4: identity and resource policies, and the AWS-managed policies attached by ARN, grant data actions (items, PartiQL, stream reads, DAX items, KMS use) on named tables, streams, clusters and keys, not on "*" or table/*.',
      practices: [4],
      enforcementLevel: "mandatory",
      severity: "critical",
      types: [...TYPES.identityPolicies, ...TYPES.resourcePolicy, ...TYPES.nativeTables],
      remediationSteps:
        "Name the table ARNs (with /index/* or /stream/* where needed) in Resource, or scope with aws:ResourceTag; replace AWS-managed policies such as AmazonDynamoDBFullAccess with an inline least-privilege policy.",
      check: (facts) => {
        const held = documentsOf(facts);
        if (!held) return [];
        const managed =
          facts.kind === "identity-policy" ? managedDataFindings(facts.subject, facts.managedPolicies) : [];
        return [...dataActionFindings(facts.subject, held.docs, held.resourcePolicy), ...managed];
      },
    }),
    resourcePolicy({
      name: "dynamodb-vpc-endpoint-policy",
      description:
        "Practice 5: a DynamoDB VPC endpoint has a policy that allows named actions on named tables only.",
      practices: [5],
      enforcementLevel: "advisory",
      severity: "high",
      types: TYPES.endpoints,
      remediationSteps: "Attach an endpoint policy listing named actions on named table ARNs.",
      check: (facts) => (facts.kind === "vpc-endpoint" ? endpointPolicyFindings(facts) : []),
    }),
    resourcePolicy({
      name: "dynamodb-resource-policy-not-public",
      description:
        'Practice 7: table and stream resource policies grant nothing to "*" unless a trusted condition key restricts it (DynamoDB Block Public Access rules); with trusted accounts or an organization configured, no principal outside them.',
      practices: [7],
      enforcementLevel: "mandatory",
      severity: "critical",
      types: [...TYPES.resourcePolicy, ...TYPES.nativeTables],
      remediationSteps:
        'Name principals instead of "*", or restrict with aws:PrincipalOrgID / aws:PrincipalAccount / aws:SourceVpce.',
      config: {
        trustedAccountIds: {
          type: "array",
          items: { type: "string", pattern: "^\\d{12}$" },
          description:
            "Accounts whose principals resource policies may name (the table's own account is always trusted).",
        },
        organizationId: {
          type: "string",
          pattern: "^o-[a-z0-9]{10,32}$",
          description:
            "An AWS Organization: statements restricted to it with aws:PrincipalOrgID are trusted.",
        },
      },
      check: (facts, config) => {
        const held = documentsOf(facts);
        if (!held || !held.resourcePolicy) return [];
        const trust = {
          trustedAccountIds: stringListSetting(config, "trustedAccountIds", ACCOUNT_ID),
          organizationId: stringSetting(config, "organizationId", ORGANIZATION_ID),
        };
        return publicAccessFindings(facts.subject, held.docs, trust, ownAccount(facts));
      },
    }),
    resourcePolicy({
      name: "dynamodb-dax-encryption",
      description:
        "Practice 8 (Security Hub DynamoDB.3, DynamoDB.7): DAX clusters are encrypted at rest and serve TLS endpoints.",
      practices: [8],
      enforcementLevel: "mandatory",
      severity: "critical",
      types: TYPES.dax,
      remediationSteps:
        'Create the cluster with serverSideEncryption.enabled = true and clusterEndpointEncryptionType = "TLS".',
      check: (facts) => (facts.kind === "dax" ? daxFindings(facts) : []),
    }),
    resourcePolicy({
      name: "dynamodb-backup-vault-customer-key",
      description: "Practice 9: AWS Backup vaults are encrypted with a customer-managed KMS key.",
      practices: [9],
      enforcementLevel: "advisory",
      severity: "high",
      types: TYPES.vaults,
      remediationSteps:
        "Set the vault's kmsKeyArn (aws) or encryptionKeyArn (aws-native) to a customer-managed key.",
      check: (facts) => (facts.kind === "backup-vault" ? vaultFindings(facts) : []),
    }),
    resourcePolicy({
      name: "dynamodb-stream-least-privilege",
      description:
        "Practice 11: stream consumers (event source mappings) have an on-failure destination, bisect on error and bounded retries and record age; stream resource policies grant only stream reads.",
      practices: [11],
      enforcementLevel: "advisory",
      severity: "high",
      types: [...TYPES.mappings, ...TYPES.resourcePolicy, ...TYPES.nativeTables],
      remediationSteps:
        "Set destinationConfig.onFailure, bisectBatchOnFunctionError, maximumRetryAttempts and maximumRecordAgeInSeconds; grant streams only DescribeStream, GetRecords, GetShardIterator, ListStreams.",
      config: CONSUMER_LIMITS_SCHEMA,
      check: (facts, config) => {
        if (facts.kind === "event-source-mapping")
          return isStreamSource(facts) === "yes" ? consumerFindings(facts, consumerLimits(config)) : [];
        const held = documentsOf(facts);
        return held ? streamPolicyFindings(facts.subject, held.stream) : [];
      },
    }),
    resourcePolicy({
      name: "dynamodb-global-table-replicas",
      description:
        "Practice 12: no 2017 global tables, and every table and replica uses a KMS key from its own region.",
      practices: [12],
      enforcementLevel: "mandatory",
      severity: "high",
      types: TYPES.globalTables,
      remediationSteps:
        "Use global tables version 2019.11.21 with a key in each replica's region (replicas of a multi-Region key work).",
      check: tableOnly((t) => globalTableFindings(t)),
    }),
    stackPolicy({
      name: "dynamodb-stack",
      description:
        "Practices 4, 5, 6, 9, 10, 11, 12 across resources: tenant isolation on multi-tenant tables, replica keys in their region, a gateway endpoint for VPC compute, CloudTrail data events and AWS Backup (with copies elsewhere) for every table, autoscaling, bounded stream consumers.",
      practices: [4, 5, 6, 9, 10, 11, 12],
      enforcementLevel: "advisory",
      severity: "high",
      remediationSteps:
        "Each finding names the resource to add or the property to set; turn off the checks your organization covers elsewhere.",
      config: {
        requireLeadingKeys: {
          type: "boolean",
          default: true,
          description:
            "Practice 4: policies that reach tables tagged dynamodb-hardened:multi-tenant=true restrict item actions with dynamodb:LeadingKeys.",
        },
        leadingKeysInResourcePolicies: {
          type: "boolean",
          default: true,
          description:
            "Practice 4: also in the resource policies of those tables (a resource policy grant bypasses identity-policy conditions).",
        },
        requireReplicaKeyRegions: {
          type: "boolean",
          default: true,
          description: "Practice 12: keys created in the stack for a replica are in the replica's region.",
        },
        requireGatewayEndpoint: {
          type: "boolean",
          default: true,
          description: "Practice 5: VPC compute next to tables needs a DynamoDB gateway endpoint.",
        },
        requireDataEvents: {
          type: "boolean",
          default: true,
          description: "Practice 6: every table is covered by a trail that logs its data events.",
        },
        requireBackup: {
          type: "boolean",
          default: true,
          description: "Practice 9: every table is in an AWS Backup selection.",
        },
        requireBackupCopy: {
          type: "boolean",
          default: true,
          description: "Practice 9: that selection's plan copies to another account or region.",
        },
        requireAutoscaling: {
          type: "boolean",
          default: true,
          description: "Practice 10: provisioned tables and GSIs autoscale.",
        },
        requireStreamChecks: {
          type: "boolean",
          default: true,
          description:
            "Practice 11: consumers of streams created in the stack are bounded; NEW_AND_OLD_IMAGES needs replicas or a reason.",
        },
        ...CONSUMER_LIMITS_SCHEMA,
      },
      check: (model, config) => [
        ...(booleanSetting(config, "requireLeadingKeys", true)
          ? leadingKeysStackFindings(model, {
              resourcePolicies: booleanSetting(config, "leadingKeysInResourcePolicies", true),
            })
          : []),
        ...(booleanSetting(config, "requireReplicaKeyRegions", true) ? replicaKeyRegionFindings(model) : []),
        ...(booleanSetting(config, "requireGatewayEndpoint", true) ? gatewayEndpointFindings(model) : []),
        ...(booleanSetting(config, "requireDataEvents", true) ? dataEventFindings(model) : []),
        ...(booleanSetting(config, "requireBackup", true)
          ? backupCoverageFindings(model, { requireCopy: booleanSetting(config, "requireBackupCopy", true) })
          : []),
        ...(booleanSetting(config, "requireAutoscaling", true) ? autoscalingFindings(model) : []),
        ...(booleanSetting(config, "requireStreamChecks", true)
          ? [...unknownSourceConsumerFindings(model, consumerLimits(config)), ...streamViewFindings(model)]
          : []),
      ],
    }),
  ];
}
