import * as fs from "fs";
import type { AnalyzerInfo, Diagnostic } from "../preview/analyzerClient";
import { findingLines } from "../preview/report";
import { toSarif } from "../preview/sarif";
import { controlsOf, practiceOf, securityHubControls } from "./findings";
import { GLOBAL } from "./readers/iam";
import type { Gap, UnitResult } from "./run";

export interface AuditHeader {
  pack: { name: string; version: string };
  caller: { account: string; arn: string };
  accounts: number;
  regions: string;
}

export interface AuditSummary {
  accounts: number;
  accountRegions: number;
  tables: number;
  mandatory: number;
  advisory: number;
  gaps: number;
  /** Keys in another account: read as far as their key policy lets the audit role, refusals expected, not gaps. */
  foreignKeys: number;
  calls: number;
  elapsedMs: number;
}

/** Where results go as they arrive: nothing is held beyond one account-region. */
export interface AuditWriter {
  start(header: AuditHeader): void;
  unit(result: UnitResult): void;
  gap(gap: Gap): void;
  finish(summary: AuditSummary): void;
}

/** A finding as the JSON report and SARIF carry it. */
export function findingJson(d: Diagnostic) {
  const [finding, ...fix] = findingLines(d);
  return {
    policyName: d.policyName,
    enforcementLevel: d.enforcementLevel,
    severity: d.severity,
    resource: d.urn,
    practice: practiceOf(d),
    securityHub: securityHubControls(d),
    controls: controlsOf(d),
    finding,
    fix: fix.join(" ").replace(/^Fix:\s*/, ""),
    message: d.message,
  };
}

const MARK: Record<string, string> = {
  mandatory: "✖ mandatory",
  advisory: "⚠ advisory",
  remediate: "↻ remediate",
};

function gapLine(g: Gap): string {
  const where =
    g.what === "account"
      ? "account not audited"
      : g.what === "region"
        ? "region not audited"
        : `not read: ${g.what}`;
  const count = g.count ? ` (${g.count} resource${g.count > 1 ? "s" : ""})` : "";
  const practices = g.practices.length ? `; practices unchecked: ${g.practices.join(", ")}` : "";
  return `! ${where}${count}: ${g.reason}${practices}`;
}

function countsLine(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([k, n]) => k === "tables" || n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
}

/** Text grouped by account and region, then by resource (its ARN), findings in the preview's form. */
export class TextWriter implements AuditWriter {
  constructor(private readonly write: (line: string) => void) {}

  start(h: AuditHeader): void {
    this.write(
      `Auditing ${h.accounts} account${h.accounts === 1 ? "" : "s"} (${h.regions}) as ${h.caller.arn} with policy pack ${h.pack.name}@${h.pack.version}`,
    );
    this.write("Read-only: every finding comes from the pack's own rules, run on what AWS reports.\n");
  }

  unit(r: UnitResult): void {
    const name = r.accountName ? ` (${r.accountName})` : "";
    const where = r.region === GLOBAL ? `${GLOBAL} (IAM identity policies, once per account)` : r.region;
    const lines = [`${r.account}${name} · ${where}: ${countsLine(r.counts) || "nothing read"}`];
    const byResource = new Map<string, Diagnostic[]>();
    for (const d of r.diagnostics) byResource.set(d.urn, [...(byResource.get(d.urn) ?? []), d]);
    for (const [urn, list] of byResource) {
      lines.push(`  ${urn}`);
      for (const d of list) {
        const [finding, ...fix] = findingLines(d);
        const hub = securityHubControls(d);
        lines.push(
          `    ${MARK[d.enforcementLevel] ?? d.enforcementLevel} [${d.policyName}] ${finding} [Security Hub: ${hub.length ? hub.join(", ") : "none"}]`,
          ...fix.map((f) => `        ${f}`),
        );
      }
    }
    for (const g of r.gaps) lines.push(`  ${gapLine(g)}`);
    if (!r.diagnostics.length && !r.gaps.length) lines[0] += " · no findings";
    this.write(lines.join("\n"));
  }

  gap(g: Gap): void {
    this.write(`${g.account}${g.region ? ` · ${g.region}` : ""}: ${gapLine(g)}`);
  }

