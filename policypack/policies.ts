import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { accountOfArn } from "./facts/arn";
import { Facts, Subject } from "./facts/model";
import { FactsOf, Kind, kindOfType, normalize, typesOfKinds } from "./facts/registry";
import { StackInput, StackModel } from "./facts/stack";
import { Bag } from "./facts/value";
import { EXEMPTIONS_SCHEMA, ParsedExemptions, checkExemption, parseExemptions } from "./exemptions";
import { SchemaNode, configProblems } from "./configValidation";
import { withPath } from "./remediation";
import { Finding, findingMessage } from "./rules/finding";
import { PRACTICES_DOC_URL, Practice, frameworkOf, tagsOf } from "./rules/practice";
import { unreadableReason } from "./requestGuard";
import { RequestCache, anyUnreadable, rawOf } from "./sdk";

/** What a policy's `getConfig()` returned, with the exemptions parsed. */
export interface PolicyConfig {
  raw: Record<string, unknown>;
  exemptions: ParsedExemptions;
  /** Where the configuration does not follow the policy's schema (reported as a finding, never ignored). */
  problems: string[];
}

const exemptionCache = new WeakMap<object, ParsedExemptions>();
const NO_EXEMPTIONS: ParsedExemptions = { valid: [], invalid: [] };

const problemCache = new WeakMap<object, string[]>();

function readConfig(getConfig: () => object, schema: PolicyConfigSchema): PolicyConfig {
  let raw: Record<string, unknown> = {};
  let problems: string[] = [];
  try {
    const value = getConfig();
    if (value && typeof value === "object" && !Array.isArray(value)) raw = value as Record<string, unknown>;
    else if (value !== undefined && value !== null) problems = ["the configuration is not an object"];
  } catch (e) {
    problems = [`the configuration could not be read (${e instanceof Error ? e.message : String(e)})`];
  }
  if (!problems.length && Object.keys(raw).length) {
    const cached = problemCache.get(raw);
    problems = cached ?? configProblems(schema.properties as Record<string, SchemaNode>, raw);
    if (!cached) problemCache.set(raw, problems);
  }
  const list = raw.exemptions;
  let exemptions = NO_EXEMPTIONS;
  if (Array.isArray(list) && list.length) {
    exemptions = exemptionCache.get(list) ?? parseExemptions(list);
    exemptionCache.set(list, exemptions);
  }
  return { raw, exemptions, problems };
}

/** A number from the configuration, within bounds, else the default. */
export function numberSetting(
  config: PolicyConfig,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.raw[key];
  return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max
    ? value
    : fallback;
}

export function booleanSetting(config: PolicyConfig, key: string, fallback: boolean): boolean {
  const value = config.raw[key];
  return typeof value === "boolean" ? value : fallback;
}

/** A list of strings; a single string counts as a list of one (and is reported as a schema problem). */
export function stringListSetting(config: PolicyConfig, key: string, pattern: RegExp): string[] {
  const given = config.raw[key];
  const value = typeof given === "string" ? [given] : given;
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string" && pattern.test(v))
    : [];
}

export function stringSetting(config: PolicyConfig, key: string, pattern: RegExp): string | undefined {
  const value = config.raw[key];
  return typeof value === "string" && pattern.test(value) ? value : undefined;
}

function internalError(policy: string, e: unknown): string {
  let detail: string;
  try {
    detail = e instanceof Error ? e.message : String(e);
  } catch {
    detail = "an error that cannot be printed";
  }
  return `[internal] ${policy} could not evaluate this resource (${detail}); it is reported so that nothing passes unchecked. Please report this to the pack's maintainers.`;
}

/**
 * Reports findings not covered by an active exemption; expired or invalid exemptions are named in the message.
 * A finding whose exemption check or message throws is still reported, as an internal error (fail closed).
 */
