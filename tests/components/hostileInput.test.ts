/**
 * Hostile and careless input for every component (issue 19, items 3, 4, 6 and 7), one case per input, as
 * data: each must be refused with a problem naming the argument, and nothing may be registered, neither
 * the component nor a child. Inputs only known at deploy (Outputs, the provider's account) must fail the
 * deployment once known, before any child resource is registered.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  CentralBackupVault,
  DynamoDbDataEventsTrail,
  DynamoDbGatewayEndpoint,
  HardenedDaxCluster,
  HardenedTable,
  OrganizationGuardrails,
  StreamAccessGrant,
  StreamConsumer,
  TableAccessRole,
  TableBackupPlan,
} from "../../components";
import { RecordedResource, record } from "../harness/record";
import { deferredRejectionOf, rejectionOf } from "../harness/rejection";

const ACCOUNT = "111111111111";
const OTHER_ACCOUNT = "444444444444";
const BACKUP_ACCOUNT = "999999999999";
const REGION = "us-east-1";
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
const STREAM = `${TABLE}/stream/2026-01-01T00:00:00.000`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const KEY_IN_EU = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const KEY_IN_OTHER_ACCOUNT = `arn:aws:kms:${REGION}:${OTHER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/orders-reader`;
const CENTRAL_VAULT = `arn:aws:backup:${REGION}:${BACKUP_ACCOUNT}:backup-vault:central`;
const LONG = "x".repeat(256);

type Args = Record<string, unknown>;

/** Every component, with arguments it accepts and the provider it is deployed with. */
const COMPONENTS = {
  HardenedTable: {
    args: {
      region: REGION,
      hashKey: "pk",
      attributes: [{ name: "pk", type: "S" }],
      tags: { team: "orders" },
    },
    build: (args: unknown) => new HardenedTable("orders", args as never),
  },
  TableAccessRole: {
    args: { tableArn: TABLE, trustedPrincipals: [ROLE], externalId: "orders-7f3a9c" },
    build: (args: unknown) => new TableAccessRole("orders-access", args as never),
  },
  DynamoDbGatewayEndpoint: {
    args: {
      region: REGION,
      vpcId: "vpc-0a1b2c3d4e5f67890",
      routeTableIds: ["rtb-0a1b2c3d"],
      tableArns: [TABLE],
    },
    build: (args: unknown) => new DynamoDbGatewayEndpoint("edge", args as never),
  },
  HardenedDaxCluster: {
    args: {
      region: REGION,
      vpcId: "vpc-0a1b2c3d4e5f67890",
      subnetIds: ["subnet-0a1b2c3d", "subnet-0b2c3d4e", "subnet-0c3d4e5f"],
      clientSecurityGroupIds: ["sg-0a1b2c3d"],
      tableArns: [TABLE],
    },
    build: (args: unknown) => new HardenedDaxCluster("cache", args as never),
  },
  DynamoDbDataEventsTrail: {
    args: { region: REGION },
    build: (args: unknown) => new DynamoDbDataEventsTrail("audit", args as never),
  },
  OrganizationGuardrails: {
    args: {
      organizationId: "o-a1b2c3d4e5",
      targetIds: ["r-ab12"],
      breakGlassRoleArns: ["arn:aws:iam::*:role/DatabaseAdminBreakGlass"],
    },
    build: (args: unknown) => new OrganizationGuardrails("guardrails", args as never),
  },
  CentralBackupVault: {
    args: {
      region: REGION,
      sourceAccountIds: [ACCOUNT],
      breakGlassRoleArn: `arn:aws:iam::${BACKUP_ACCOUNT}:role/break-glass`,
    },
    build: (args: unknown) =>
      new CentralBackupVault("central", args as never, {
        provider: accountProvider("backup", BACKUP_ACCOUNT),
      }),
  },
  TableBackupPlan: {
    args: { region: REGION, copies: [{ destinationVaultArn: CENTRAL_VAULT }] },
    build: (args: unknown) =>
      new TableBackupPlan("orders", args as never, { provider: accountProvider("workload", ACCOUNT) }),
  },
  StreamAccessGrant: {
    args: { streamArn: STREAM, consumerRoleArns: [ROLE] },
    build: (args: unknown) => new StreamAccessGrant("share", args as never),
  },
  StreamConsumer: {
    args: { streamArn: STREAM, functionName: "orders-indexer" },
    build: (args: unknown) => new StreamConsumer("indexer", args as never),
  },
} as const;

