import * as assert from "assert";
import { U } from "./rules/helpers";

describe("pack: policy SDK integration", () => {
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
