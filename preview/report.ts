import type { AnalyzerInfo, Diagnostic } from "./analyzerClient";
import { maskSecrets, revealSecrets } from "./analyzerMarshal";
import { RecordedResource } from "./recorder";
import { renderTree } from "./tree";

/** What an offline preview found: the resources the program would create and the pack's verdicts. */
export interface PreviewReport {
  project: string;
  /** The stack the program was configured for. */
  stack?: string;
  pack: { name: string; version: string };
  resources: RecordedResource[];
  diagnostics: Diagnostic[];
  /** Milliseconds spent running the program and analyzing it. */
  elapsedMs: number;
}

export interface Summary {
  resources: number;
  mandatory: number;
  advisory: number;
  remediate: number;
}

export function summarize(report: PreviewReport): Summary {
  const count = (level: string) => report.diagnostics.filter((d) => d.enforcementLevel === level).length;
  return {
    resources: report.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length,
    mandatory: count("mandatory"),
    advisory: count("advisory"),
    remediate: count("remediate"),
  };
}

const MARK: Record<string, string> = {
  mandatory: "✖ mandatory",
  advisory: "⚠ advisory",
  remediate: "↻ remediate",
};

/** How text is coloured: ANSI escapes on a terminal, nothing otherwise. */
export interface Colours {
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

export const Colours = {
  ansi: {
    red: ansi(31),
    yellow: ansi(33),
    cyan: ansi(36),
    green: ansi(32),
    bold: ansi(1),
    dim: ansi(2),
  } as Colours,
  none: { red: plain, yellow: plain, cyan: plain, green: plain, bold: plain, dim: plain } as Colours,
};

export interface RenderOptions {
  colours?: Colours;
  /** Show secret values; `[secret]` otherwise, as `pulumi preview` does. */
  showSecrets?: boolean;
}

/** The finding itself: the engine prefixes the policy's description; the tree already names the resource. */
export function findingLines(d: Diagnostic): string[] {
  let text = d.message.startsWith(d.description)
    ? d.message.slice(d.description.length).trim()
    : d.message.trim();
  if (!text) text = d.description;
  text = text.replace(/^\[[^\]]*\]\s*/, "");
  const [finding, ...fix] = text.split(/\s(?=Fix: )/);
  return [finding.trim(), ...fix.map((f) => f.trim())];
}

export function renderText(report: PreviewReport, options: RenderOptions = {}): string {
  const c = options.colours ?? Colours.none;
  const paint: Record<string, (t: string) => string> = {
    mandatory: c.red,
    advisory: c.yellow,
    remediate: c.cyan,
  };
  const byUrn = new Map<string, Diagnostic[]>();
  for (const d of report.diagnostics) {
    if (!byUrn.has(d.urn)) byUrn.set(d.urn, []);
    byUrn.get(d.urn)!.push(d);
  }
  const notes = (ds: Diagnostic[]) =>
    ds.flatMap((d) => {
      const [finding, ...fix] = findingLines(d);
      return [
        `${(paint[d.enforcementLevel] ?? plain)(MARK[d.enforcementLevel] ?? d.enforcementLevel)} ${c.bold(`[${d.policyName}]`)} ${finding}`,
        ...fix.map((f) => `    ${c.dim(f)}`),
      ];
    });
  const tree = renderTree(report.resources, (r) => notes(byUrn.get(r.urn) ?? []));
  const unplaced = report.diagnostics.filter((d) => !report.resources.some((r) => r.urn === d.urn));
  const s = summarize(report);
  const lines = [
    `Previewing ${report.project}${report.stack ? ` (stack ${report.stack})` : ""} offline with policy pack ${report.pack.name}@${report.pack.version}`,
    "Resource outputs are mocked: nothing was sent to AWS, and values computed by AWS are unknown, as in `pulumi preview`.",
    "",
    tree,
  ];
  if (unplaced.length) {
    lines.push("", "Stack-level findings:");
    for (const line of notes(unplaced)) lines.push(`    ${line}`);
  }
  lines.push(
    "",
    `Resources: ${s.resources} to create`,
    `Policies: ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.remediate} remediated (${(report.elapsedMs / 1000).toFixed(1)} s)`,
    s.mandatory
      ? c.red("Mandatory policy violations: a real `pulumi preview --policy-pack` would fail.")
      : c.green("No mandatory policy violations."),
  );
  return lines.join("\n");
}

export function toJson(report: PreviewReport, options: RenderOptions = {}): unknown {
  const secrets = options.showSecrets ? revealSecrets : maskSecrets;
  return {
    project: report.project,
    stack: report.stack,
    policyPack: report.pack,
    mocked: true,
    summary: summarize(report),
    resources: report.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent || undefined,
      provider: r.provider || undefined,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
      inputs: secrets(r.wireInputs),
    })),
    diagnostics: report.diagnostics,
  };
}

export function packIdentity(info: AnalyzerInfo): { name: string; version: string } {
  return { name: info.name, version: info.version };
}