type ComponentName = keyof typeof COMPONENTS;

function accountProvider(name: string, accountId: string): aws.Provider {
  return new aws.Provider(name, { region: REGION, allowedAccountIds: [accountId] });
}

/** One hostile input: `args` merged over the component's accepted arguments, or replacing them. */
interface HostileCase {
  component: ComponentName;
  item: number;
  input: string;
  args?: Args;
  /** The whole `args` instead of a merge (undefined, a string, ...). */
  whole?: unknown;
  path: string;
  mentions?: RegExp;
}

function argsOf(c: HostileCase): unknown {
  if ("whole" in c) return c.whole;
  return { ...COMPONENTS[c.component].args, ...c.args };
}

/** What a refused program registered that is not the provider the test itself made. */
function registered(resources: RecordedResource[]): string[] {
  return resources.filter((r) => !r.type.startsWith("pulumi:providers:")).map((r) => `${r.type}::${r.name}`);
}

const BOOLEAN = /expected a boolean/;
const NUMBER = /expected a number/;

/** Falsy and truthy non-booleans, and non-numbers (item 3). */
const TYPE_CASES: HostileCase[] = [
  ["HardenedTable", { pointInTimeRecovery: 0 }, "pointInTimeRecovery", /falsy value is not false/],
  ["HardenedTable", { deletionProtection: 0 }, "deletionProtection", BOOLEAN],
  ["HardenedTable", { deletionProtection: null }, "deletionProtection", BOOLEAN],
  ["HardenedTable", { pointInTimeRecovery: "" }, "pointInTimeRecovery", BOOLEAN],
  [
    "HardenedTable",
    { allowAwsManagedKey: "false", kmsKeyArn: "alias/aws/dynamodb" },
    "allowAwsManagedKey",
    BOOLEAN,
  ],
  ["HardenedTable", { multiTenant: 1 }, "multiTenant", BOOLEAN],
  [
    "HardenedTable",
    { replicas: [{ region: "us-west-2", pointInTimeRecovery: 0 }] },
    "replicas[0].pointInTimeRecovery",
    BOOLEAN,
  ],
  ["HardenedTable", { recoveryPeriodInDays: "35" }, "recoveryPeriodInDays", NUMBER],
  ["HardenedTable", { keyDeletionWindowInDays: Number.NaN }, "keyDeletionWindowInDays", NUMBER],
  ["HardenedDaxCluster", { tls: 0 }, "tls", BOOLEAN],
  ["HardenedDaxCluster", { tls: null }, "tls", BOOLEAN],
  ["HardenedDaxCluster", { allowPlaintext: "yes", tls: false }, "allowPlaintext", BOOLEAN],
  ["HardenedDaxCluster", { replicationFactor: "3" }, "replicationFactor", NUMBER],
  ["DynamoDbDataEventsTrail", { includeManagementEvents: 0 }, "includeManagementEvents", BOOLEAN],
  ["DynamoDbDataEventsTrail", { retentionDays: "365" }, "retentionDays", NUMBER],
  ["TableAccessRole", { allowWholeAccountTrust: 1 }, "allowWholeAccountTrust", BOOLEAN],
  ["TableAccessRole", { maxSessionDuration: "3600" }, "maxSessionDuration", NUMBER],
  ["CentralBackupVault", { lock: { enabled: 0 } }, "lock.enabled", BOOLEAN],
  ["CentralBackupVault", { allowVaultLockDisabled: "true" }, "allowVaultLockDisabled", BOOLEAN],
  ["TableBackupPlan", { allowNoCopy: 1 }, "allowNoCopy", BOOLEAN],
  ["TableBackupPlan", { rules: [{ name: "daily", copy: 0 }] }, "rules[0].copy", BOOLEAN],
  ["StreamAccessGrant", { allowWiderViewType: 1 }, "allowWiderViewType", BOOLEAN],
  ["StreamConsumer", { bisectBatchOnFunctionError: 0 }, "bisectBatchOnFunctionError", BOOLEAN],
  ["StreamConsumer", { batchSize: Infinity }, "batchSize", NUMBER],
  ["OrganizationGuardrails", { denyDeletion: 0 }, "denyDeletion", BOOLEAN],
  ["OrganizationGuardrails", { denyExternalPrincipals: "" }, "denyExternalPrincipals", BOOLEAN],
  ["DynamoDbGatewayEndpoint", { allowAllTablesInAccount: 1 }, "allowAllTablesInAccount", BOOLEAN],
].map(([component, args, path, mentions]) => ({
  component: component as ComponentName,
  item: 3,
  input: JSON.stringify(args, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)),
  args: args as Args,
  path: path as string,
  mentions: mentions as RegExp,
}));

