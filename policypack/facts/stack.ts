import { Budget } from "./budget";
import { TableIdentity, tableIdentity } from "./match";
import {
  ComputeFacts,
  EndpointFacts,
  EventSourceMappingFacts,
  Facts,
  GsiFacts,
  IdentityPolicyFacts,
  Placement,
  ResourcePolicyFacts,
  RouteAssociationFacts,
  ScalingPolicyFacts,
  ScalingTargetFacts,
  SelectionFacts,
  TableFacts,
  TrailFacts,
} from "./model";
import { RawResource, placement } from "./normalize";
import { Kind, kindOfType, normalize } from "./registry";

/** Where a resource's values came from, as the engine recorded it. Read lazily: most rules never ask. */
export interface Dependencies {
  /** URNs of every resource this one depends on. */
  all(): string[];
  /** URNs the value of property `key` came from. */
  of(key: string): string[];
}

/** A resource of `AnalyzeStack`: its raw bag plus its dependencies. */
export interface StackInput extends RawResource {
  dependencies: Dependencies;
}

export function dependencyLists(all: string[], byProperty: Record<string, string[]>): Dependencies {
  return { all: () => all, of: (key) => byProperty[key] ?? [] };
}

export interface Node<F extends Facts = Facts> {
  facts: F;
  dependencies: Dependencies;
}

/** A resource not normalized yet: its kind, and how to read it. */
interface Pending {
  kind: Kind;
  adapt: () => StackInput;
  placement?: Placement;
}

/**
 * Every in-scope resource of a stack, indexed by kind and URN. Stack rules look resources up through these
 * indexes; none of them compares every resource with every other.
 */
export class StackModel {
  readonly tables: Node<TableFacts>[] = [];
  readonly gsis: Node<GsiFacts>[] = [];
  readonly resourcePolicies: Node<ResourcePolicyFacts>[] = [];
  readonly identityPolicies: Node<IdentityPolicyFacts>[] = [];
  readonly endpoints: Node<EndpointFacts>[] = [];
  readonly selections: Node<SelectionFacts>[] = [];
  readonly trails: Node<TrailFacts>[] = [];
  readonly scalingTargets: Node<ScalingTargetFacts>[] = [];
  readonly scalingPolicies: Node<ScalingPolicyFacts>[] = [];
  readonly mappings: Node<EventSourceMappingFacts>[] = [];
  readonly compute: Node<ComputeFacts>[] = [];
  readonly routeAssociations: Node<RouteAssociationFacts>[] = [];
  private readonly nodes = new Map<string, Node | Pending | null>();
  private byName?: Map<string, Node<TableFacts>[]>;
  private resourceCount = 0;
  // Kinds a rule scans in full have a list here; the others (keys, vaults, plans) are only reached through
  // dependencies and are normalized when first reached.
  private readonly scanned: Partial<Record<Kind, Node[]>> = {
    table: this.tables,
    gsi: this.gsis,
    "resource-policy": this.resourcePolicies,
    "identity-policy": this.identityPolicies,
    "vpc-endpoint": this.endpoints,
    "backup-selection": this.selections,
    trail: this.trails,
    "scaling-target": this.scalingTargets,
    "scaling-policy": this.scalingPolicies,
    "event-source-mapping": this.mappings,
    "vpc-compute": this.compute,
    "route-association": this.routeAssociations,
  };

  static build(inputs: Iterable<StackInput>): StackModel {
    return StackModel.from(
      inputs,
      (i) => i.type,
      (i) => i.urn,
      (i) => i,
    );
  }

  /** Builds the model from any resource shape; resources of kinds reached only through dependencies are adapted when reached. */
  static from<T>(
    items: Iterable<T>,
    typeOf: (item: T) => string,
    urnOf: (item: T) => string,
    adapt: (item: T) => StackInput,
  ): StackModel {
    const model = new StackModel();
    for (const item of items) {
      model.resourceCount++;
      const kind = kindOfType(typeOf(item));
      if (!kind) continue;
      if (!model.scanned[kind]) {
        model.nodes.set(urnOf(item), { kind, adapt: () => adapt(item) });
        continue;
      }
      const input = adapt(item);
      const facts = normalize(input);
      if (facts) model.add({ facts, dependencies: input.dependencies });
    }
    return model;
  }

  private add(node: Node): void {
    this.nodes.set(node.facts.subject.urn, node);
    this.scanned[node.facts.kind]?.push(node);
  }

  /** A fresh allowance of pairwise comparisons for one check, proportional to the stack's size. */
  budget(): Budget {
    return Budget.forStack(this.resourceCount);
  }

  /** The in-scope resource with this URN, normalized on first use. */
  get(urn: string): Node | undefined {
    const entry = this.nodes.get(urn);
    if (!entry) return undefined;
    if ("facts" in entry) return entry;
    const input = entry.adapt();
    const facts = normalize(input);
    const node = facts ? { facts, dependencies: input.dependencies } : null;
    this.nodes.set(urn, node);
    return node ?? undefined;
  }

  /** The kind of the in-scope resource with this URN, without normalizing it. */
  kindOf(urn: string): Kind | undefined {
    const entry = this.nodes.get(urn);
    if (!entry) return undefined;
    return "facts" in entry ? entry.facts.kind : entry.kind;
  }

  /** Where the in-scope resource with this URN is, reading only its region and provider. */
  placementOf(urn: string): Placement | undefined {
    const entry = this.nodes.get(urn);
    if (!entry) return undefined;
    if ("facts" in entry) return "placement" in entry.facts ? entry.facts.placement : undefined;
    return (entry.placement ??= placement(entry.adapt()));
  }

  /** The in-scope resources a property's value came from (all dependencies when `keys` is empty). */
  dependenciesOf(node: Node, ...keys: string[]): Node[] {
    const out: Node[] = [];
    const collect = (urns: string[]) => {
      for (const urn of urns) {
        const dep = this.get(urn);
        if (dep) out.push(dep);
      }
    };
    if (!keys.length) collect(node.dependencies.all());
    for (const key of keys) collect(node.dependencies.of(key));
    return out;
  }

  /** Tables (shape `table`) by known physical name. */
  tablesByName(): Map<string, Node<TableFacts>[]> {
    if (!this.byName) {
      this.byName = new Map();
      for (const t of this.tables) {
        const name = t.facts.physicalName;
        if (typeof name !== "string" || t.facts.shape !== "table") continue;
        const list = this.byName.get(name);
        if (list) list.push(t);
        else this.byName.set(name, [t]);
      }
    }
    return this.byName;
  }
}

export function isTable(node: Node): node is Node<TableFacts> {
  return node.facts.kind === "table";
}

export function identityOf(t: TableFacts): TableIdentity {
  return tableIdentity(t.physicalName, t.placement.region, t.placement.account);
}
