import * as path from "path";

/**
 * Requests whose property bags the SDK cannot decode still get an answer. The SDK decodes every request with
 * google-protobuf, which reads a nested `Struct` recursively: properties nested a few thousand levels deep
 * overflow the stack, and gRPC answers `INTERNAL: Error deserializing request` (the engine fails the preview
 * without a word from the pack). When decoding fails, the request is decoded again with each unreadable
 * property bag replaced by a marker; bags over `MAX_BAG_BYTES` are replaced before decoding. The policies then
 * report that they cannot decide for that resource (if its type is one they check).
 */

/** The property a replaced bag holds, with the reason as its value. Not a name any provider uses. */
export const UNREADABLE_KEY = "dynamodb-hardened:unreadable";

/** Why a bag was replaced, when `bag` is a replaced one. */
export function unreadableReason(bag: unknown): string | undefined {
  if (bag === null || typeof bag !== "object") return undefined;
  const reason = (bag as Record<string, unknown>)[UNREADABLE_KEY];
  return typeof reason === "string" ? reason : undefined;
}

export const TOO_DEEP =
  "its properties are nested more deeply than the policy SDK can decode (AWS resources nest a few levels; this one nests thousands)";

// ---- Protocol buffer wire format, read without recursion --------------------------------------------------

interface Field {
  number: number;
  /** Where the field (tag included) starts and ends. */
  start: number;
  end: number;
  /** The payload of a length-delimited field. */
  payload?: Uint8Array;
}

function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= bytes.length) throw new Error("truncated varint");
    const b = bytes[at++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, at];
    scale *= 128;
  }
  throw new Error("varint too long");
}

function writeVarint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** The top-level fields of a message. Throws on wire types a request cannot contain (groups) or bad lengths. */
function fieldsOf(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const [tag, next] = readVarint(bytes, at);
    at = next;
    const wire = tag % 8;
    const number = Math.floor(tag / 8);
    let payload: Uint8Array | undefined;
    if (wire === 0) at = readVarint(bytes, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, from] = readVarint(bytes, at);
      at = from + length;
      payload = bytes.subarray(from, at);
    } else throw new Error(`unsupported wire type ${wire}`);
    if (at > bytes.length) throw new Error("truncated field");
    fields.push({ number, start, end: at, payload });
  }
  return fields;
}