/** TableAccessRole's leadingKeys without a principal tag (item 4). */
const LEADING_KEY_CASES: HostileCase[] = [
  {
    component: "TableAccessRole",
    item: 4,
    input: "leadingKeys: {}",
    args: { leadingKeys: {} },
    path: "leadingKeys.principalTag",
    mentions: /required/,
  },
  {
    component: "TableAccessRole",
    item: 4,
    input: "leadingKeys: { principalTag: null }",
    args: { leadingKeys: { principalTag: null } },
    path: "leadingKeys.principalTag",
    mentions: /expected a string/,
  },
  {
    component: "TableAccessRole",
    item: 4,
    input: 'leadingKeys: { principalTag: "" }',
    args: { leadingKeys: { principalTag: "" } },
    path: "leadingKeys.principalTag",
  },
  {
    component: "TableAccessRole",
    item: 4,
    input: "leadingKeys: true",
    args: { leadingKeys: true },
    path: "leadingKeys",
    mentions: /expected an object/,
  },
];

/** Inputs of the wrong container type (item 7). */
const CONTAINER_CASES: HostileCase[] = (
  [
    ["HardenedTable", { attributes: "id" }, "attributes"],
    ["HardenedTable", { attributes: [null] }, "attributes[0]"],
    ["HardenedTable", { attributes: [{ name: 1, type: "S" }] }, "attributes[0].name"],
    ["HardenedTable", { globalSecondaryIndexes: {} }, "globalSecondaryIndexes"],
    ["HardenedTable", { replicas: "us-west-2" }, "replicas"],
    ["HardenedTable", { tags: ["team"] }, "tags"],
    ["HardenedTable", { tags: { team: 7 } }, "tags.team"],
    ["HardenedTable", { access: "public" }, "access"],
    ["HardenedTable", { access: { readerPrincipals: ROLE } }, "access.readerPrincipals"],
    ["HardenedTable", { autoscaling: 5, billingMode: "PROVISIONED" }, "autoscaling"],
    ["HardenedTable", { stream: true }, "stream"],
    ["HardenedTable", { hashKey: ["pk"] }, "hashKey"],
    ["TableAccessRole", { actions: [null] }, "actions[0]"],
    ["TableAccessRole", { trustedPrincipals: ROLE }, "trustedPrincipals"],
    ["TableAccessRole", { attributes: "name" }, "attributes"],
    ["DynamoDbDataEventsTrail", { tableArns: TABLE }, "tableArns"],
    ["DynamoDbDataEventsTrail", { alarms: [] }, "alarms"],
    [
      "DynamoDbDataEventsTrail",
      { alarms: { alarmActions: "arn:aws:sns:us-east-1:111111111111:ops" } },
      "alarms.alarmActions",
    ],
    ["HardenedDaxCluster", { subnetIds: "subnet-0a1b2c3d" }, "subnetIds"],
    ["HardenedDaxCluster", { availabilityZones: "us-east-1a" }, "availabilityZones"],
    ["DynamoDbGatewayEndpoint", { routeTableIds: "rtb-0a1b2c3d" }, "routeTableIds"],
    ["DynamoDbGatewayEndpoint", { actions: [null] }, "actions[0]"],
    ["OrganizationGuardrails", { targetIds: "r-ab12" }, "targetIds"],
    ["OrganizationGuardrails", { trustedAccountIds: ACCOUNT }, "trustedAccountIds"],
    ["CentralBackupVault", { sourceAccountIds: ACCOUNT }, "sourceAccountIds"],
    ["CentralBackupVault", { lock: true }, "lock"],
    [
      "CentralBackupVault",
      { regionSettings: { resourceTypeOptInPreference: { DynamoDB: "yes" } } },
      "regionSettings.resourceTypeOptInPreference.DynamoDB",
    ],
    ["TableBackupPlan", { rules: { name: "daily" } }, "rules"],
    ["TableBackupPlan", { copies: { destinationVaultArn: CENTRAL_VAULT } }, "copies"],
    ["TableBackupPlan", { selectionTags: { backup: "required" } }, "selectionTags"],
    ["StreamAccessGrant", { consumerRoleArns: ROLE }, "consumerRoleArns"],
    ["StreamConsumer", { eventNames: "INSERT" }, "eventNames"],
    ["StreamConsumer", { filterPatterns: {} }, "filterPatterns"],
    [
      "HardenedTable",
      { pointInTimeRecovery: true, pointInTimeRecoveryy: false },
      "pointInTimeRecoveryy",
      /not an argument/,
    ],
  ] as [ComponentName, Args, string, RegExp?][]
).map(([component, args, path, mentions]) => ({
  component,
  item: 7,
  input: JSON.stringify(args),
  args,
  path,
  mentions: mentions ?? /expected|required/,
}));

