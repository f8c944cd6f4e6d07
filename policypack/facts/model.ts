import { PolicyDoc } from "./iam";
import { Maybe, Tri } from "./value";

/** The neutral model every rule reads. Values are tri-state: known good, known bad, or unknown (preview). */

export type Provider = "aws" | "aws-native";

/** The resource a fact (and a finding) is about: what exemptions match and diagnostics name. */
export interface Subject {
  urn: string;
  name: string;
  type: string;
  tags: Map<string, Maybe<string>>;
  tagsUnknown: boolean;
}

/** Where a resource is: region and account, when the resource or its provider says so. */
export interface Placement {
  region: Maybe<string>;
  account: Maybe<string>;
}

/** What encrypts a table copy or a vault. */
export type KeyState =
  | { kind: "customer"; ref: string; region?: string }
  | { kind: "unknown" }
  | { kind: "aws-owned" }
  | { kind: "aws-managed"; ref?: string }
  /** DynamoDB's default for a copy that names no key: its table's AWS-owned key, or alias/aws/dynamodb. */
  | { kind: "table-default" }
  | { kind: "undecided" };

/** A copy of the data: the table itself or one replica. Rules 1, 2, 3 and 12 run over these. */
export interface TableCopy {
  label: string;
  role: "table" | "replica";
  region: Maybe<string>;
  key: KeyState;
  /** The property to set for a customer-managed key. */
  keyPath: string;
  pitr: Tri;
  pitrDays: Maybe<number>;
  pitrPath: string;
  deletionProtection: Tri;
  deletionProtectionPath: string;
}

export interface CapacityScope {
  /** `table`, `index NAME`, `replica REGION`, `replica REGION index NAME`. */
  label: string;
  /** GSI name, for matching autoscaling targets. */
  index?: Maybe<string>;
  dimension: "read" | "write";
  /** Built-in autoscaling (aws-native GlobalTable); undefined when Application Auto Scaling must provide it. */
  autoscaled?: Tri;
}

export interface EmbeddedPolicy {
  label: string;
  path: string;
  stream: boolean;
  doc: PolicyDoc;
}

export interface TableFacts {
  kind: "table";
  subject: Subject;
  provider: Provider;
  /** `table` (a table, maybe with inline replicas), `replica` (a standalone replica resource), `legacy-global` (2017). */
  shape: "table" | "replica" | "legacy-global";
  placement: Placement;
  physicalName: Maybe<string>;
  copies: TableCopy[];
  provisioned: Tri;
  capacity: CapacityScope[];
  streamEnabled: Tri;
  streamViewType: Maybe<string>;
  streamViewPath: string;
  /** Replicas defined on the resource itself; UNKNOWN when the list is unknown. */
  inlineReplicas: Maybe<number>;
  /** For a standalone replica: the ARN of the table it replicates. */
  replicaOf?: Maybe<string>;
  embeddedPolicies: EmbeddedPolicy[];
}

export interface GsiFacts {
  kind: "gsi";
  subject: Subject;
  placement: Placement;
  tableName: Maybe<string>;
  indexName: Maybe<string>;
  provisioned: Tri;
}

export interface ResourcePolicyFacts {
  kind: "resource-policy";
  subject: Subject;
  placement: Placement;
  resourceArn: Maybe<string>;
  /** `stream` or `table` from the ARN or, when unknown, from the statements' own Resource ARNs. */
  target: "table" | "stream" | "unknown";
  doc: PolicyDoc;
}

/** A managed policy attached by ARN (AWS-managed or customer-managed). */
export interface ManagedAttachment {
  arn: Maybe<string>;
  /** The property that holds it: `policyArn`, `managedPolicyArns[2]`. */
  path: string;
}

export interface IdentityPolicyFacts {
  kind: "identity-policy";
  subject: Subject;
  docs: { label: string; path: string; doc: PolicyDoc }[];
  /** Managed policies attached by ARN (roles, users, groups, attachment resources). */
  managedPolicies: ManagedAttachment[];
}

export interface DaxFacts {
  kind: "dax";
  subject: Subject;
  encryptedAtRest: Tri;
  tls: Tri;
}

export interface EndpointFacts {
  kind: "vpc-endpoint";
  subject: Subject;
  placement: Placement;
  provider: Provider;
  dynamoDb: Tri;
  gateway: Tri;
  /** Route tables the gateway endpoint adds its route to (`routeTableIds`). */
  routeTables: Maybe<Maybe<string>[]>;
  /** Whether a policy is attached at all (absent means full access). */
  policyPresent: Tri;
  policyPath: string;
  doc: PolicyDoc;
}

