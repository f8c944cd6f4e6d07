import { RecordedResource } from "./recorder";

/** Where a resource deploys: the account and region of its provider, or its own `region` input. */
export function placement(resource: RecordedResource, providers: Map<string, RecordedResource>): string {
  const provider = providers.get(resource.provider.split("::").slice(0, -1).join("::"));
  const allowed = provider?.inputs.allowedAccountIds;
  const accounts = typeof allowed === "string" ? safeJson(allowed) : allowed;
  const account = Array.isArray(accounts) ? String(accounts[0]) : undefined;
  const region =
    typeof resource.inputs.region === "string" ? resource.inputs.region : provider?.inputs.region;
  return [account, typeof region === "string" ? region : undefined].filter(Boolean).join(" ");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface TreeLine {
  resource: RecordedResource;
  depth: number;
}

/** Resources in `pulumi preview` order: each parent followed by its children, depth first. */
export function treeOrder(resources: RecordedResource[]): TreeLine[] {
  const children = new Map<string, RecordedResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const parent = urns.has(r.parent) ? r.parent : "";
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(r);
  }
  const lines: TreeLine[] = [];
  const walk = (parent: string, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      lines.push({ resource: r, depth });
      walk(r.urn, depth + 1);
    }
  };
  walk("", 0);
  return lines;
}

/** Renders a tree like `pulumi preview`'s, with an optional note under each resource. */
export function renderTree(
  resources: RecordedResource[],
  notes: (r: RecordedResource) => string[] = () => [],
): string {
  const providers = new Map(
    resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]),
  );
  const out: string[] = [];
  for (const { resource, depth } of treeOrder(resources)) {
    const indent = "    ".repeat(depth);
    const where = placement(resource, providers);
    out.push(
      `${indent}+ ${resource.type.padEnd(Math.max(0, 48 - indent.length))} ${resource.name}${where ? `  [${where}]` : ""}`,
    );
    for (const note of notes(resource)) out.push(`${indent}      ${note}`);
  }
  return out.join("\n");
}