const WHOLE_ARGS_CASES: HostileCase[] = (Object.keys(COMPONENTS) as ComponentName[]).flatMap((component) => [
  {
    component,
    item: 7,
    input: "args: undefined",
    whole: undefined,
    path: "args",
    mentions: /required: an object/,
  },
  { component, item: 7, input: 'args: "x"', whole: "x", path: "args", mentions: /expected an object/ },
]);

/** Values AWS or the engine would refuse at deploy (item 7). */
const AWS_RULE_CASES: HostileCase[] = (
  [
    ["HardenedTable", { name: "ab" }, "name", /3 to 255/],
    ["HardenedTable", { name: "orders table" }, "name", /not a valid DynamoDB table name/],
    ["HardenedTable", { name: `t${LONG}` }, "name", /3 to 255/],
    ["HardenedTable", { name: "orders!" }, "name", /not a valid DynamoDB table name/],
    [
      "HardenedTable",
      {
        attributes: [
          { name: "pk", type: "S" },
          { name: "g", type: "S" },
        ],
        globalSecondaryIndexes: [{ name: "by", hashKey: "g" }],
      },
      "globalSecondaryIndexes[0].name",
      /index name/,
    ],
    [
      "HardenedTable",
      {
        attributes: [
          { name: "pk", type: "S" },
          { name: "g", type: "S" },
        ],
        globalSecondaryIndexes: [{ name: "by user", hashKey: "g" }],
      },
      "globalSecondaryIndexes[0].name",
      /index name/,
    ],
    [
      "HardenedTable",
      {
        attributes: [
          { name: "pk", type: "S" },
          ...Array.from({ length: 21 }, (_, i) => ({ name: `g${i}`, type: "S" })),
        ],
        globalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({
          name: `by-g${i}`,
          hashKey: `g${i}`,
        })),
      },
      "globalSecondaryIndexes",
      /at most 20/,
    ],
    [
      "HardenedTable",
      {
        rangeKey: "sk",
        attributes: [
          { name: "pk", type: "S" },
          { name: "sk", type: "S" },
          ...Array.from({ length: 6 }, (_, i) => ({ name: `l${i}`, type: "S" })),
        ],
        localSecondaryIndexes: Array.from({ length: 6 }, (_, i) => ({ name: `by-l${i}`, rangeKey: `l${i}` })),
      },
      "localSecondaryIndexes",
      /at most 5/,
    ],
    [
      "HardenedTable",
      {
        attributes: [
          { name: "pk", type: "S" },
          { name: "g", type: "S" },
          { name: "h", type: "S" },
        ],
        globalSecondaryIndexes: ["g", "h"].map((key) => ({
          name: `by-${key}`,
          hashKey: key,
          projectionType: "INCLUDE",
          nonKeyAttributes: Array.from({ length: 51 }, (_, i) => `a${i}`),
        })),
      },
      "globalSecondaryIndexes",
      /at most 100/,
    ],
    ["HardenedTable", { hashKey: LONG, attributes: [{ name: LONG, type: "S" }] }, "hashKey", /1 to 255/],
    [
      "HardenedTable",
      { hashKey: "", attributes: [{ name: "", type: "S" }] },
      "attributes[0].name",
      /1 to 255/,
    ],
    ["HardenedTable", { tags: { "aws:owner": "me" } }, "tags", /reserves/],
    ["HardenedTable", { tags: { ["k".repeat(129)]: "v" } }, "tags", /1 to 128/],
    ["HardenedTable", { tags: { team: "v".repeat(257) } }, "tags.team", /up to 256/],
    [
      "HardenedTable",
      { tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "v"])) },
      "tags",
      /at most 50/,
    ],
    ["HardenedTable", { tags: { "team#1": "v" } }, "tags", /characters AWS refuses/],
    ["HardenedTable", { tags: { team: "<script>" } }, "tags.team", /characters AWS refuses/],
    ["TableAccessRole", { tags: { "AWS:team": "x" } }, "tags", /reserves/],
    ["StreamConsumer", { tags: { team: "a;b" } }, "tags.team", /characters AWS refuses/],
    ["CentralBackupVault", { tags: { "aws:backup": "x" } }, "tags", /reserves/],
    [
      "TableAccessRole",
      { trustedPrincipals: [`arn:aws:iam:us-east-1:${OTHER_ACCOUNT}:role/orders-reader`] },
      "trustedPrincipals[0]",
    ],
    [
      "TableAccessRole",
      { trustedPrincipals: [`arn:aws:iam::${OTHER_ACCOUNT}:role/${"r".repeat(65)}`] },
      "trustedPrincipals[0]",
    ],
    [
      "TableAccessRole",
      { trustedPrincipals: [`arn:aws:iam::${OTHER_ACCOUNT}:role//orders-reader`] },
      "trustedPrincipals[0]",
    ],
    [
      "HardenedTable",
      { access: { readerPrincipals: [`arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/orders-reader`] } },
      "access.readerPrincipals[0]",
    ],
    [
      "HardenedTable",
      { access: { readerPrincipals: [`arn:aws:iam::${OTHER_ACCOUNT}:user/`] } },
      "access.readerPrincipals[0]",
    ],
    [
      "StreamAccessGrant",
      { consumerRoleArns: [`arn:aws:iam:us-east-1:${OTHER_ACCOUNT}:role/reader`] },
      "consumerRoleArns[0]",
    ],
    [
      "CentralBackupVault",
      { breakGlassRoleArn: `arn:aws:iam::${BACKUP_ACCOUNT}:role/${"b".repeat(65)}` },
      "breakGlassRoleArn",
    ],
    ["HardenedTable", { region: "us-east-one" }, "region", /region/],
    ["HardenedTable", { replicas: [{ region: "mars-north-1" }] }, "replicas[0].region", /region/],
  ] as [ComponentName, Args, string, RegExp?][]
).map(([component, args, path, mentions]) => ({
  component,
  item: 7,
  input: JSON.stringify(args).slice(0, 120),
  args,
  path,
  mentions,
}));