function lengthDelimited(number: number, payload: Uint8Array): Uint8Array {
  const head = writeVarint(number * 8 + 2).concat(writeVarint(payload.length));
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

/** `Struct{fields: {UNREADABLE_KEY: Value{string_value: reason}}}` (struct.proto field numbers). */
function markerStruct(reason: string): Uint8Array {
  const entry = concat([
    lengthDelimited(1, utf8(UNREADABLE_KEY)),
    lengthDelimited(2, lengthDelimited(3, utf8(reason))),
  ]);
  return lengthDelimited(1, entry);
}

// ---- Which parts to replace ---------------------------------------------------------------------------------

type Decoder = (bytes: Uint8Array) => unknown;

function decodes(decode: Decoder, bytes: Uint8Array): boolean {
  try {
    decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The most bytes one encoded property bag may take (gRPC's own default message limit). What the pack reads is
 * small (an IAM policy is at most 10 KB, a table's resource policy 20 KB, a table definition a few KB); a bag
 * of tens of MB would cost the SDK's decoder seconds to minutes (500,000 tags: 40 s) for nothing to decide.
 */
export const MAX_BAG_BYTES = 4 * 1024 * 1024;

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

export const tooLarge = (bytes: number) =>
  `its properties take ${megabytes(bytes)} encoded, more than the ${megabytes(MAX_BAG_BYTES)} the pack reads of one resource (the resources it checks take a few KB)`;

/** Why a part of a request should not be decoded (`oversize`), or cannot be (`undecodable`). */
interface Screen {
  bag: (payload: Uint8Array) => string | undefined;
  /** Whether a provider (or stack resource) message needs its bags screened. */
  part: (payload: Uint8Array, decode: Decoder) => boolean;
}

const oversize: Screen = {
  bag: (p) => (p.length > MAX_BAG_BYTES ? tooLarge(p.length) : undefined),
  part: (p) => p.length > MAX_BAG_BYTES,
};

const undecodable = (decodeStruct: Decoder): Screen => ({
  bag: (p) => (decodes(decodeStruct, p) ? undefined : TOO_DEEP),
  part: (p, decode) => !decodes(decode, p),
});

/**
 * A resource message (`AnalyzeRequest`, `AnalyzerResource`, `AnalyzerProviderResource`: properties are field 2
 * in all three, the provider field 6 in the first two) with each screened-out bag replaced by a marker.
 */
function screenResource(bytes: Uint8Array, screen: Screen, decodeProvider?: Decoder): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fieldsOf(bytes)) {
    const reason = f.number === 2 && f.payload ? screen.bag(f.payload) : undefined;
    if (reason !== undefined) parts.push(lengthDelimited(2, markerStruct(reason)));
    else if (f.number === 6 && f.payload && decodeProvider && screen.part(f.payload, decodeProvider))
      parts.push(lengthDelimited(6, screenResource(f.payload, screen)));
    else parts.push(bytes.subarray(f.start, f.end));
  }
  return concat(parts);
}

/** An `AnalyzeStackRequest` (resources are field 1) with only the resources that need it screened. */
function screenStack(bytes: Uint8Array, screen: Screen, decodeResource: Decoder, decodeProvider: Decoder) {
  const parts: Uint8Array[] = [];
  for (const f of fieldsOf(bytes)) {
    if (f.number === 1 && f.payload && screen.part(f.payload, decodeResource))
      parts.push(lengthDelimited(1, screenResource(f.payload, screen, decodeProvider)));
    else parts.push(bytes.subarray(f.start, f.end));
  }
  return concat(parts);
}

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const toBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

interface MethodDefinition {
  requestDeserialize: (buffer: Buffer) => unknown;
}

let guarded = false;

/**
 * Wraps the request decoders of `Analyze`, `AnalyzeStack` and `Remediate` in the SDK's service definition
 * before the SDK serves it. Requests that decode are untouched (the fallback runs only after a failure). If the
 * SDK's layout changes, this does nothing.
 */
export function guardRequestDecoding(): boolean {
  if (guarded) return true;
  try {
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    const from = (id: string) => require(require.resolve(id, { paths: [policyDir] }));
    const service = from("@pulumi/pulumi/proto/analyzer_grpc_pb").AnalyzerService as Record<
      string,
      MethodDefinition
    >;
    const messages = from("@pulumi/pulumi/proto/analyzer_pb");
    const structs = from("google-protobuf/google/protobuf/struct_pb");
    const decodeStruct: Decoder = (b) => structs.Struct.deserializeBinary(b);
    const decodeProvider: Decoder = (b) => messages.AnalyzerProviderResource.deserializeBinary(b);
    const decodeResource: Decoder = (b) => messages.AnalyzerResource.deserializeBinary(b);
    const deep = undecodable(decodeStruct);
    const screens: Record<string, (bytes: Uint8Array, screen: Screen) => Uint8Array> = {
      analyze: (b, screen) => screenResource(b, screen, decodeProvider),
      remediate: (b, screen) => screenResource(b, screen, decodeProvider),
      analyzeStack: (b, screen) => screenStack(b, screen, decodeResource, decodeProvider),
    };
    for (const [method, screenRequest] of Object.entries(screens)) {
      const definition = service[method];
      const original = definition?.requestDeserialize;
      if (typeof original !== "function") return false;
      definition.requestDeserialize = (buffer: Buffer) => {
        // Only a request larger than one bag's limit can hold an oversized bag: the common case costs one test.
        if (buffer.length > MAX_BAG_BYTES) {
          try {
            buffer = toBuffer(screenRequest(toBytes(buffer), oversize));
          } catch {
            // Not a request this reader understands: the SDK's decoder will say so.
          }
        }
        try {
          return original(buffer);
        } catch (e) {
          let screened: Uint8Array;
          try {
            screened = screenRequest(toBytes(buffer), deep);
          } catch {
            throw e;
          }
          return original(toBuffer(screened));
        }
      };
    }
    guarded = true;
    return true;
  } catch {
    return false;
  }
}