function report(
  policy: string,
  findings: Finding[],
  config: PolicyConfig,
  reportViolation: ReportViolation,
  stackLevel: boolean,
): void {
  const now = new Date();
  const exempt = (subject: Subject) =>
    (config.exemptions.valid.length || config.exemptions.invalid.length) &&
    checkExemption(subject, config.exemptions, now).exempt;
  for (const finding of findings) {
    let message: string;
    let urn: string | undefined;
    try {
      if (finding.group) {
        const remaining = finding.group.subjects.filter((s) => !exempt(s));
        if (!remaining.length) continue;
        const names = remaining.map((s) => `"${s.name}"`);
        reportViolation(findingMessage({ ...finding, problem: finding.group.problem(names) }));
        continue;
      }
      urn = finding.subject.urn;
      const result =
        config.exemptions.valid.length || config.exemptions.invalid.length
          ? checkExemption(finding.subject, config.exemptions, now)
          : undefined;
      if (result?.exempt) continue;
      const notes = result && !result.exempt && result.notes.length ? ` ${result.notes.join(" ")}` : "";
      message = findingMessage(finding) + notes;
    } catch (e) {
      message = internalError(policy, e);
    }
    if (stackLevel) reportViolation(message, urn);
    else reportViolation(message);
  }
}

function configurationError(policy: string, problems: string[]): string {
  const shown =
    problems.slice(0, 10).join("; ") + (problems.length > 10 ? `; and ${problems.length - 10} more` : "");
  return `[configuration] ${policy} has an invalid configuration: ${shown}. Settings that cannot be read fall back to their secure defaults; fix the configuration to follow the policy's configSchema.`;
}

/** A resource whose properties the pack could not read, and why. */
interface Unreadable {
  subject: Subject;
  reason: string;
}

function unreadableOf(r: {
  type: string;
  urn: string;
  name: string;
  props: unknown;
  provider?: { props: unknown };
}): Unreadable | undefined {
  const own = unreadableReason(rawOf(r.props));
  const provider = own === undefined && r.provider ? unreadableReason(rawOf(r.provider.props)) : undefined;
  const reason =
    own ?? (provider === undefined ? undefined : `its provider's settings cannot be read: ${provider}`);
  if (reason === undefined) return undefined;
  return { subject: { urn: r.urn, name: r.name, type: r.type, tags: new Map(), tagsUnknown: true }, reason };
}

/**
 * The "can't decide" finding on a resource the pack could not read: reported (subject to exemptions by URN or
 * name) so that nothing passes unchecked, never a failed call.
 */
function reportUnreadable(
  policy: string,
  practices: Practice[],
  unreadable: Unreadable[],
  config: PolicyConfig,
  reportViolation: ReportViolation,
  stackLevel: boolean,
): void {
  const now = new Date();
  const which =
    practices.length === 1
      ? `practice ${practices[0].number} (${practices[0].title})`
      : `practices ${practices.map((p) => p.number).join(", ")}`;
  for (const { subject, reason } of unreadable) {
    if (checkExemption(subject, config.exemptions, now).exempt) continue;
    const message = `[undecided] ${subject.type} "${subject.name}": ${policy} cannot decide whether this resource follows ${which}: ${reason}. It is reported so that nothing passes unchecked. Fix: give the resource plainer properties, or exempt it by URN or name with a reason.`;
    if (stackLevel) reportViolation(message, subject.urn);
    else reportViolation(message);
  }
}

const factsCache = new RequestCache<object, Facts | null>();

/** Facts of the resource under analysis, computed once per request however many policies ask. */
export function factsOf(args: {
  type: string;
  urn: string;
  name: string;
  props: unknown;
  provider?: { props: unknown };
}): Facts | undefined {
  const props = rawOf(args.props);
  let facts = factsCache.get(props);
  if (facts === undefined) {
    facts =
      normalize({
        type: args.type,
        urn: args.urn,
        name: args.name,
        props,
        providerProps: args.provider ? rawOf(args.provider.props) : undefined,
      }) ?? null;
    factsCache.set(props, facts);
  }
  return facts ?? undefined;
}

