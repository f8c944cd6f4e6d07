import { Facts } from "./model";
import * as n from "./normalize";
import { RawResource } from "./normalize";

/** What the pack knows a resource as; every rule reads facts of one or more kinds. */
export type Kind = Facts["kind"];
export type FactsOf<K extends Kind> = Extract<Facts, { kind: K }>;

/** A resource type the pack reads: the kind of facts it yields, and how to read them from its property bag. */
export interface ResourceType {
  kind: Kind;
  normalize: n.Normalizer;
}

/** An entry whose normalizer is checked to yield facts of its kind. */
function type<K extends Kind>(kind: K, normalize: n.Normalizer<FactsOf<K>>): ResourceType {
  return { kind, normalize };
}

/**
 * Every resource type the pack reads, by type token. The only list of types: which types a policy
 * validates, which resources the stack model holds, and the docs' list all come from here.
 * Supporting a type is one line: its token, its kind and its normalizer.
 */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
  "aws:dynamodb/table:Table": type("table", n.awsTable),
  "aws:dynamodb/tableReplica:TableReplica": type("table", n.awsTableReplica),
  "aws:dynamodb/globalTable:GlobalTable": type("table", n.awsLegacyGlobalTable),
  "aws-native:dynamodb:Table": type("table", n.nativeTable),
  "aws-native:dynamodb:GlobalTable": type("table", n.nativeGlobalTable),
  "aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex": type("gsi", n.awsGsi),
  "aws:dynamodb/resourcePolicy:ResourcePolicy": type("resource-policy", n.resourcePolicy),
  "aws:iam/policy:Policy": type("identity-policy", n.single("policy")),
  "aws:iam/rolePolicy:RolePolicy": type("identity-policy", n.single("policy")),
  "aws:iam/userPolicy:UserPolicy": type("identity-policy", n.single("policy")),
  "aws:iam/groupPolicy:GroupPolicy": type("identity-policy", n.single("policy")),
  "aws:iam/role:Role": type("identity-policy", n.inlineList("inlinePolicies", "policy", "name")),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": type("identity-policy", n.attachment),
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": type("identity-policy", n.attachment),
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": type("identity-policy", n.attachment),
  "aws:iam/policyAttachment:PolicyAttachment": type("identity-policy", n.attachment),
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": type(
    "identity-policy",
    n.attachment,
  ),
  "aws-native:iam:ManagedPolicy": type("identity-policy", n.single("policyDocument")),
  "aws-native:iam:RolePolicy": type("identity-policy", n.single("policyDocument")),
  "aws-native:iam:UserPolicy": type("identity-policy", n.single("policyDocument")),
  "aws-native:iam:GroupPolicy": type("identity-policy", n.single("policyDocument")),
  "aws-native:iam:Role": type("identity-policy", n.inlineList("policies", "policyDocument", "policyName")),
  "aws-native:iam:User": type("identity-policy", n.inlineList("policies", "policyDocument", "policyName")),
  "aws-native:iam:Group": type("identity-policy", n.inlineList("policies", "policyDocument", "policyName")),
  "aws:dax/cluster:Cluster": type("dax", n.dax),
  "aws:ec2/vpcEndpoint:VpcEndpoint": type("vpc-endpoint", n.endpoint("aws", "policy")),
  "aws-native:ec2:VpcEndpoint": type("vpc-endpoint", n.endpoint("aws-native", "policyDocument")),
  "aws:backup/vault:Vault": type("backup-vault", n.vault("aws", "kmsKeyArn", "name", "tags")),
  "aws-native:backup:BackupVault": type(
    "backup-vault",
    n.vault("aws-native", "encryptionKeyArn", "backupVaultName", "backupVaultTags"),
  ),
  "aws:backup/plan:Plan": type("backup-plan", n.awsPlan),
  "aws-native:backup:BackupPlan": type("backup-plan", n.nativePlan),
  "aws:backup/selection:Selection": type("backup-selection", n.awsSelection),
  "aws-native:backup:BackupSelection": type("backup-selection", n.nativeSelection),
  "aws:cloudtrail/trail:Trail": type("trail", n.trail("enableLogging", true)),
  "aws-native:cloudtrail:Trail": type("trail", n.trail("isLogging", false)),
  "aws:appautoscaling/target:Target": type("scaling-target", n.scalingTarget),
  "aws-native:applicationautoscaling:ScalableTarget": type("scaling-target", n.scalingTarget),
  "aws:appautoscaling/policy:Policy": type("scaling-policy", n.scalingPolicy),
  "aws-native:applicationautoscaling:ScalingPolicy": type("scaling-policy", n.scalingPolicy),
  "aws:lambda/eventSourceMapping:EventSourceMapping": type(
    "event-source-mapping",
    n.eventSourceMapping("aws", "destinationArn"),
  ),
  "aws-native:lambda:EventSourceMapping": type(
    "event-source-mapping",
    n.eventSourceMapping("aws-native", "destination"),
  ),
  "aws:kms/key:Key": type("kms-key", n.kmsKey),
  "aws:kms/replicaKey:ReplicaKey": type("kms-key", n.kmsKey),
  "aws-native:kms:Key": type("kms-key", n.kmsKey),
  "aws-native:kms:ReplicaKey": type("kms-key", n.kmsKey),
  "aws:lambda/function:Function": type("vpc-compute", n.compute(n.lambdaInVpc)),
  "aws-native:lambda:Function": type("vpc-compute", n.compute(n.lambdaInVpc)),
  "aws:ec2/instance:Instance": type("vpc-compute", n.compute(n.instanceInVpc)),
  "aws-native:ec2:Instance": type("vpc-compute", n.compute(n.instanceInVpc)),
  "aws:ecs/service:Service": type("vpc-compute", n.compute(n.awsEcsServiceInVpc)),
  "aws-native:ecs:Service": type("vpc-compute", n.compute(n.nativeEcsServiceInVpc)),
  "aws:autoscaling/group:Group": type("vpc-compute", n.compute(n.autoscalingGroupInVpc)),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": type(
    "route-association",
    n.association("subnet", "subnetId"),
  ),
  "aws-native:ec2:SubnetRouteTableAssociation": type(
    "route-association",
    n.association("subnet", "subnetId"),
  ),
  "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation": type(
    "route-association",
    n.association("endpoint", "vpcEndpointId"),
  ),
};

/** The kind of a type token, or undefined when the pack does not read that type. */
export function kindOfType(token: string): Kind | undefined {
  return Object.prototype.hasOwnProperty.call(RESOURCE_TYPES, token) ? RESOURCE_TYPES[token].kind : undefined;
}

/** Every type token whose facts are of one of `kinds`. */
export function typesOfKinds(kinds: readonly Kind[]): string[] {
  return Object.keys(RESOURCE_TYPES).filter((token) => kinds.includes(RESOURCE_TYPES[token].kind));
}

/** Facts of one resource, or undefined when its type is out of scope. Never throws on malformed input. */
export function normalize(r: RawResource): Facts | undefined {
  return kindOfType(r.type) ? RESOURCE_TYPES[r.type].normalize(r) : undefined;
}

export type { RawResource };