const CASES = [
  ...TYPE_CASES,
  ...LEADING_KEY_CASES,
  ...CONTAINER_CASES,
  ...WHOLE_ARGS_CASES,
  ...AWS_RULE_CASES,
];

describe("Hostile input: refused at construction, naming the argument, with nothing registered", () => {
  for (const c of CASES) {
    it(`${c.component} (#19.${c.item}) ${c.input}`, async () => {
      const { error, resources } = await rejectionOf(() => COMPONENTS[c.component].build(argsOf(c)));
      const match = error.errors.find((e) => e.propertyPath === c.path);
      assert.ok(match, `expected a problem on ${c.path}; got ${error.message}`);
      assert.ok(error.message.includes(c.path), "the message names the argument");
      if (c.mentions) assert.match(match.reason, c.mentions);
      assert.deepEqual(registered(resources), [], "nothing is registered, not even the component");
    });
  }

  it("every component is probed", () => {
    const probed = new Set(CASES.map((c) => c.component));
    assert.deepEqual([...probed].sort(), Object.keys(COMPONENTS).sort());
  });
});

/** Inputs whose fault shows only once an Output or the provider's account is known (items 3 and 6). */
interface DeferredCase {
  component: ComponentName;
  item: number;
  input: string;
  program: () => unknown;
  path: string;
  mentions: RegExp;
  /**
   * Why children may be registered before the failure: StreamConsumer's role must exist for the grant whose
   * stream ARN the consumer awaits (`pulumi.deferredOutput`), so its children cannot wait for that ARN.
   */
  childrenBeforeFailure?: string;
}

