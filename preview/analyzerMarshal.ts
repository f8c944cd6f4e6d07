/**
 * Property values as the engine sends them to a policy pack.
 *
 * The engine marshals a resource's inputs for `Analyze`/`AnalyzeStack` with
 * `MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true}` and without
 * `KeepResources` (pulumi/pulumi `pkg/resource/plugin/analyzer_plugin.go`). So, following
 * `sdk/go/common/resource/plugin/rpc.go`:
 * - a resource reference becomes its ID when the reference carries one (unknown in a preview, so the
 *   unknown sentinel), otherwise its URN (components);
 * - an output value becomes its element, or the unknown sentinel when not known, wrapped as a secret
 *   when secret;
 * - secrets stay wrapped, unknowns stay sentinels;
 * - top-level keys starting with `__` are dropped.
 */

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** The engine's unknown string sentinel. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function secret(value: unknown): Record<string, unknown> {
  return { [SIG]: SECRET_SIG, value };
}

/** One value marshalled as the engine marshals it for analyzers. */
export function marshalValueForAnalyzer(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(marshalValueForAnalyzer);
  if (!value || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  switch (obj[SIG]) {
    case SECRET_SIG:
      return secret(marshalValueForAnalyzer(obj.value));
    case RESOURCE_REFERENCE_SIG: {
      if (!("id" in obj)) return obj.urn;
      const id = obj.id;
      return typeof id === "string" && id !== "" && id !== UNKNOWN_STRING ? id : UNKNOWN_STRING;
    }
    case OUTPUT_VALUE_SIG: {
      const element = "value" in obj ? marshalValueForAnalyzer(obj.value) : UNKNOWN_STRING;
      return obj.secret === true ? secret(element) : element;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = marshalValueForAnalyzer(v);
  return out;
}

/** A property bag marshalled as the engine marshals it for analyzers. */
export function marshalForAnalyzer(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(properties)) {
    if (k.startsWith("__")) continue;
    out[k] = marshalValueForAnalyzer(v);
  }
  return out;
}

/** Every secret replaced by `[secret]`, as `pulumi preview` shows them unless `--show-secrets`. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!value || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG] === SECRET_SIG) return "[secret]";
  if (obj[SIG] === OUTPUT_VALUE_SIG && obj.secret === true) return "[secret]";
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = maskSecrets(v);
  return out;
}

/** Every secret unwrapped (for `--show-secrets`). */
export function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (!value || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG] === SECRET_SIG) return revealSecrets(obj.value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = revealSecrets(v);
  return out;
}
