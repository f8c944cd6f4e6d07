import * as assert from "assert";
import { dependencyLists } from "../../../policypack/facts/stack";
import { cmkFindings, keyRotationFindings } from "../../../policypack/rules/p01Encryption";
import { U, stack, table } from "./helpers";

describe("practice 1 rules: customer-managed keys", () => {
  it("practice 1 accepts unknown keys", () => {
    assert.deepStrictEqual(cmkFindings(table({ serverSideEncryption: { enabled: true, kmsKeyArn: U } })), []);
  });
});

describe("practice 1 stack check: table keys rotate", () => {
  const KEY = "aws:kms/key:Key";
  const tableOn = (key = "urn:0", type = "aws:dynamodb/table:Table", props?: Record<string, unknown>) => ({
    urn: "urn:table",
    name: "orders",
    type,
    props: props ?? { name: "orders", serverSideEncryption: { enabled: true, kmsKeyArn: U } },
    dependencies: dependencyLists([key], {
      [type.startsWith("aws-native") ? "sseSpecification" : "serverSideEncryption"]: [key],
    }),
  });
  const names = (model: ReturnType<typeof stack>) =>
    keyRotationFindings(model).map((f) => `${f.subject.urn} ${f.where}: ${f.problem}`);

  it("flags a customer-managed key with rotation off (or left at its default) that encrypts a table", () => {
    for (const props of [{ enableKeyRotation: false }, {}]) {
      assert.deepStrictEqual(names(stack({ type: KEY, props }, tableOn())), [
        'urn:0 enableKeyRotation: it encrypts table "orders" and does not rotate its key material: the same material protects every item for as long as the key lives.',
      ]);
    }
  });

  it("flags an aws-native key too, once however many tables use it", () => {
    const native = "aws-native:dynamodb:Table";
    const nativeProps = { sseSpecification: { sseEnabled: true, sseType: "KMS", kmsMasterKeyId: U } };
    const model = stack(
      { type: "aws-native:kms:Key", props: { enableKeyRotation: false } },
      tableOn("urn:0", native, nativeProps),
      { ...tableOn("urn:0", native, nativeProps), urn: "urn:table2", name: "payments" },
    );
    assert.strictEqual(names(model).length, 1);
  });

  it("passes rotating keys, unknown settings, keys KMS cannot rotate and keys no table uses", () => {
    for (const props of [
      { enableKeyRotation: true },
      { enableKeyRotation: U },
      { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" },
      { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" },
      { customKeyStoreId: "cks-1234" },
    ])
      assert.deepStrictEqual(names(stack({ type: KEY, props }, tableOn())), [], JSON.stringify(props));
    assert.deepStrictEqual(
      names(stack({ type: "aws-native:kms:Key", props: { keySpec: "ECC_NIST_P256" } }, tableOn())),
      [],
    );
    assert.deepStrictEqual(names(stack({ type: "aws:kms/replicaKey:ReplicaKey", props: {} }, tableOn())), []);
    assert.deepStrictEqual(names(stack({ type: KEY, props: {} })), [], "a key no table uses");
  });
});
