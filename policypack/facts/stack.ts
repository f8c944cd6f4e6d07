import { TableIdentity } from "./match";
import {
  ComputeFacts,
  EndpointFacts,
  EventSourceMappingFacts,
  Facts,
  GsiFacts,
  IdentityPolicyFacts,
  KeyFacts,
  PlanFacts,
  ResourcePolicyFacts,
  ScalingPolicyFacts,
  ScalingTargetFacts,
  SelectionFacts,
  TableFacts,
  TrailFacts,
  VaultFacts,
} from "./model";
import { RawResource, normalize } from "./normalize";

/** A resource of `AnalyzeStack`: its raw bag plus the dependencies the engine recorded. */
export interface StackInput extends RawResource {
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export interface Node<F extends Facts = Facts> {
  facts: F;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/**
 * Every in-scope resource of a stack, normalized once and indexed by kind and URN. Stack rules look resources
 * up through these indexes; none of them compares every resource with every other.
 */
export class StackModel {
  readonly nodes = new Map<string, Node>();
  readonly tables: Node<TableFacts>[] = [];
  readonly gsis: Node<GsiFacts>[] = [];
  readonly resourcePolicies: Node<ResourcePolicyFacts>[] = [];
  readonly identityPolicies: Node<IdentityPolicyFacts>[] = [];
  readonly endpoints: Node<EndpointFacts>[] = [];
  readonly vaults: Node<VaultFacts>[] = [];
  readonly plans: Node<PlanFacts>[] = [];
  readonly selections: Node<SelectionFacts>[] = [];
  readonly trails: Node<TrailFacts>[] = [];
  readonly scalingTargets: Node<ScalingTargetFacts>[] = [];
  readonly scalingPolicies: Node<ScalingPolicyFacts>[] = [];
  readonly mappings: Node<EventSourceMappingFacts>[] = [];
  readonly keys: Node<KeyFacts>[] = [];
  readonly compute: Node<ComputeFacts>[] = [];
  private byName?: Map<string, Node<TableFacts>[]>;

  static build(inputs: Iterable<StackInput>): StackModel {
    const model = new StackModel();
    for (const input of inputs) {
      const facts = normalize(input);
      if (facts) model.add({ facts, dependencies: input.dependencies, propertyDependencies: input.propertyDependencies });
    }
    return model;
  }

  private add(node: Node): void {
    this.nodes.set(node.facts.subject.urn, node);
    const lists: Record<Facts["kind"], Node[]> = {
      table: this.tables,
      gsi: this.gsis,
      "resource-policy": this.resourcePolicies,
      "identity-policy": this.identityPolicies,
      "vpc-endpoint": this.endpoints,
      "backup-vault": this.vaults,
      "backup-plan": this.plans,
      "backup-selection": this.selections,
      trail: this.trails,
      "scaling-target": this.scalingTargets,
      "scaling-policy": this.scalingPolicies,
      "event-source-mapping": this.mappings,
      "kms-key": this.keys,
      "vpc-compute": this.compute,
      dax: [],
    };
    lists[node.facts.kind].push(node);
  }

  /** The in-scope resources a property's value came from (all properties when `keys` is empty). */
  dependenciesOf(node: Node, ...keys: string[]): Node[] {
    const urns = keys.length ? keys.flatMap((k) => node.propertyDependencies[k] ?? []) : node.dependencies;
    const out: Node[] = [];
    for (const urn of urns) {
      const dep = this.nodes.get(urn);
      if (dep) out.push(dep);
    }
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
  return { name: t.physicalName, region: t.placement.region, account: t.placement.account };
}
