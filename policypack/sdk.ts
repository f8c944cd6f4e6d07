import { Bag } from "./facts/value";
import { TOO_DEEP, UNREADABLE_KEY, unreadableReason } from "./requestGuard";

// The policy SDK hands policies its property bags wrapped in proxies that throw on unknown values. Both of its
// proxies answer these two keys (@pulumi/policy proxy.js, secret.js), which lets the pack read the plain bag.
const IS_PROXY = "__isSpecialProxy";
const TARGET = "__getSpecialProxyTarget";

function isProxy(value: unknown): boolean {
  try {
    return value !== null && typeof value === "object" && (value as Bag)[IS_PROXY] === true;
  } catch {
    return false;
  }
}

/** The plain property bag behind the SDK's proxies: reading it never throws on unknown values. */
export function rawOf(props: unknown): Bag {
  let value = props;
  for (let i = 0; i < 4 && isProxy(value); i++) {
    let target: unknown;
    try {
      target = (value as Bag)[TARGET];
    } catch {
      break;
    }
    if (target === undefined || target === value) break;
    value = target;
  }
  if (value === null || typeof value !== "object") return {};
  if (!isProxy(value)) return value as Bag;
  // Unknown proxy shape: own property descriptors bypass `get` traps, so nested values stay plain.
  const out: Bag = {};
  for (const key of Object.getOwnPropertyNames(value))
    out[key] = Object.getOwnPropertyDescriptor(value, key)?.value;
  return out;
}

let shared = false;
let unreadableSeen = 0;

/** Whether any property bag this process received could not be read (lets stack checks skip looking). */
export function anyUnreadable(): boolean {
  return unreadableSeen > 0;
}

/**
 * A cache for the duration of one request. The SDK handles a request in one run of the event loop (its
 * policies here never wait on I/O), so entries are dropped on the next turn. A plain Map, not a WeakMap:
 * thousands of short-lived weak keys per request make garbage collection markedly slower.
 */
export class RequestCache<K, V> {
  private readonly entries = new Map<K, V>();
  private scheduled = false;

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    this.entries.set(key, value);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.entries.clear();
        this.scheduled = false;
      });
    }
  }
}

/**
 * The SDK deserializes a resource's property bag once per policy in `Analyze`, and every resource once per stack
 * policy in `AnalyzeStack`. Within one request the protobuf `Struct` objects are the same, so the deserialized bag
 * can be shared: policies here only read it. Secret-preserving deserialization (used by `Remediate`, whose
 * policies may edit the bag) is left alone. If the SDK's internals change, this does nothing.
 */
export function shareDeserializedProperties(): boolean {
  if (shared) return true;
  try {
    const mod = require("@pulumi/policy/deserialize") as {
      deserializeProperties?: (s: unknown, secrets: boolean) => unknown;
    };
    const original = mod.deserializeProperties;
    if (typeof original !== "function") return false;
    const cache = new RequestCache<object, unknown>();
    // Decoding and the SDK's own conversion are recursive: a bag nested deeper than the stack allows (but not
    // so deep that the request decoder already replaced it, see requestGuard.ts) becomes the same marker.
    const read = (struct: unknown, proxySecrets: boolean) => {
      let value: unknown;
      try {
        value = original(struct, proxySecrets);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        value = { [UNREADABLE_KEY]: TOO_DEEP };
      }
      if (unreadableReason(rawOf(value)) !== undefined) unreadableSeen++;
      return value;
    };
    mod.deserializeProperties = (struct: unknown, proxySecrets: boolean) => {
      if (proxySecrets || struct === null || typeof struct !== "object") return read(struct, proxySecrets);
      let value = cache.get(struct);
      if (value === undefined) {
        value = read(struct, proxySecrets);
        cache.set(struct, value);
      }
      return value;
    };
    shared = true;
    return true;
  } catch {
    return false;
  }
}
