import {
  BACKUP,
  CLASSIC_PROVIDER,
  COVERAGE,
  KEY_USE1,
  NATIVE_PROVIDER,
  READ_STATEMENT,
  STREAM_ARN,
  TABLE_ARN,
  TRAIL,
  awsTable,
  classicGlobal,
  classicReplica,
  classicTable,
  doc,
  edit,
  nativeGlobal,
  nativeGlobalResource,
  nativeTable,
  nativeTableResource,
  tableReplica,
} from "./fixtures";
import { U, expectFindings, expectNoCantRun, expectNone, expectPractice, res, usePack } from "./packHarness";

// Every row of the misconfiguration table in seed 003, for @pulumi/aws and @pulumi/aws-native where the
// resource exists in both, through Analyze (one resource) and AnalyzeStack (relations), as the engine calls them.
describe("policy pack: the seed's misconfigurations", function () {
  const pack = usePack();

  describe("compliant baselines", () => {
    it("raise nothing for either provider", async () => {
      for (const r of [
        awsTable(),
        awsTable(classicGlobal),
        res("aws:dynamodb/tableReplica:TableReplica", "orders-eu", tableReplica),
        nativeTableResource(),
        nativeGlobalResource(),
      ]) {
        const result = await pack().analyze(r);
        expectNone(result);
        expectNoCantRun(result);
      }
    });
  });

  describe("AWS-owned key instead of a customer-managed key (practice 1)", () => {
    const policy = "dynamodb-customer-managed-key";
    it("aws: no serverSideEncryption block means the AWS-owned key", async () => {
      const r = await pack().analyze(awsTable(edit(classicTable, (p) => delete p.serverSideEncryption)));
      expectFindings(
        r,
        policy,
        1,
        "practice 1",
        "AWS-owned key",
        "serverSideEncryption",
        "AWS Config dynamodb-table-encrypted-kms",
      );
    });
    it("aws: enabled: false is the AWS-owned key even with a key ARN", async () => {
      const r = await pack().analyze(
        awsTable(
          edit(classicTable, (p) => (p.serverSideEncryption = { enabled: false, kmsKeyArn: KEY_USE1 })),
        ),
      );
      expectFindings(r, policy, 1, "AWS-owned key");
    });
    it("aws: enabled without a key ARN is the AWS-managed key", async () => {
      const r = await pack().analyze(
        awsTable(edit(classicTable, (p) => (p.serverSideEncryption = { enabled: true }))),
      );
      expectFindings(r, policy, 1, "AWS-managed key");
    });
    it("aws: alias/aws/dynamodb in any form is the AWS-managed key", async () => {
      for (const ref of [
        "alias/aws/dynamodb",
        "arn:aws:kms:us-east-1:111111111111:alias/aws/dynamodb",
        "ALIAS/AWS/DYNAMODB",
      ]) {
        const r = await pack().analyze(
          awsTable(edit(classicTable, (p) => (p.serverSideEncryption = { enabled: true, kmsKeyArn: ref }))),
        );
        expectFindings(r, policy, 1, "AWS-managed key", ref);
      }
    });
    it("aws: a replica without its own key uses the AWS-managed key", async () => {
      const r = await pack().analyze(
        awsTable(edit(classicGlobal, (p) => delete (p.replicas as Record<string, unknown>[])[0].kmsKeyArn)),
      );
      expectFindings(r, policy, 1, "replica eu-west-1", "AWS-managed key", "replicas[0].kmsKeyArn");
    });
    it("aws: a TableReplica without kmsKeyArn", async () => {
      const r = await pack().analyze(
        res(
          "aws:dynamodb/tableReplica:TableReplica",
          "orders-eu",
          edit(tableReplica, (p) => delete p.kmsKeyArn),
        ),
      );
      expectFindings(r, policy, 1, "replica eu-west-1", "kmsKeyArn");
    });
    it("aws-native: no sseSpecification, sseEnabled false, no key, the AWS-managed alias", async () => {
      const cases: [Record<string, unknown> | undefined, string][] = [
        [undefined, "AWS-owned key"],
        [{ sseEnabled: false, sseType: "KMS", kmsMasterKeyId: KEY_USE1 }, "AWS-owned key"],
        [{ sseEnabled: true, sseType: "KMS" }, "AWS-managed key"],
        [{ sseEnabled: true, sseType: "KMS", kmsMasterKeyId: "alias/aws/dynamodb" }, "alias/aws/dynamodb"],
      ];
      for (const [sse, expected] of cases) {
        const r = await pack().analyze(
          nativeTableResource(
            edit(nativeTable, (p) =>
              sse === undefined ? delete p.sseSpecification : (p.sseSpecification = sse),
            ),
          ),
        );
        expectFindings(r, policy, 1, expected, "sseSpecification");
      }
    });
    it("aws-native: a global table replica without its key, and a global table with SSE off", async () => {
      const noKey = await pack().analyze(
        nativeGlobalResource(
          edit(nativeGlobal, (p) => delete (p.replicas as Record<string, unknown>[])[1].sseSpecification),
        ),
      );
      expectFindings(noKey, policy, 1, "replica eu-west-1", "replicas[1].sseSpecification.kmsMasterKeyId");
      const off = await pack().analyze(
        nativeGlobalResource(edit(nativeGlobal, (p) => (p.sseSpecification = { sseEnabled: false }))),
      );
      expectFindings(off, policy, 2, "AWS-owned key");
    });
  });

  describe("a table's customer-managed key without automatic rotation (practice 1, seed 003)", () => {
    const key = (type: string, props: Record<string, unknown>) =>
      res(type, "orders-key", props, {
        provider: type.startsWith("aws-native") ? NATIVE_PROVIDER : CLASSIC_PROVIDER,
      });
    const on = () =>
      awsTable(edit(classicTable, (p) => (p.serverSideEncryption = { enabled: true, kmsKeyArn: KEY_USE1 })));
    const uses = (k: { urn: string }) => ({
      ...on(),
      propertyDependencies: { serverSideEncryption: [k.urn] },
      dependencies: [k.urn],
    });
    it("aws and aws-native: a key with rotation off (or left at its default) that encrypts a table", async () => {
      for (const k of [
        key("aws:kms/key:Key", { enableKeyRotation: false }),
        key("aws:kms/key:Key", {}),
        key("aws-native:kms:Key", { enableKeyRotation: false }),
      ]) {
        const found = expectPractice(
          await pack().analyzeStack([k, uses(k)]),
          "dynamodb-stack-critical",
          1,
          1,
          "does not rotate its key material",
          "enableKeyRotation",
          "Security Hub KMS.4",
        );
        if (found[0].urn !== k.urn) throw new Error(`finding on ${found[0].urn}, not the key`);
      }
    });
    it("clean variants: rotation on or not known yet, an asymmetric key, a key no table uses", async () => {
      for (const [k, used] of [
        [key("aws:kms/key:Key", { enableKeyRotation: true }), true],
        [key("aws:kms/key:Key", { enableKeyRotation: U }), true],
        [key("aws:kms/key:Key", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }), true],
        [key("aws:kms/key:Key", { enableKeyRotation: false }), false],
      ] as const) {
        const r = await pack().analyzeStack(used ? [k, uses(k)] : [k, on()]);
        expectPractice(r, "dynamodb-stack-critical", 1, 0);
      }
    });
  });

  describe("PITR disabled (practice 2, DynamoDB.2)", () => {
    const policy = "dynamodb-point-in-time-recovery";
    it("aws: table and replica", async () => {
      const table = await pack().analyze(
        awsTable(edit(classicTable, (p) => (p.pointInTimeRecovery = { enabled: false }))),
      );
      expectFindings(
        table,
        policy,
        1,
        "Security Hub DynamoDB.2",
        "point-in-time recovery is off",
        "pointInTimeRecovery.enabled",
      );
      const absent = await pack().analyze(awsTable(edit(classicTable, (p) => delete p.pointInTimeRecovery)));
      expectFindings(absent, policy, 1, "point-in-time recovery is off");
      const replica = await pack().analyze(
        awsTable(
          edit(
            classicGlobal,
            (p) => ((p.replicas as Record<string, unknown>[])[0].pointInTimeRecovery = false),
          ),
        ),
      );
      expectFindings(
        replica,
        policy,
        1,
        "replica eu-west-1",
        "practice 12",
        "replicas[0].pointInTimeRecovery",
      );
      const standalone = await pack().analyze(
        res(
          "aws:dynamodb/tableReplica:TableReplica",
          "r",
          edit(tableReplica, (p) => delete p.pointInTimeRecovery),
        ),
      );
      expectFindings(standalone, policy, 1, "replica eu-west-1");
    });
    it("aws-native: table and global table replica", async () => {
      const table = await pack().analyze(
        nativeTableResource(edit(nativeTable, (p) => delete p.pointInTimeRecoverySpecification)),
      );
      expectFindings(table, policy, 1, "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
      const replica = await pack().analyze(
        nativeGlobalResource(
          edit(
            nativeGlobal,
            (p) =>
              ((p.replicas as Record<string, unknown>[])[1].pointInTimeRecoverySpecification = {
                pointInTimeRecoveryEnabled: false,
              }),
          ),
        ),
      );
      expectFindings(replica, policy, 1, "replica eu-west-1", "replicas[1].pointInTimeRecoverySpecification");
    });
    it("a recovery window shorter than the minimum (default 7 days)", async () => {
      const r = await pack().analyze(
        awsTable(
          edit(classicTable, (p) => (p.pointInTimeRecovery = { enabled: true, recoveryPeriodInDays: 3 })),
        ),
      );
      expectFindings(
        r,
        policy,
        1,
        "recovery window is 3 days, below the required 7",
        "pointInTimeRecovery.recoveryPeriodInDays",
      );
      const native = await pack().analyze(
        nativeTableResource(
          edit(
            nativeTable,
            (p) =>
              (p.pointInTimeRecoverySpecification = {
                pointInTimeRecoveryEnabled: true,
                recoveryPeriodInDays: 1,
              }),
          ),
        ),
      );
      expectFindings(native, policy, 1, "1 days");
    });
  });

  describe("deletion protection disabled (practice 3, DynamoDB.6)", () => {
    const policy = "dynamodb-deletion-protection";
    it("aws: table, inline replica and TableReplica", async () => {
      const table = await pack().analyze(
        awsTable(edit(classicTable, (p) => delete p.deletionProtectionEnabled)),
      );
      expectFindings(table, policy, 1, "Security Hub DynamoDB.6", "deletionProtectionEnabled");
      const replica = await pack().analyze(
        awsTable(
          edit(
            classicGlobal,
            (p) => delete (p.replicas as Record<string, unknown>[])[0].deletionProtectionEnabled,
          ),
        ),
      );
      expectFindings(replica, policy, 1, "replica eu-west-1", "replicas[0].deletionProtectionEnabled");
      const standalone = await pack().analyze(
        res(
          "aws:dynamodb/tableReplica:TableReplica",
          "r",
          edit(tableReplica, (p) => (p.deletionProtectionEnabled = false)),
        ),
      );
      expectFindings(standalone, policy, 1, "deletionProtectionEnabled");
    });
    it("aws-native: table and global table replica", async () => {
      const table = await pack().analyze(
        nativeTableResource(edit(nativeTable, (p) => (p.deletionProtectionEnabled = false))),
      );
      expectFindings(table, policy, 1, "deletionProtectionEnabled");
      const replica = await pack().analyze(
        nativeGlobalResource(
          edit(
            nativeGlobal,
            (p) => delete (p.replicas as Record<string, unknown>[])[0].deletionProtectionEnabled,
          ),
        ),
      );
      expectFindings(replica, policy, 1, "replicas[0].deletionProtectionEnabled");
    });
  });

  describe("wildcard IAM policies (practice 4)", () => {
    const policy = "dynamodb-no-wildcard-actions";
    const wildcard = doc({ Effect: "Allow", Action: "dynamodb:*", Resource: TABLE_ARN });
    const star = doc({ Effect: "Allow", Action: "*", Resource: "*" });
    it("aws: Policy, RolePolicy, UserPolicy and a role's inline policy", async () => {
      for (const [type, props] of [
        ["aws:iam/policy:Policy", { policy: wildcard }],
        ["aws:iam/rolePolicy:RolePolicy", { role: "app", policy: star }],
        ["aws:iam/userPolicy:UserPolicy", { user: "me", policy: wildcard }],
        [
          "aws:iam/role:Role",
          { assumeRolePolicy: "{}", inlinePolicies: [{ name: "data", policy: wildcard }] },
        ],
      ] as [string, Record<string, unknown>][]) {
        const r = await pack().analyze(res(type, "p", props));
        expectFindings(r, policy, 1, "practice 4", "on DynamoDB resources", "named actions");
      }
    });
    it("aws-native: ManagedPolicy, RolePolicy and a role's policies (documents as objects)", async () => {
      const object = JSON.parse(wildcard);
      for (const [type, props] of [
        ["aws-native:iam:ManagedPolicy", { policyDocument: object }],
        ["aws-native:iam:RolePolicy", { roleName: "app", policyName: "p", policyDocument: object }],
        [
          "aws-native:iam:Role",
          { assumeRolePolicyDocument: {}, policies: [{ policyName: "data", policyDocument: object }] },
        ],
      ] as [string, Record<string, unknown>][]) {
        const r = await pack().analyze(res(type, "p", props));
        expectFindings(r, policy, 1, '"dynamodb:*"');
      }
    });
    it("table resource policies: aws ResourcePolicy and aws-native embedded resourcePolicy", async () => {
      const statement = {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:role/app" },
        Action: "dynamodb:*",
        Resource: TABLE_ARN,
      };
      const classic = await pack().analyze(
        res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
          resourceArn: TABLE_ARN,
          policy: doc(statement),
        }),
      );
      expectFindings(classic, policy, 1, "resource policy statement 1");
      const native = await pack().analyze(
        nativeTableResource(
          edit(nativeTable, (p) => (p.resourcePolicy = { policyDocument: { Statement: [statement] } })),
        ),
      );
      expectFindings(native, policy, 1, "table policy statement 1");
    });
    it("Allow with NotAction on DynamoDB resources", async () => {
      const r = await pack().analyze(
        res("aws:iam/policy:Policy", "p", {
          policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
        }),
      );
      expectFindings(r, policy, 1, "NotAction");
    });
    it("no LeadingKeys condition on a multi-tenant table (stack: aws and aws-native)", async () => {
      const tenant = awsTable(
        edit(
          classicTable,
          (p) => ((p.tags as Record<string, string>)["dynamodb-hardened:multi-tenant"] = "true"),
        ),
      );
      const nativeTenant = nativeTableResource(
        edit(nativeTable, (p) => {
          p.tableName = "tenants";
          (p.tags as unknown[]).push({ key: "dynamodb-hardened:multi-tenant", value: "true" });
        }),
        "tenants",
      );
      const identity = res("aws:iam/rolePolicy:RolePolicy", "app", {
        role: "app",
        policy: doc(READ_STATEMENT),
      });
      const native = res("aws-native:iam:RolePolicy", "native-app", {
        roleName: "app",
        policyName: "p",
        policyDocument: {
          Statement: [
            { ...READ_STATEMENT, Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/tenants" },
          ],
        },
      });
      const r = await pack().analyzeStack([tenant, nativeTenant, identity, native]);
      const found = expectPractice(
        r,
        "dynamodb-stack-critical",
        4,
        2,
        "dynamodb:LeadingKeys",
        "multi-tenant",
      );
      const urns = found.map((d) => d.urn).sort();
      const expected = [identity.urn, native.urn].sort();
      if (JSON.stringify(urns) !== JSON.stringify(expected))
        throw new Error(`findings on ${urns.join(", ")}`);
      const scan = res("aws:iam/policy:Policy", "scan", {
        policy: doc({
          Effect: "Allow",
          Action: ["dynamodb:Scan", "dynamodb:Query"],
          Resource: TABLE_ARN,
          Condition: {
            "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["${aws:PrincipalTag/tenant}"] },
          },
        }),
      });
      expectPractice(
        await pack().analyzeStack([tenant, scan]),
        "dynamodb-stack-critical",
        4,
        1,
        "dynamodb:Scan",
      );
    });
  });

  describe("no VPC endpoint configured (practice 5)", () => {
    const lambda = res("aws:lambda/function:Function", "api", {
      role: "r",
      vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
      region: "us-east-1",
    });
    const nativeLambda = res(
      "aws-native:lambda:Function",
      "native-api",
      { role: "r", code: {}, vpcConfig: { subnetIds: ["subnet-1"] } },
      { provider: NATIVE_PROVIDER },
    );
    const endpointPolicy = doc({
      Effect: "Allow",
      Principal: "*",
      Action: ["dynamodb:GetItem", "dynamodb:Query"],
      Resource: TABLE_ARN,
    });
    it("stack: VPC compute next to tables without a DynamoDB gateway endpoint (aws and aws-native)", async () => {
      for (const [table, compute] of [
        [awsTable(), lambda],
        [nativeTableResource(), nativeLambda],
      ]) {
        const r = await pack().analyzeStack([table, compute, ...COVERAGE]);
        const found = expectFindings(
          r,
          "dynamodb-stack",
          1,
          "practice 5",
          "gateway endpoint",
          "com.amazonaws.us-east-1.dynamodb",
        );
        if (found[0].urn !== compute.urn) throw new Error(`finding on ${found[0].urn}`);
      }
      const withEndpoint = await pack().analyzeStack([
        awsTable(),
        lambda,
        ...COVERAGE,
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "ddb", {
          vpcId: "vpc-1",
          serviceName: "com.amazonaws.us-east-1.dynamodb",
          region: "us-east-1",
          policy: endpointPolicy,
        }),
      ]);
      expectFindings(withEndpoint, "dynamodb-stack", 0);
    });
    it("an endpoint without a policy, or with wildcard actions or resources (aws and aws-native)", async () => {
      const policy = "dynamodb-vpc-endpoint-policy";
      const none = await pack().analyze(
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "ddb", {
          vpcId: "vpc-1",
          serviceName: "com.amazonaws.us-east-1.dynamodb",
        }),
      );
      expectFindings(none, policy, 1, "no policy");
      const wild = await pack().analyze(
        res("aws-native:ec2:VpcEndpoint", "ddb", {
          vpcId: "vpc-1",
          serviceName: "com.amazonaws.us-east-1.dynamodb",
          policyDocument: {
            Statement: [{ Effect: "Allow", Principal: "*", Action: "dynamodb:*", Resource: "*" }],
          },
        }),
      );
      expectFindings(wild, policy, 1, '"dynamodb:*"', 'not named tables: "*"');
      const good = await pack().analyze(
        res("aws-native:ec2:VpcEndpoint", "ddb", {
          vpcId: "vpc-1",
          serviceName: "com.amazonaws.us-east-1.dynamodb",
          policyDocument: JSON.parse(endpointPolicy),
        }),
      );
      expectNone(good);
      const s3 = await pack().analyze(
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", {
          vpcId: "vpc-1",
          serviceName: "com.amazonaws.us-east-1.s3",
        }),
      );
      expectNone(s3);
    });
  });

  describe("CloudTrail data events disabled (practice 6)", () => {
    const trailBase = { s3BucketName: "logs", region: "us-east-1", isMultiRegionTrail: true };
    it("stack: no trail, or trails without DynamoDB data events (aws and aws-native)", async () => {
      const policy = "dynamodb-stack";
      const cases = [
        [],
        [
          res("aws:cloudtrail/trail:Trail", "t", {
            ...trailBase,
            eventSelectors: [
              { readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] },
            ],
          }),
        ],
        [
          res("aws:cloudtrail/trail:Trail", "t", {
            ...trailBase,
            eventSelectors: [
              { dataResources: [{ type: "AWS::DynamoDB::Table", values: [`${TABLE_ARN}-other`] }] },
            ],
          }),
        ],
        [
          res("aws:cloudtrail/trail:Trail", "t", {
            ...trailBase,
            enableLogging: false,
            eventSelectors: [
              { dataResources: [{ type: "AWS::DynamoDB::Table", values: ["arn:aws:dynamodb"] }] },
            ],
          }),
        ],
        [
          res("aws-native:cloudtrail:Trail", "t", {
            s3BucketName: "logs",
            isLogging: true,
            isMultiRegionTrail: true,
            advancedEventSelectors: [
              { fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
            ],
          }),
        ],
        [
          res("aws:cloudtrail/trail:Trail", "t", {
            s3BucketName: "logs",
            region: "eu-west-1",
            eventSelectors: [
              { dataResources: [{ type: "AWS::DynamoDB::Table", values: ["arn:aws:dynamodb"] }] },
            ],
          }),
        ],
      ];
      for (const trails of cases) {
        for (const table of [awsTable(), nativeTableResource()]) {
          expectFindings(
            await pack().analyzeStack([table, ...BACKUP, ...trails]),
            policy,
            1,
            "practice 6",
            "data events",
          );
        }
      }
    });
    it("stack: classic all-tables, an exact ARN and advanced selectors cover the table", async () => {
      const covering = [
        res("aws:cloudtrail/trail:Trail", "t", {
          ...trailBase,
          eventSelectors: [
            { dataResources: [{ type: "AWS::DynamoDB::Table", values: ["arn:aws:dynamodb"] }] },
          ],
        }),
        res("aws:cloudtrail/trail:Trail", "t", {
          ...trailBase,
          eventSelectors: [{ dataResources: [{ type: "AWS::DynamoDB::Table", values: [TABLE_ARN] }] }],
        }),
        res("aws-native:cloudtrail:Trail", "t", {
          s3BucketName: "logs",
          isLogging: true,
          isMultiRegionTrail: true,
          advancedEventSelectors: [
            {
              fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
                { field: "readOnly", equals: ["false"] },
              ],
            },
          ],
        }),
      ];
      for (const trail of covering)
        expectFindings(await pack().analyzeStack([awsTable(), ...BACKUP, trail]), "dynamodb-stack", 0);
    });
  });

  describe("DAX unencrypted at rest or without TLS (practice 8, DynamoDB.3, DynamoDB.7; aws only: aws-native has no DAX cluster)", () => {
    const policy = "dynamodb-dax-encryption";
    const dax = {
      clusterName: "cache",
      nodeType: "dax.r5.large",
      replicationFactor: 3,
      iamRoleArn: "arn:aws:iam::111111111111:role/dax",
    };
    it("flags each missing encryption with its own control", async () => {
      const none = await pack().analyze(res("aws:dax/cluster:Cluster", "cache", dax));
      const found = expectFindings(none, policy, 2);
      if (!found[0].message.includes("DynamoDB.3") || !found[1].message.includes("DynamoDB.7"))
        throw new Error(found.map((d) => d.message).join("\n"));
      const tlsOnly = await pack().analyze(
        res("aws:dax/cluster:Cluster", "cache", { ...dax, clusterEndpointEncryptionType: "TLS" }),
      );
      expectFindings(tlsOnly, policy, 1, "not encrypted at rest");
      const good = await pack().analyze(
        res("aws:dax/cluster:Cluster", "cache", {
          ...dax,
          clusterEndpointEncryptionType: "TLS",
          serverSideEncryption: { enabled: true },
        }),
      );
      expectNone(good);
    });
  });

  describe("table not in an AWS Backup plan (practice 9, DynamoDB.4)", () => {
    const policy = "dynamodb-stack";
    const trail = TRAIL;
    const plan = res("aws:backup/plan:Plan", "plan", {
      region: "us-east-1",
      rules: [
        {
          ruleName: "daily",
          targetVaultName: "vault",
          copyActions: [{ destinationVaultArn: "arn:aws:backup:eu-west-1:999999999999:backup-vault:dr" }],
        },
      ],
    });
    const nativePlan = res("aws-native:backup:BackupPlan", "native-plan", {
      backupPlan: {
        backupPlanName: "p",
        backupPlanRule: [
          {
            ruleName: "daily",
            targetBackupVault: "vault",
            copyActions: [
              { destinationBackupVaultArn: "arn:aws:backup:eu-west-1:999999999999:backup-vault:dr" },
            ],
          },
        ],
      },
    });
    const classicSelection = (props: Record<string, unknown>) =>
      res(
        "aws:backup/selection:Selection",
        "sel",
        { iamRoleArn: "r", planId: "p", region: "us-east-1", ...props },
        { propertyDependencies: { planId: [plan.urn] } },
      );
    const nativeSelection = (selection: Record<string, unknown>) =>
      res(
        "aws-native:backup:BackupSelection",
        "native-sel",
        { backupPlanId: "p", backupSelection: { selectionName: "s", iamRoleArn: "r", ...selection } },
        { propertyDependencies: { backupPlanId: [nativePlan.urn] } },
      );
    it("stack: no selection, or selections that miss the table (aws and aws-native)", async () => {
      const missing = [
        [],
        [plan, classicSelection({ resources: [`${TABLE_ARN}-other`] })],
        [
          plan,
          classicSelection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }),
        ],
        [
          plan,
          classicSelection({
            resources: ["arn:aws:dynamodb:*:*:table/*"],
            notResources: ["arn:aws:dynamodb:*:*:table/orders"],
          }),
        ],
        [
          nativePlan,
          nativeSelection({
            listOfTags: [{ conditionType: "STRINGEQUALS", conditionKey: "team", conditionValue: "x" }],
          }),
        ],
        [plan, classicSelection({ region: "eu-west-1", resources: ["*"] })],
      ];
      for (const extra of missing) {
        for (const table of [awsTable(), nativeTableResource()]) {
          expectFindings(
            await pack().analyzeStack([table, trail, ...extra]),
            policy,
            1,
            "practice 9",
            "DynamoDB.4",
            "no AWS Backup selection",
          );
        }
      }
    });
    it("stack: selections by ARN, dependency, tags and conditions cover the table", async () => {
      const covering = [
        [plan, classicSelection({ resources: [TABLE_ARN] })],
        [
          plan,
          classicSelection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "required" }] }),
        ],
        [
          plan,
          classicSelection({
            resources: ["*"],
            conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "required" }] }],
          }),
        ],
        [
          nativePlan,
          nativeSelection({
            listOfTags: [
              { conditionType: "STRINGEQUALS", conditionKey: "backup", conditionValue: "required" },
            ],
          }),
        ],
        [nativePlan, nativeSelection({ resources: ["arn:aws:dynamodb:us-east-1:*:table/ord*"] })],
      ];
      for (const extra of covering) {
        for (const table of [awsTable(), nativeTableResource()])
          expectFindings(await pack().analyzeStack([table, trail, ...extra]), policy, 0);
      }
    });
    it("stack: a plan that keeps every copy in the same account and region", async () => {
      const local = res("aws:backup/plan:Plan", "plan", {
        region: "us-east-1",
        rules: [{ ruleName: "daily", targetVaultName: "vault" }],
      });
      const selection = res(
        "aws:backup/selection:Selection",
        "sel",
        { iamRoleArn: "r", planId: "p", region: "us-east-1", resources: [TABLE_ARN] },
        { propertyDependencies: { planId: [local.urn] } },
      );
      expectFindings(
        await pack().analyzeStack([awsTable(), trail, local, selection]),
        policy,
        1,
        "same account and region",
        "copyActions",
      );
    });
    it("a vault encrypted with the AWS-managed key (aws and aws-native)", async () => {
      for (const r of [
        res("aws:backup/vault:Vault", "v", { name: "v" }),
        res("aws-native:backup:BackupVault", "v", { backupVaultName: "v" }),
      ]) {
        expectFindings(await pack().analyze(r), "dynamodb-backup-vault-customer-key", 1, "aws/backup");
      }
      expectNone(
        await pack().analyze(res("aws:backup/vault:Vault", "v", { name: "v", kmsKeyArn: KEY_USE1 })),
      );
    });
  });

  describe("provisioned capacity without autoscaling (practice 10, DynamoDB.1)", () => {
    const policy = "dynamodb-stack-medium";
    const [trail, ...selection] = COVERAGE;
    const provisioned = edit(classicTable, (p) => {
      p.billingMode = "PROVISIONED";
      p.readCapacity = 5;
      p.writeCapacity = 5;
      p.globalSecondaryIndexes = [
        { name: "byCustomer", hashKey: "customer", projectionType: "ALL", readCapacity: 5, writeCapacity: 5 },
      ];
    });
    const target = (id: string, dim: string) =>
      res("aws:appautoscaling/target:Target", `${id}-${dim}`, {
        serviceNamespace: "dynamodb",
        resourceId: id,
        scalableDimension: dim,
        minCapacity: 1,
        maxCapacity: 10,
      });
    const scalingPolicy = (id: string, dim: string) =>
      res("aws:appautoscaling/policy:Policy", `${id}-${dim}-p`, {
        serviceNamespace: "dynamodb",
        resourceId: id,
        scalableDimension: dim,
        policyType: "TargetTrackingScaling",
      });
    const all = [
      ["table/orders", "dynamodb:table:ReadCapacityUnits"],
      ["table/orders", "dynamodb:table:WriteCapacityUnits"],
      ["table/orders/index/byCustomer", "dynamodb:index:ReadCapacityUnits"],
      ["table/orders/index/byCustomer", "dynamodb:index:WriteCapacityUnits"],
    ];
    it("aws: provisioned table and GSI without targets, and targets without policies", async () => {
      expectFindings(
        await pack().analyzeStack([awsTable(provisioned), trail, ...selection]),
        policy,
        1,
        "DynamoDB.1",
        "table read, table write, index byCustomer read, index byCustomer write",
      );
      const targetsOnly = all.map(([id, dim]) => target(id, dim));
      expectFindings(
        await pack().analyzeStack([awsTable(provisioned), trail, ...selection, ...targetsOnly]),
        policy,
        1,
        "without a scaling policy",
      );
      const complete = all.flatMap(([id, dim]) => [target(id, dim), scalingPolicy(id, dim)]);
      expectFindings(
        await pack().analyzeStack([awsTable(provisioned), trail, ...selection, ...complete]),
        policy,
        0,
      );
      const missingIndex = all.slice(0, 2).flatMap(([id, dim]) => [target(id, dim), scalingPolicy(id, dim)]);
      expectFindings(
        await pack().analyzeStack([awsTable(provisioned), trail, ...selection, ...missingIndex]),
        policy,
        1,
        "index byCustomer read, index byCustomer write",
      );
      expectFindings(
        await pack().analyzeStack([
          awsTable(edit(classicTable, (p) => delete p.billingMode)),
          trail,
          ...selection,
        ]),
        policy,
        1,
        "table read, table write",
      );
    });
    it("aws-native: provisioned Table without targets, GlobalTable without autoscaling settings", async () => {
      const table = nativeTableResource(
        edit(nativeTable, (p) => {
          p.billingMode = "PROVISIONED";
          p.provisionedThroughput = { readCapacityUnits: 5, writeCapacityUnits: 5 };
        }),
      );
      expectFindings(
        await pack().analyzeStack([table, trail, ...selection]),
        policy,
        1,
        "table read, table write",
      );
      const global = nativeGlobalResource(
        edit(nativeGlobal, (p) => {
          p.billingMode = "PROVISIONED";
          p.writeProvisionedThroughputSettings = {
            writeCapacityAutoScalingSettings: {
              minCapacity: 1,
              maxCapacity: 10,
              targetTrackingScalingPolicyConfiguration: { targetValue: 70 },
            },
          };
          (p.replicas as Record<string, unknown>[])[0].readProvisionedThroughputSettings = {
            readCapacityUnits: 5,
          };
          (p.replicas as Record<string, unknown>[])[1].readProvisionedThroughputSettings = {
            readCapacityAutoScalingSettings: {
              minCapacity: 1,
              maxCapacity: 10,
              targetTrackingScalingPolicyConfiguration: { targetValue: 70 },
            },
          };
        }),
      );
      expectFindings(
        await pack().analyzeStack([global, trail, ...selection]),
        policy,
        1,
        "replica us-east-1 read",
        "readCapacityAutoScalingSettings",
      );
    });
  });

  describe("streams with NEW_AND_OLD_IMAGES unnecessarily, and unsafe stream consumers (practice 11)", () => {
    const [trail, ...selection] = COVERAGE;
    it("stack: NEW_AND_OLD_IMAGES on a table without replicas or a recorded reason (aws and aws-native)", async () => {
      const classic = awsTable(
        edit(classicTable, (p) => {
          p.streamEnabled = true;
          p.streamViewType = "NEW_AND_OLD_IMAGES";
        }),
      );
      const native = nativeTableResource(
        edit(nativeTable, (p) => (p.streamSpecification = { streamViewType: "NEW_AND_OLD_IMAGES" })),
      );
      for (const table of [classic, native]) {
        expectFindings(
          await pack().analyzeStack([table, trail, ...selection]),
          "dynamodb-stack",
          1,
          "practice 11",
          "NEW_AND_OLD_IMAGES",
          "stream-reason",
        );
      }
      const reasoned = awsTable(
        edit(classicTable, (p) => {
          p.streamEnabled = true;
          p.streamViewType = "NEW_AND_OLD_IMAGES";
          (p.tags as Record<string, string>)["dynamodb-hardened:stream-reason"] =
            "audit needs before and after images";
        }),
      );
      const withReplicaResource = res("aws:dynamodb/tableReplica:TableReplica", "r", tableReplica, {
        propertyDependencies: { globalTableArn: [classic.urn] },
      });
      expectFindings(await pack().analyzeStack([reasoned, trail, ...selection]), "dynamodb-stack", 0);
      expectFindings(
        await pack().analyzeStack([classic, withReplicaResource, trail, ...selection]),
        "dynamodb-stack",
        0,
      );
      expectFindings(
        await pack().analyzeStack([awsTable(classicGlobal), trail, ...selection]),
        "dynamodb-stack",
        0,
      );
    });
    it("event source mappings without on-failure destination, bisect, bounded retries and age (aws and aws-native)", async () => {
      const policy = "dynamodb-stream-least-privilege";
      for (const type of [
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws-native:lambda:EventSourceMapping",
      ]) {
        const bad = await pack().analyze(
          res(type, "esm", { functionName: "f", eventSourceArn: STREAM_ARN, startingPosition: "LATEST" }),
        );
        // One finding per consumer, listing every problem.
        expectFindings(
          bad,
          policy,
          1,
          "practice 11",
          "4 problems",
          "on-failure destination",
          "bisectBatchOnFunctionError",
          "retries are unbounded",
          "record age is unbounded",
        );
        const onFailure = type.startsWith("aws:")
          ? { destinationArn: "arn:aws:sqs:us-east-1:111111111111:dlq" }
          : { destination: "arn:aws:sqs:us-east-1:111111111111:dlq" };
        const good = await pack().analyze(
          res(type, "esm", {
            functionName: "f",
            eventSourceArn: STREAM_ARN,
            startingPosition: "LATEST",
            bisectBatchOnFunctionError: true,
            maximumRetryAttempts: 5,
            maximumRecordAgeInSeconds: 3600,
            destinationConfig: { onFailure },
          }),
        );
        expectNone(good);
        const sqs = await pack().analyze(
          res(type, "esm", { functionName: "f", eventSourceArn: "arn:aws:sqs:us-east-1:111111111111:q" }),
        );
        expectNone(sqs);
      }
    });
    it("stream resource policies that grant more than stream reads (aws and aws-native)", async () => {
      const policy = "dynamodb-stream-least-privilege";
      const statement = {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:role/consumer" },
        Action: ["dynamodb:GetRecords", "dynamodb:PutItem"],
        Resource: STREAM_ARN,
      };
      const classic = await pack().analyze(
        res("aws:dynamodb/resourcePolicy:ResourcePolicy", "sp", {
          resourceArn: STREAM_ARN,
          policy: doc(statement),
        }),
      );
      expectFindings(classic, policy, 1, '"dynamodb:PutItem"');
      const native = await pack().analyze(
        nativeTableResource(
          edit(
            nativeTable,
            (p) =>
              (p.streamSpecification = {
                streamViewType: "KEYS_ONLY",
                resourcePolicy: { policyDocument: { Statement: [statement] } },
              }),
          ),
        ),
      );
      expectFindings(native, policy, 1, "stream policy statement 1");
    });
  });

  describe("global table replicas with inconsistent security settings (practice 12)", () => {
    const policy = "dynamodb-global-table-replicas";
    it("a replica key from another region (aws inline, TableReplica, aws-native)", async () => {
      expectFindings(
        await pack().analyze(
          awsTable(
            edit(classicGlobal, (p) => ((p.replicas as Record<string, unknown>[])[0].kmsKeyArn = KEY_USE1)),
          ),
        ),
        policy,
        1,
        "from us-east-1 for data in eu-west-1",
      );
      expectFindings(
        await pack().analyze(
          res("aws:dynamodb/tableReplica:TableReplica", "r", { ...tableReplica, kmsKeyArn: KEY_USE1 }),
        ),
        policy,
        1,
        "us-east-1",
      );
      expectFindings(
        await pack().analyze(
          nativeGlobalResource(
            edit(
              nativeGlobal,
              (p) =>
                ((
                  p.replicas as Record<string, Record<string, unknown>>[]
                )[1].sseSpecification.kmsMasterKeyId = KEY_USE1),
            ),
          ),
        ),
        policy,
        1,
        "replica eu-west-1",
      );
    });
    it("the 2017 global table version (aws only)", async () => {
      const r = await pack().analyze(
        res("aws:dynamodb/globalTable:GlobalTable", "legacy", {
          name: "orders",
          replicas: [{ regionName: "us-east-1" }, { regionName: "eu-west-1" }],
        }),
      );
      expectFindings(r, policy, 1, "2017.11.29", "2019.11.21");
    });
    it("replica PITR and deletion protection are checked per replica (practices 2, 3 name practice 12)", async () => {
      const r = await pack().analyze(
        awsTable(
          edit(classicGlobal, (p) => {
            const replica = (p.replicas as Record<string, unknown>[])[0];
            replica.pointInTimeRecovery = false;
            replica.deletionProtectionEnabled = false;
          }),
        ),
      );
      expectFindings(r, "dynamodb-point-in-time-recovery", 1, "practice 12");
      expectFindings(r, "dynamodb-deletion-protection", 1, "practice 12");
    });
    it("stack: a replica whose key (created in the stack) is in another region", async () => {
      const key = res("aws:kms/key:Key", "key", { region: "us-east-1" });
      const table = awsTable(
        edit(
          classicGlobal,
          (p) =>
            ((p.replicas as Record<string, unknown>[])[0] = {
              ...classicReplica,
              kmsKeyArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            }),
        ),
      );
      table.propertyDependencies = { replicas: [key.urn] };
      expectPractice(await pack().analyzeStack([key, table]), "dynamodb-stack", 12, 1, "replica eu-west-1");
      const replicaKey = res("aws:kms/replicaKey:ReplicaKey", "key-eu", {
        region: "eu-west-1",
        primaryKeyArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      });
      table.propertyDependencies = { replicas: [replicaKey.urn] };
      expectPractice(await pack().analyzeStack([key, replicaKey, table]), "dynamodb-stack", 12, 0);
    });
  });

  describe("public resource policies (practice 7, Block Public Access)", () => {
    const policy = "dynamodb-resource-policy-not-public";
    const statement = (extra: Record<string, unknown>) => ({
      Effect: "Allow",
      Principal: "*",
      Action: "dynamodb:GetItem",
      Resource: TABLE_ARN,
      ...extra,
    });
    it('"*" without a trusted condition is public (aws and aws-native)', async () => {
      for (const s of [
        statement({}),
        statement({ Principal: { AWS: "*" } }),
        statement({ Condition: { StringEqualsIfExists: { "aws:SourceVpce": "vpce-1" } } }),
        statement({ Condition: { StringLike: { "aws:PrincipalAccount": "*" } } }),
      ]) {
        expectFindings(
          await pack().analyze(
            res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
              resourceArn: TABLE_ARN,
              policy: doc(s),
            }),
          ),
          policy,
          1,
          "practice 7",
          "Block Public Access",
        );
        expectFindings(
          await pack().analyze(
            nativeTableResource(
              edit(nativeTable, (p) => (p.resourcePolicy = { policyDocument: { Statement: [s] } })),
            ),
          ),
          policy,
          1,
          "any principal",
        );
      }
    });
    it('"*" restricted by a trusted condition key with fixed values is not public', async () => {
      for (const condition of [
        { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } },
        { StringEquals: { "aws:SourceVpce": "vpce-1" } },
        { StringEquals: { "aws:PrincipalAccount": ["111111111111"] } },
      ]) {
        expectNone(
          await pack().analyze(
            res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
              resourceArn: TABLE_ARN,
              policy: doc(statement({ Condition: condition })),
            }),
          ),
        );
      }
    });
  });
});
