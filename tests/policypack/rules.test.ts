import * as assert from "assert";
import { policyDoc } from "../../policypack/facts/iam";
import {
  arnEndsWith,
  arnEquals,
  arnStartsWith,
  dataResourceMatches,
  tableMatches,
} from "../../policypack/facts/match";
import { PlanFacts, TableFacts } from "../../policypack/facts/model";
import { normalize } from "../../policypack/facts/registry";
import { Node, StackInput, StackModel, dependencyLists } from "../../policypack/facts/stack";
import { UNKNOWN, bool, isUnknown, str, tagsOf } from "../../policypack/facts/value";
import { checkExemption, parseExemptions } from "../../policypack/exemptions";
import { withPath } from "../../policypack/remediation";
import { cmkFindings } from "../../policypack/rules/p01Encryption";
import { pitrFindings } from "../../policypack/rules/p02PointInTimeRecovery";
import { wildcardActionFindings } from "../../policypack/rules/p04LeastPrivilege";
import { publicAccessFindings, restrictsPrincipal } from "../../policypack/rules/p07PublicAccess";
import { backupCoverageFindings, planCopiesElsewhere } from "../../policypack/rules/p09Backup";
import { consumerFindings } from "../../policypack/rules/p11Streams";
import { findingMessage } from "../../policypack/rules/finding";
import { U } from "./protocol/packHarness";

function table(
  props: Record<string, unknown>,
  type = "aws:dynamodb/table:Table",
  providerProps?: Record<string, unknown>,
): TableFacts {
  const facts = normalize({ type, urn: `urn:${type}::t`, name: "t", props, providerProps });
  assert.ok(facts && facts.kind === "table");
  return facts;
}

function stack(...inputs: Partial<StackInput>[]): StackModel {
  return StackModel.build(
    inputs.map((i, n) => ({
      urn: `urn:${n}`,
      name: `r${n}`,
      type: "",
      props: {},
      dependencies: dependencyLists([], {}),
      ...i,
    })),
  );
}

const id = { name: "orders", region: "us-east-1", account: "111111111111" };