const modelCache = new RequestCache<object, { length: number; model: StackModel }>();

const urnOf = (r: PolicyResource) => r.urn;

function stackInput(r: PolicyResource): StackInput {
  return {
    type: r.type,
    urn: r.urn,
    name: r.name,
    props: rawOf(r.props),
    providerProps: r.provider ? rawOf(r.provider.props) : undefined,
    dependencies: {
      all: () => (r.dependencies ?? []).map(urnOf),
      of: (key) => (r.propertyDependencies?.[key] ?? []).map(urnOf),
    },
  };
}

/** The stack's facts, built once per `AnalyzeStack` however many stack policies ask. */
export function modelOf(resources: PolicyResource[]): StackModel {
  const key = resources.length ? rawOf(resources[0].props) : undefined;
  const cached = key ? modelCache.get(key) : undefined;
  if (cached && cached.length === resources.length) return cached.model;
  const model = StackModel.from(resources, (r) => r.type, urnOf, stackInput);
  if (key) modelCache.set(key, { length: resources.length, model });
  return model;
}

const splitCache = new RequestCache<
  object,
  { length: number; readable: PolicyResource[]; unreadable: Unreadable[] }
>();

/**
 * The stack's resources the pack could read, and those of types it checks that it could not. Once per request:
 * the SDK builds new resource objects for each stack policy, around the same (shared) property bags.
 */
function splitUnreadable(resources: PolicyResource[]) {
  const key = resources.length ? rawOf(resources[0].props) : undefined;
  const cached = key ? splitCache.get(key) : undefined;
  if (cached && cached.length === resources.length) return cached;
  const readable: PolicyResource[] = [];
  const unreadable: Unreadable[] = [];
  for (const r of resources) {
    const found = kindOfType(r.type) ? unreadableOf(r) : undefined;
    if (found) unreadable.push(found);
    else readable.push(r);
  }
  const split = { length: resources.length, readable, unreadable };
  if (key) splitCache.set(key, split);
  return split;
}

/** What every policy of the pack declares beside its rule; Pulumi Cloud shows all of it. */
interface PolicyMetadata {
  name: string;
  displayName: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  remediationSteps: string;
  /**
   * Security Hub (AWS Foundational Security Best Practices) controls this policy answers to, when they are not
   * its practices' (a backup vault's key is practice 9, but DynamoDB.4 is about backup plans, not vaults).
   */
  securityHub?: string[];
  config?: PolicyConfigSchema["properties"];
}

export interface ResourcePolicyDefinition<K extends Kind> extends PolicyMetadata {
  practice: Practice;
  /** Kinds of facts the rule reads; the policy validates every resource type of these kinds. */
  kinds: readonly K[];
  check: (facts: FactsOf<K>, config: PolicyConfig) => Finding[];
  /** Paths to set to `true` on a resource whose facts show the setting off. */
  remediation?: (facts: FactsOf<K>) => string[];
}

export interface StackPolicyDefinition extends PolicyMetadata {
  practices: Practice[];
  check: (model: StackModel, config: PolicyConfig) => Finding[];
}

/** A policy of this pack: what the SDK runs, plus what it checks (read by tests and docs). */
export type PackResourcePolicy = ResourceValidationPolicy & { practices: number[]; kinds: readonly Kind[] };
export type PackStackPolicy = StackValidationPolicy & { practices: number[] };
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

function schema(extra: PolicyConfigSchema["properties"] | undefined): PolicyConfigSchema {
  return {
    properties: {
      ...(extra ?? {}),
      exemptions: EXEMPTIONS_SCHEMA as PolicyConfigSchema["properties"][string],
    },
  };
}