const roles = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `arn:aws:iam::${OTHER_ACCOUNT}:role/stream-consumer-with-a-long-name-${i}`,
  );

const DEFERRED_CASES: DeferredCase[] = [
  {
    component: "HardenedTable",
    item: 3,
    input: "a us-east-1 table given kmsKeyArn: pulumi.output(<key in eu-west-1>)",
    program: () =>
      COMPONENTS.HardenedTable.build({
        ...COMPONENTS.HardenedTable.args,
        kmsKeyArn: pulumi.output(KEY_IN_EU),
      }),
    path: "kmsKeyArn",
    mentions: /eu-west-1.*regional/,
  },
  {
    component: "HardenedTable",
    item: 3,
    input: "a replica in us-west-2 given kmsKeyArn: pulumi.output(<key in eu-west-1>)",
    program: () =>
      COMPONENTS.HardenedTable.build({
        ...COMPONENTS.HardenedTable.args,
        stream: { viewType: "NEW_AND_OLD_IMAGES" },
        replicas: [{ region: "us-west-2", kmsKeyArn: pulumi.output(KEY_IN_EU) }],
      }),
    path: "replicas[0].kmsKeyArn",
    mentions: /regional/,
  },
  {
    component: "TableAccessRole",
    item: 3,
    input: "kmsKeyArn: pulumi.output(<key in another account>)",
    program: () =>
      COMPONENTS.TableAccessRole.build({
        ...COMPONENTS.TableAccessRole.args,
        kmsKeyArn: pulumi.output(KEY_IN_OTHER_ACCOUNT),
      }),
    path: "kmsKeyArn",
    mentions: /own account and region/,
  },
  {
    component: "TableAccessRole",
    item: 3,
    input: "tableArn: pulumi.output(<table>) with a key in another region",
    program: () =>
      COMPONENTS.TableAccessRole.build({
        ...COMPONENTS.TableAccessRole.args,
        tableArn: pulumi.output(TABLE),
        kmsKeyArn: KEY_IN_EU,
      }),
    path: "kmsKeyArn",
    mentions: /own account and region/,
  },
  {
    component: "StreamAccessGrant",
    item: 3,
    input: "streamArn: pulumi.output(<stream>) with kmsKeyArn in another region",
    program: () =>
      COMPONENTS.StreamAccessGrant.build({
        streamArn: pulumi.output(STREAM),
        consumerRoleArns: [ROLE],
        kmsKeyArn: KEY_IN_EU,
      }),
    path: "kmsKeyArn",
    mentions: /regional/,
  },
  {
    component: "StreamConsumer",
    item: 3,
    input: "streamArn: pulumi.output(<stream>) with tableKmsKeyArn in another account",
    program: () =>
      COMPONENTS.StreamConsumer.build({
        ...COMPONENTS.StreamConsumer.args,
        streamArn: pulumi.output(STREAM),
        tableKmsKeyArn: KEY_IN_OTHER_ACCOUNT,
      }),
    path: "tableKmsKeyArn",
    mentions: /account/,
    childrenBeforeFailure: "the consumer's role feeds the grant whose stream ARN it awaits",
  },
  {
    component: "StreamAccessGrant",
    item: 6,
    input: "350 consumer roles given as Outputs, with a key (policy over 20 KB)",
    program: () =>
      COMPONENTS.StreamAccessGrant.build({
        streamArn: STREAM,
        consumerRoleArns: roles(350).map((r) => pulumi.output(r)),
        kmsKeyArn: KEY,
      }),
    path: "consumerRoleArns",
    mentions: /20480/,
  },
  {
    component: "TableBackupPlan",
    item: 6,
    input: "a copy destination in the provider's own account and region (accountId not given)",
    program: () =>
      COMPONENTS.TableBackupPlan.build({
        region: REGION,
        copies: [{ destinationVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:local` }],
      }),
    path: "copies[0].destinationVaultArn",
    mentions: /own account/,
  },
  {
    component: "CentralBackupVault",
    item: 6,
    input: "a break-glass role in another account than the provider's (accountId not given)",
    program: () =>
      COMPONENTS.CentralBackupVault.build({
        ...COMPONENTS.CentralBackupVault.args,
        breakGlassRoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/break-glass`,
      }),
    path: "breakGlassRoleArn",
    mentions: /account 444444444444/,
  },
];

describe("Hostile input known only at deploy: the deployment fails before any child is registered", () => {
  for (const c of DEFERRED_CASES) {
    it(`${c.component} (#19.${c.item}) ${c.input}`, async () => {
      const { error, resources } = await deferredRejectionOf(c.program);
      assert.equal(error.propertyPath, c.path);
      assert.match(error.reason, c.mentions);
      if (c.childrenBeforeFailure) return;
      const children = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
      assert.deepEqual(
        children.map((r) => `${r.type}::${r.name}`),
        [],
        "no child resource is registered",
      );
    });
  }

  it("StreamAccessGrant (#19.6) 350 known consumer roles with a key: refused at construction", async () => {
    const { error, resources } = await rejectionOf(() =>
      COMPONENTS.StreamAccessGrant.build({ streamArn: STREAM, consumerRoleArns: roles(350), kmsKeyArn: KEY }),
    );
    assert.ok(error.errors.some((e) => e.propertyPath === "consumerRoleArns" && /20480/.test(e.reason)));
    assert.deepEqual(registered(resources), []);
  });
});

describe("Children that wait for Output checks never wait for themselves", () => {
  it("HardenedTable: a reader principal from a role that takes the table's ARN (pulumi.deferredOutput) completes", async () => {
    const resources = await record(() => {
      const [principal, setPrincipal] = pulumi.deferredOutput<string>();
      const table = new HardenedTable("orders", {
        region: REGION,
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        access: { readerPrincipals: [principal] },
      });
      const reader = new TableAccessRole("reader", {
        tableArn: table.arn,
        trustedPrincipals: [ROLE],
        externalId: "orders-7f3a9c",
      });
      setPrincipal(reader.roleArn);
    });
    const types = resources.map((r) => r.type);
    assert.ok(types.includes("aws:dynamodb/table:Table"));
    assert.ok(types.includes("aws:dynamodb/resourcePolicy:ResourcePolicy"));
    assert.ok(types.includes("aws:iam/role:Role"));
  });
});

export const HOSTILE_CONSTRUCTIONS = CASES.length + DEFERRED_CASES.length + 1;