describe("pack rules (unit)", () => {
  describe("reading raw values", () => {
    it("every sentinel is unknown; wrong types are absent, never thrown", () => {
      for (const s of [
        U,
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
        UNKNOWN,
      ])
        assert.ok(isUnknown(s));
      assert.strictEqual(bool("TRUE"), true);
      assert.strictEqual(bool(1), undefined);
      assert.strictEqual(
        str({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" }),
        "x",
        "secrets are unwrapped",
      );
      assert.deepStrictEqual([...tagsOf([{ key: "a", value: "b" }, null, 7]).tags], [["a", "b"]]);
      assert.strictEqual(tagsOf(U).unknown, true);
    });
    it("policy documents: strings or objects, single statements, unknown parts", () => {
      assert.strictEqual(policyDoc(U).unknown, true);
      assert.strictEqual(policyDoc("{not json").invalid, true);
      const single = policyDoc({ Statement: { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" } });
      assert.strictEqual(single.statements.length, 1);
      assert.deepStrictEqual(single.statements[0].actions, ["dynamodb:GetItem"]);
      const partly = policyDoc({
        Statement: [
          U,
          { Effect: "Allow", Principal: { AWS: [U, "123456789012"] }, Action: "x", Resource: "*" },
        ],
      });
      assert.strictEqual(partly.unknown, true);
      assert.strictEqual(partly.statements[0].principals.unknown, true);
    });
  });

  describe("ARN patterns", () => {
    it("IAM and AWS Backup resource patterns", () => {
      assert.strictEqual(tableMatches("*", id), "yes");
      assert.strictEqual(tableMatches("arn:aws:dynamodb:*:*:table/*", id), "yes");
      assert.strictEqual(tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/ord*", id), "yes");
      assert.strictEqual(tableMatches("arn:aws:dynamodb:eu-west-1:*:table/orders", id), "no");
      assert.strictEqual(
        tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/orders/index/*", id),
        "no",
      );
      assert.strictEqual(
        tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/orders/index/*", id, true),
        "yes",
      );
      assert.strictEqual(tableMatches("arn:aws:s3:::orders", id), "no");
      assert.strictEqual(
        tableMatches("arn:aws:dynamodb:us-east-1:111111111111:table/orders", { ...id, account: undefined }),
        "unknown",
      );
      assert.strictEqual(tableMatches(UNKNOWN, id), "unknown");
    });
    it("CloudTrail values and advanced selector string tests", () => {
      assert.strictEqual(dataResourceMatches("arn:aws:dynamodb", id), "yes");
      assert.strictEqual(dataResourceMatches("arn:aws:dynamodb:eu-west-1:", id), "no");
      assert.strictEqual(arnEquals("arn:aws:dynamodb:us-east-1:111111111111:table/orders", id), "yes");
      assert.strictEqual(arnStartsWith("arn:aws:dynamodb:us-east-1:", { ...id, account: undefined }), "yes");
      assert.strictEqual(
        arnStartsWith("arn:aws:dynamodb:us-east-1:111111111111:table/ord", { ...id, account: undefined }),
        "unknown",
      );
      assert.strictEqual(arnEndsWith("/orders", { ...id, account: undefined }), "yes");
      assert.strictEqual(arnEndsWith("/other", id), "no");
    });
  });

  describe("facts", () => {
    it("classic tables: absent settings are the AWS defaults (AWS-owned key, PITR off, provisioned billing)", () => {
      const t = table({});
      assert.strictEqual(t.copies[0].key.kind, "aws-owned");
      assert.strictEqual(t.copies[0].pitr, "no");
      assert.strictEqual(t.provisioned, "yes");
    });
    it("the region comes from the resource, else from its provider", () => {
      assert.strictEqual(
        table({}, "aws-native:dynamodb:Table", { region: "eu-west-1" }).placement.region,
        "eu-west-1",
      );
      assert.strictEqual(
        table({ region: "us-east-2" }, "aws:dynamodb/table:Table", { region: "eu-west-1" }).placement.region,
        "us-east-2",
      );
      assert.strictEqual(
        table({}, "aws:dynamodb/table:Table", { allowedAccountIds: '["222222222222"]' }).placement.account,
        "222222222222",
      );
    });
    it("a replica without a key inherits the table's AWS-owned key, else gets the AWS-managed key", () => {
      assert.strictEqual(table({ replicas: [{ regionName: "eu-west-1" }] }).copies[1].key.kind, "aws-owned");
      assert.strictEqual(
        table({
          serverSideEncryption: { enabled: true, kmsKeyArn: U },
          replicas: [{ regionName: "eu-west-1" }],
        }).copies[1].key.kind,
        "aws-managed",
      );
    });
  });

  describe("rules over facts", () => {
    it("practice 1 accepts unknown keys, practice 2 reads the configured minimum", () => {
      assert.deepStrictEqual(
        cmkFindings(table({ serverSideEncryption: { enabled: true, kmsKeyArn: U } })),
        [],
      );
      const t = table({ pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: 10 } });
      assert.strictEqual(pitrFindings(t, 7).length, 0);
      assert.strictEqual(pitrFindings(t, 14).length, 1);
    });
    it("practice 4: wildcards only count on DynamoDB resources (or in resource policies)", () => {
      const subject = table({}).subject;
      const doc = (resource: string, action = "*") => [
        {
          label: "p",
          doc: policyDoc({ Statement: [{ Effect: "Allow", Action: action, Resource: resource }] }),
        },
      ];
      assert.strictEqual(wildcardActionFindings(subject, doc("arn:aws:s3:::b"), false).length, 0);
      assert.strictEqual(wildcardActionFindings(subject, doc("*"), false).length, 1);
      assert.strictEqual(
        wildcardActionFindings(subject, doc("arn:aws:s3:::b", "dynamodb:*"), false).length,
        1,
      );
      assert.strictEqual(wildcardActionFindings(subject, doc("arn:aws:s3:::b"), true).length, 1);
      const deny = [
        { label: "p", doc: policyDoc({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }) },
      ];
      assert.strictEqual(wildcardActionFindings(subject, deny, false).length, 0);
    });
    it("practice 7: Block Public Access trusted keys, operators and fixed values", () => {
      const c = (operator: string, key: string, values: string[]) => ({
        operator,
        key: key.toLowerCase(),
        values,
      });
      assert.ok(restrictsPrincipal(c("StringEquals", "aws:SourceVpce", ["vpce-1"])));
      assert.ok(restrictsPrincipal(c("ForAnyValue:StringEquals", "aws:PrincipalOrgPaths", ["o-a/r-b/"])));
      assert.ok(!restrictsPrincipal(c("StringEqualsIfExists", "aws:SourceVpce", ["vpce-1"])));
      assert.ok(!restrictsPrincipal(c("StringNotEquals", "aws:PrincipalAccount", ["1"])));
      assert.ok(!restrictsPrincipal(c("StringEquals", "aws:SourceVpce", ["vpce-*"])));
      assert.ok(!restrictsPrincipal(c("StringEquals", "aws:CurrentTime", ["x"])));
      assert.ok(!restrictsPrincipal(c("Bool", "aws:PrincipalIsAWSService", ["false"])));
      assert.ok(restrictsPrincipal(c("Bool", "aws:PrincipalIsAWSService", ["true"])));
      const subject = table({}).subject;
      const nonPublic = [
        {
          label: "p",
          doc: policyDoc({
            Statement: [
              { Effect: "Allow", Principal: { AWS: ["111111111111"] }, Action: "dynamodb:GetItem" },
            ],
          }),
        },
      ];
      assert.deepStrictEqual(
        publicAccessFindings(subject, nonPublic, { trustedAccountIds: [] }, undefined),
        [],
      );
      assert.strictEqual(
        publicAccessFindings(subject, nonPublic, { trustedAccountIds: ["222222222222"] }, undefined).length,
        1,
      );
      assert.deepStrictEqual(
        publicAccessFindings(subject, nonPublic, { trustedAccountIds: ["222222222222"] }, "111111111111"),
        [],
        "the own account is trusted",
      );
    });
    it("practice 9: selection semantics (resources OR tags, AND conditions, minus notResources) and plan copies", () => {
      const tableInput = {
        urn: "urn:table",
        type: "aws:dynamodb/table:Table",
        props: { name: "orders", region: "us-east-1", tags: { backup: "required", env: "prod" } },
      };
      const selection = (props: Record<string, unknown>) => ({
        urn: "urn:sel",
        type: "aws:backup/selection:Selection",
        props: { region: "us-east-1", ...props },
      });
      const covered = (props: Record<string, unknown>) =>
        backupCoverageFindings(stack(tableInput, selection(props)), { requireCopy: false }).length === 0;
      assert.ok(covered({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "required" }] }));
      assert.ok(
        covered({
          resources: ["*"],
          conditions: [{ stringEquals: [{ key: "aws:ResourceTag/env", value: "prod" }] }],
        }),
      );
      assert.ok(
        !covered({
          resources: ["*"],
          conditions: [{ stringEquals: [{ key: "aws:ResourceTag/env", value: "dev" }] }],
        }),
      );
      assert.ok(
        !covered({
          resources: ["*"],
          conditions: [{ stringNotEquals: [{ key: "aws:ResourceTag/env", value: "prod" }] }],
        }),
      );
      assert.ok(
        covered({
          resources: ["*"],
          conditions: [{ stringLikes: [{ key: "aws:ResourceTag/env", value: "pr*" }] }],
        }),
      );
      assert.ok(!covered({ resources: ["*"], notResources: ["arn:aws:dynamodb:*:*:table/orders"] }));
      assert.ok(covered({ resources: [U] }), "an unknown ARN may be this table: no false alarm");
      const plan = (copies: unknown[], region = "us-east-1") =>
        stack({
          urn: "urn:plan",
          type: "aws:backup/plan:Plan",
          props: { region, rules: [{ ruleName: "r", targetVaultName: "v", copyActions: copies }] },
        }).get("urn:plan") as Node<PlanFacts>;
      const model = stack();
      assert.strictEqual(
        planCopiesElsewhere(
          model,
          plan([{ destinationVaultArn: "arn:aws:backup:eu-west-1:111111111111:backup-vault:x" }]),
        ),
        "yes",
      );
      assert.strictEqual(planCopiesElsewhere(model, plan([])), "no");
      assert.strictEqual(planCopiesElsewhere(model, plan([{ destinationVaultArn: U }])), "unknown");
    });
    it("practice 11: consumer limits", () => {
      const esm = normalize({
        type: "aws:lambda/eventSourceMapping:EventSourceMapping",
        urn: "u",
        name: "n",
        props: { maximumRetryAttempts: -1, maximumRecordAgeInSeconds: U },
      });
      assert.ok(esm && esm.kind === "event-source-mapping");
      const problems = consumerFindings(esm, {
        maximumRetryAttempts: 10,
        maximumRecordAgeInSeconds: 3600,
      }).map((f) => f.problem);
      // One finding listing the three decidable problems; the unknown record age is not one of them.
      assert.strictEqual(problems.length, 1, problems.join("\n"));
      assert.match(
        problems[0],
        /3 problems: \(1\) no on-failure destination.*\(2\) bisect.*\(3\) retries are unbounded/,
      );
      assert.doesNotMatch(problems[0], /record age/);
    });
    it("a finding names its practice, controls, resource, problem and fix", () => {
      const [f] = pitrFindings(table({}), 7);
      const message = findingMessage(f);
      for (const part of [
        "[practice 2",
        "Security Hub DynamoDB.2",
        'aws:dynamodb/table:Table "t"',
        "(table)",
        "Fix: set pointInTimeRecovery.enabled",
      ])
        assert.ok(message.includes(part), message);
      assert.ok(!message.includes("component"));
      const [child] = pitrFindings(table({ tags: { "dynamodb-hardened:managed-by": "HardenedTable" } }), 7);
      assert.ok(
        findingMessage(child).endsWith(
          "made by the HardenedTable component: change the component's arguments, not the child.",
        ),
      );
    });
  });

  describe("policy SDK integration", () => {
    it("the deserialized property bag is shared between the policies of one request (and only without secrets)", () => {
      const { shareDeserializedProperties } = require("../../policypack/sdk");
      assert.ok(shareDeserializedProperties(), "the SDK still has the function the pack wraps");
      const { deserializeProperties } = require("@pulumi/policy/deserialize");
      const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
      const struct = Struct.fromJavaScript({ a: { b: 1 } });
      assert.strictEqual(deserializeProperties(struct, false), deserializeProperties(struct, false));
      assert.notStrictEqual(deserializeProperties(struct, true), deserializeProperties(struct, true));
    });
    it("rawOf reads the plain bag behind the SDK's unknown-checking proxy without throwing", () => {
      const { unknownCheckingProxy } = require("@pulumi/policy/proxy");
      const { rawOf } = require("../../policypack/sdk");
      const proxy = unknownCheckingProxy({ sse: { kmsKeyArn: U } });
      assert.throws(() => proxy.sse.kmsKeyArn, /can't be known during preview/);
      assert.strictEqual(rawOf(proxy).sse.kmsKeyArn, U);
    });
  });

  describe("exemptions and remediation helpers", () => {
    it("parse, match, expire", () => {
      const parsed = parseExemptions([
        { name: "a*", reason: "r", expires: "2999-01-01" },
        { name: "b*", reason: "r", expires: "2000-01-01" },
        { name: "c*", expires: "2999-01-01" },
        { reason: "no matcher", expires: "2999-01-01" },
        "junk",
      ]);
      assert.strictEqual(parsed.valid.length, 2);
      assert.strictEqual(parsed.invalid.length, 2);
      const subject = (name: string) => ({
        urn: `urn:${name}`,
        name,
        type: "t",
        tags: new Map(),
        tagsUnknown: false,
      });
      const now = new Date();
      assert.deepStrictEqual(checkExemption(subject("abc"), parsed, now), { exempt: true });
      const expired = checkExemption(subject("bcd"), parsed, now);
      assert.ok(!expired.exempt && expired.notes[0].includes("expired on 2000-01-01"));
      const invalid = checkExemption(subject("cde"), parsed, now);
      assert.ok(!invalid.exempt && invalid.notes[0].includes("has no reason"));
    });
    it("withPath copies along the path and refuses to go through unknown or secret values", () => {
      const secret = { value: 1 };
      Object.defineProperty(secret, "constructor", { value: class Secret {} });
      const bag = { a: { b: false, keep: 1 }, list: [{ x: 1 }], unknown: U, other: secret };
      assert.deepStrictEqual(withPath(bag, "a.b", true), { ...bag, a: { b: true, keep: 1 } });
      assert.deepStrictEqual(withPath(bag, "list[0].y", true), { ...bag, list: [{ x: 1, y: true }] });
      assert.strictEqual(withPath(bag, "unknown.enabled", true), undefined);
      assert.strictEqual(withPath(bag, "list[3].y", true), undefined);
      assert.strictEqual(bag.a.b, false, "the input is not changed");
    });
  });
});