/** What the engine and Pulumi Cloud show of a policy: the same for resource and stack policies. */
function metadata(def: PolicyMetadata, practices: Practice[]) {
  return {
    name: def.name,
    displayName: def.displayName,
    description: def.description,
    enforcementLevel: def.enforcementLevel,
    severity: def.severity,
    remediationSteps: def.remediationSteps,
    url: practices.length === 1 ? practices[0].url : PRACTICES_DOC_URL,
    framework: frameworkOf(practices, def.securityHub),
    tags: tagsOf(practices),
    configSchema: schema(def.config),
    practices: practices.map((p) => p.number),
  };
}

/** A CrossGuard resource policy over facts: the kinds it reads, its rule, exemptions, optional remediation. */
export function resourcePolicy<K extends Kind>(def: ResourcePolicyDefinition<K>): PackResourcePolicy {
  const types = new Set(typesOfKinds(def.kinds));
  const configSchema = schema(def.config);
  // Resources of other types are skipped without a "not applicable" result: the SDK reports those by throwing,
  // and a dozen exceptions per resource cost more than the whole evaluation (see docs/policy-pack.md).
  const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!types.has(args.type)) return;
    const config = readConfig(args.getConfig, configSchema);
    if (config.problems.length) reportViolation(configurationError(def.name, config.problems));
    const unreadable = anyUnreadable() ? unreadableOf(args) : undefined;
    if (unreadable) {
      reportUnreadable(def.name, [def.practice], [unreadable], config, reportViolation, false);
      return;
    }
    let findings: Finding[];
    try {
      const facts = factsOf(args);
      findings = facts ? def.check(facts as FactsOf<K>, config) : [];
    } catch (e) {
      reportViolation(internalError(def.name, e));
      return;
    }
    report(def.name, findings, config, reportViolation, false);
  };
  const policy: PackResourcePolicy = {
    ...metadata(def, [def.practice]),
    kinds: def.kinds,
    validateResource: validate,
  };
  if (def.remediation) {
    const paths = def.remediation;
    policy.remediateResource = (args: ResourceValidationArgs) => {
      if (!types.has(args.type)) return undefined;
      const props = rawOf(args.props);
      if (unreadableReason(props) !== undefined) return undefined;
      const facts = normalize({
        type: args.type,
        urn: args.urn,
        name: args.name,
        props,
        providerProps: args.provider ? rawOf(args.provider.props) : undefined,
      });
      if (!facts) return undefined;
      const config = readConfig(args.getConfig, configSchema);
      const check = checkExemption(facts.subject, config.exemptions, new Date());
      if (check.exempt) return undefined;
      let result: Bag = props;
      let changed = false;
      for (const path of paths(facts as FactsOf<K>)) {
        const next = withPath(result, path, true);
        if (next) {
          result = next;
          changed = true;
        }
      }
      return changed ? result : undefined;
    };
  }
  return policy;
}

/** A CrossGuard stack policy over the stack model. */
export function stackPolicy(def: StackPolicyDefinition): PackStackPolicy {
  const configSchema = schema(def.config);
  return {
    ...metadata(def, def.practices),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const config = readConfig(args.getConfig, configSchema);
      if (config.problems.length) reportViolation(configurationError(def.name, config.problems));
      let resources = args.resources;
      if (anyUnreadable()) {
        const { readable, unreadable } = splitUnreadable(resources);
        reportUnreadable(def.name, def.practices, unreadable, config, reportViolation, true);
        resources = readable;
      }
      let findings: Finding[];
      try {
        findings = def.check(modelOf(resources), config);
      } catch (e) {
        reportViolation(internalError(def.name, e));
        return;
      }
      report(def.name, findings, config, reportViolation, true);
    },
  };
}

/** The account a resource policy belongs to, from its target ARN or its provider. */
export function ownAccount(facts: Facts): string | undefined {
  if (facts.kind === "resource-policy") {
    const fromArn = accountOfArn(facts.resourceArn);
    if (typeof fromArn === "string") return fromArn;
  }
  const placement = "placement" in facts ? facts.placement : undefined;
  return typeof placement?.account === "string" ? placement.account : undefined;
}

export type { Subject };