export interface VaultFacts {
  kind: "backup-vault";
  subject: Subject;
  placement: Placement;
  provider: Provider;
  name: Maybe<string>;
  key: KeyState;
  keyPath: string;
}

export interface PlanFacts {
  kind: "backup-plan";
  subject: Subject;
  placement: Placement;
  /** Copy destinations of every rule; UNKNOWN entries are not known yet. */
  copyDestinations: Maybe<string>[];
  rulesUnknown: boolean;
}

export interface SelectionCondition {
  test: "equals" | "like" | "not-equals" | "not-like";
  key: Maybe<string>;
  value: Maybe<string>;
}

export interface SelectionFacts {
  kind: "backup-selection";
  subject: Subject;
  placement: Placement;
  planId: Maybe<string>;
  resources: Maybe<Maybe<string>[]>;
  notResources: Maybe<Maybe<string>[]>;
  /** `ListOfTags` / `selectionTags`: a resource matching any one is selected. */
  anyTags: SelectionCondition[];
  anyTagsUnknown: boolean;
  /** `Conditions`: all must match. */
  allConditions: SelectionCondition[];
  conditionsUnknown: boolean;
}

export interface TrailFacts {
  kind: "trail";
  subject: Subject;
  placement: Placement;
  logging: Tri;
  multiRegion: Tri;
  organization: Tri;
  /** Classic selectors: DynamoDB data resource values (`arn:aws:dynamodb` = every table). */
  dataResourceValues: Maybe<string>[];
  /** Advanced selectors that select DynamoDB table data events, with their ARN filters. */
  advanced: AdvancedSelector[];
  selectorsUnknown: boolean;
}

export interface FieldTest {
  field: string;
  op: "equals" | "startsWith" | "endsWith" | "notEquals" | "notStartsWith" | "notEndsWith";
  values: Maybe<string>[];
}

export interface AdvancedSelector {
  /** Field tests on `resources.ARN`; other fields are already resolved to "selects DynamoDB data events". */
  arnTests: FieldTest[];
  unknown: boolean;
}

export interface ScalingTargetFacts {
  kind: "scaling-target";
  subject: Subject;
  placement: Placement;
  namespace: Maybe<string>;
  resourceId: Maybe<string>;
  dimension: Maybe<string>;
}

export interface ScalingPolicyFacts {
  kind: "scaling-policy";
  subject: Subject;
  placement: Placement;
  namespace: Maybe<string>;
  resourceId: Maybe<string>;
  dimension: Maybe<string>;
  /** aws-native: the target's ID instead of resourceId/dimension. */
  targetId: Maybe<string>;
}

export interface EventSourceMappingFacts {
  kind: "event-source-mapping";
  subject: Subject;
  placement: Placement;
  provider: Provider;
  sourceArn: Maybe<string>;
  onFailure: Tri;
  bisect: Tri;
  retries: Maybe<number>;
  maxRecordAge: Maybe<number>;
}

export interface KeyFacts {
  kind: "kms-key";
  subject: Subject;
  placement: Placement;
  /**
   * Automatic rotation of the key material. `n/a` where KMS cannot rotate it automatically: asymmetric and HMAC
   * keys, imported or custom-key-store material, and replicas of a multi-Region key (set on the primary).
   */
  rotation: Tri | "n/a";
  /** The property that switches rotation on (`enableKeyRotation`). */
  rotationPath: string;
}

export interface ComputeFacts {
  kind: "vpc-compute";
  subject: Subject;
  placement: Placement;
  inVpc: Tri;
  /** The subnets it runs in (IDs), and the property whose dependencies name them when unknown. */
  subnets: Maybe<Maybe<string>[]>;
  subnetsKey: string;
}

/** A route table associated with a subnet, or with a gateway endpoint (an extra route table of the endpoint). */
export interface RouteAssociationFacts {
  kind: "route-association";
  subject: Subject;
  /** `subnet` (aws RouteTableAssociation, aws-native SubnetRouteTableAssociation) or `endpoint`. */
  of: "subnet" | "endpoint";
  /** The subnet or endpoint ID, and the route table ID (unknown at preview when created in the stack). */
  member: Maybe<string>;
  memberKey: string;
  routeTable: Maybe<string>;
}

export type Facts =
  | TableFacts
  | GsiFacts
  | ResourcePolicyFacts
  | IdentityPolicyFacts
  | DaxFacts
  | EndpointFacts
  | VaultFacts
  | PlanFacts
  | SelectionFacts
  | TrailFacts
  | ScalingTargetFacts
  | ScalingPolicyFacts
  | EventSourceMappingFacts
  | KeyFacts
  | ComputeFacts
  | RouteAssociationFacts;
