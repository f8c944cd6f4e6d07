import * as assert from "assert";
import {
  Kind,
  RESOURCE_TYPES,
  kindOfType,
  normalize,
  typesOfKinds,
} from "../../../policypack/facts/registry";
import { StackModel, dependencyLists } from "../../../policypack/facts/stack";
import { policies } from "../../../policypack/pack";

/** The engine's unknown-string sentinel (preview). */
const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Every kind of the facts model. A `Record` over the union: adding a kind to the model without listing it
// here fails the typecheck, and the test below then asks for a type that yields it.
const KINDS: Record<Kind, true> = {
  table: true,
  gsi: true,
  "resource-policy": true,
  "identity-policy": true,
  dax: true,
  "vpc-endpoint": true,
  "backup-vault": true,
  "backup-plan": true,
  "backup-selection": true,
  trail: true,
  "scaling-target": true,
  "scaling-policy": true,
  "event-source-mapping": true,
  "kms-key": true,
  "vpc-compute": true,
  "route-association": true,
};

// Bags a type may arrive with: nothing set, everything unknown, everything of the wrong type.
const BAGS: [string, (keys: string[]) => Record<string, unknown>][] = [
  ["empty", () => ({})],
  ["unknown", (keys) => Object.fromEntries(keys.map((k) => [k, U]))],
  [
    "wrong types",
    (keys) => Object.fromEntries(keys.map((k, i) => [k, [42, null, "x", [], { a: 1 }][i % 5]])),
  ],
];

// Property names any of the pack's types reads, so that the unknown and wrong-type bags reach every reader.
const KEYS = [
  "tags",
  "region",
  "name",
  "tableName",
  "replicas",
  "serverSideEncryption",
  "sseSpecification",
  "pointInTimeRecovery",
  "pointInTimeRecoverySpecification",
  "deletionProtectionEnabled",
  "billingMode",
  "streamEnabled",
  "streamViewType",
  "streamSpecification",
  "resourcePolicy",
  "globalSecondaryIndexes",
  "policy",
  "policyDocument",
  "policies",
  "inlinePolicies",
  "resourceArn",
  "serviceName",
  "vpcEndpointType",
  "kmsKeyArn",
  "encryptionKeyArn",
  "rules",
  "backupPlan",
  "backupSelection",
  "resources",
  "conditions",
  "selectionTags",
  "eventSelectors",
  "advancedEventSelectors",
  "eventSourceArn",
  "destinationConfig",
  "vpcConfig",
  "networkConfiguration",
  "vpcZoneIdentifiers",
  "resourceId",
  "scalableDimension",
];

describe("policy pack: the registry of resource types", () => {
  it("every registered type yields facts of its declared kind, from any bag, without throwing", () => {
    for (const [type, entry] of Object.entries(RESOURCE_TYPES)) {
      for (const [label, bag] of BAGS) {
        const facts = normalize({ type, urn: `urn:${type}::r`, name: "r", props: bag(KEYS) });
        assert.ok(facts, `${type} (${label}) yields no facts`);
        assert.strictEqual(facts.kind, entry.kind, `${type} (${label})`);
        assert.strictEqual(facts.subject.type, type);
        assert.doesNotThrow(() => facts.subject.tags, `${type} (${label}): tags`);
      }
    }
  });

  it("every kind of the model is yielded by at least one type", () => {
    for (const kind of Object.keys(KINDS) as Kind[])
      assert.ok(typesOfKinds([kind]).length > 0, `no registered type yields ${kind} facts`);
  });

  it("types it does not list are out of scope, whatever their name", () => {
    for (const type of ["aws:s3/bucket:Bucket", "constructor", "__proto__", "toString", ""]) {
      assert.strictEqual(kindOfType(type), undefined, type);
      assert.strictEqual(normalize({ type, urn: "u", name: "n", props: {} }), undefined, type);
    }
  });

  it("every type a policy claims is registered and normalized to a kind that policy reads", () => {
    for (const p of policies) {
      if (!("kinds" in p)) continue;
      for (const type of typesOfKinds(p.kinds)) {
        const facts = normalize({ type, urn: "u", name: "n", props: {} });
        assert.ok(facts && p.kinds.includes(facts.kind), `${p.name}: ${type}`);
      }
    }
  });

  it("the stack model places every registered type by its kind", () => {
    const types = Object.keys(RESOURCE_TYPES);
    const model = StackModel.build(
      types.map((type, i) => ({
        type,
        urn: `urn:${i}`,
        name: `r${i}`,
        props: {},
        dependencies: dependencyLists([], {}),
      })),
    );
    types.forEach((type, i) => assert.strictEqual(model.kindOf(`urn:${i}`), RESOURCE_TYPES[type].kind, type));
    assert.strictEqual(
      model.tables.length,
      typesOfKinds(["table"]).length,
      "every table type is scanned by the stack rules",
    );
  });
});