  finish(s: AuditSummary): void {
    this.write(
      [
        "",
        `Audited ${s.accountRegions} account-regions in ${s.accounts} accounts: ${s.tables} tables (${(s.elapsedMs / 1000).toFixed(1)} s, ${s.calls} AWS calls)`,
        `Findings: ${s.mandatory} mandatory, ${s.advisory} advisory`,
        s.gaps
          ? `Not read: ${s.gaps} gap${s.gaps > 1 ? "s" : ""} (marked !): those parts were not checked.`
          : "Everything in scope was read.",
        ...(s.foreignKeys
          ? [
              `Keys in another account: ${s.foreignKeys} (read as far as their key policies let the audit role; audit their accounts for the rest).`,
            ]
          : []),
        s.mandatory ? "Mandatory violations: the audit fails." : "No mandatory violations.",
      ].join("\n"),
    );
  }
}

/** One JSON document, written as it grows: `units` are appended as account-regions finish. */
export class JsonWriter implements AuditWriter {
  private units = 0;
  private readonly gaps: Gap[] = [];

  constructor(private readonly write: (chunk: string) => void) {}

  start(h: AuditHeader): void {
    this.write(
      `{"tool":"dynamodb-hardened audit","policyPack":${JSON.stringify(h.pack)},"caller":${JSON.stringify(h.caller)},"units":[`,
    );
  }

  unit(r: UnitResult): void {
    const body = {
      account: r.account,
      accountName: r.accountName,
      region: r.region,
      counts: r.counts,
      findings: r.diagnostics.map(findingJson),
      gaps: r.gaps,
    };
    this.write(`${this.units++ ? "," : ""}\n${JSON.stringify(body)}`);
  }

  gap(g: Gap): void {
    this.gaps.push(g);
  }

  finish(s: AuditSummary): void {
    this.write(`\n],"gaps":${JSON.stringify(this.gaps)},"summary":${JSON.stringify(s)}}\n`);
  }
}

/** SARIF 2.1.0 in the preview's form (its rules, levels and result shape), results streamed to a file. */
export class SarifWriter implements AuditWriter {
  private readonly fd: number;
  private results = 0;
  private suffix = "";

  constructor(
    file: string,
    private readonly info: AnalyzerInfo,
  ) {
    this.fd = fs.openSync(file, "w");
  }

  start(h: AuditHeader): void {
    const skeleton = toSarif(
      {
        project: `audit of ${h.accounts} accounts`,
        pack: h.pack,
        resources: [],
        diagnostics: [],
        elapsedMs: 0,
      },
      this.info,
    ) as { runs: { results: unknown[]; properties: unknown }[] };
    skeleton.runs[0].properties = { audit: true, caller: h.caller.arn, regions: h.regions };
    const marker = '"results":"@@results@@"';
    (skeleton.runs[0] as { results: unknown }).results = "@@results@@";
    const [prefix, suffix] = JSON.stringify(skeleton).split(marker);
    fs.writeSync(this.fd, `${prefix}"results":[`);
    this.suffix = `]${suffix}`;
  }

  unit(r: UnitResult): void {
    if (!r.diagnostics.length) return;
    const { runs } = toSarif(
      {
        project: "",
        pack: { name: "", version: "" },
        resources: [],
        diagnostics: r.diagnostics,
        elapsedMs: 0,
      },
      this.info,
    ) as { runs: { results: { properties: Record<string, unknown> }[] }[] };
    const results = runs[0].results.map((result, i) => {
      const d = r.diagnostics[i];
      result.properties = {
        ...result.properties,
        account: r.account,
        region: r.region,
        practice: practiceOf(d),
        securityHubControls: securityHubControls(d),
      };
      return JSON.stringify(result);
    });
    fs.writeSync(this.fd, `${this.results ? "," : ""}${results.join(",")}`);
    this.results += results.length;
  }

  gap(): void {}

  finish(): void {
    fs.writeSync(this.fd, this.suffix);
    fs.closeSync(this.fd);
  }
}

/** Fans one event out to several writers (text or JSON on stdout, SARIF to a file). */
export class Writers implements AuditWriter {
  constructor(private readonly list: AuditWriter[]) {}
  start(h: AuditHeader): void {
    for (const w of this.list) w.start(h);
  }
  unit(r: UnitResult): void {
    for (const w of this.list) w.unit(r);
  }
  gap(g: Gap): void {
    for (const w of this.list) w.gap(g);
  }
  finish(s: AuditSummary): void {
    for (const w of this.list) w.finish(s);
  }
}
