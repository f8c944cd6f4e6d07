/**
 * Protocol buffer encoding by hand, without recursion, for requests the generated encoder cannot build: a
 * `google.protobuf.Struct` nested thousands of levels deep overflows the stack of google-protobuf's recursive
 * `fromJavaScript` and `serializeBinary`. Field numbers: google/protobuf/struct.proto and pulumi's analyzer.proto.
 */

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A length-delimited field (wire type 2): a string, bytes or an embedded message. */
export function field(number: number, payload: Uint8Array): Uint8Array {
  const head = [...varint((number << 3) | 2), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatAll(parts);
}

/** `concat` for lists too long to spread into arguments. */
export function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

/** `Value{string_value}` */
export const stringValue = (text: string) => field(3, utf8(text));

/** `Struct{fields: {key: value}}` from an encoded `Value`. */
export const struct = (entries: [string, Uint8Array][]) =>
  concatAll(entries.map(([key, value]) => field(1, concat(field(1, utf8(key)), field(2, value)))));

/**
 * A `Value` that is `depth` levels of `{key: ...}` (or `[...]`, alternating when `lists`) around `leaf`,
 * built from the inside out in a loop.
 */
export function nestedValue(depth: number, key: string, leaf: Uint8Array, lists = false): Uint8Array {
  let value = leaf;
  for (let level = 0; level < depth; level++) {
    // Value.struct_value = 5, Value.list_value = 6; ListValue.values = 1.
    value = lists && level % 2 ? field(6, field(1, value)) : field(5, struct([[key, value]]));
  }
  return value;
}

/**
 * An encoded `Analyze` request (or `AnalyzerResource`) with properties given as an encoded `Struct`: the rest of
 * the message is encoded by the client with empty properties, and field 2 (properties in both messages) is
 * appended; a later occurrence of a singular message field replaces the earlier one.
 */
export const withProperties = (encodedWithoutProperties: Uint8Array, properties: Uint8Array) =>
  concat(encodedWithoutProperties, field(2, properties));

/** `AnalyzeStackRequest{resources}` from encoded `AnalyzerResource`s. */
export const stackRequest = (resources: Uint8Array[]) => concatAll(resources.map((r) => field(1, r)));
