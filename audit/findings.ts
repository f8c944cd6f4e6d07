import type { Diagnostic } from "../preview/analyzerClient";

/** The practice number of a finding: the pack's message starts its finding with `[practice N: ...]`. */
export function practiceOf(d: Diagnostic): number | undefined {
  const m = /\[practice (\d+):/.exec(d.message);
  return m ? Number(m[1]) : undefined;
}

/** The controls the pack names for a finding: the bracket after the practice title. */
export function controlsOf(d: Diagnostic): string[] {
  const m = /\[practice \d+: [^;\]]*; ([^\]]*)\]/.exec(d.message);
  return m ? m[1].split(/,\s*/).filter(Boolean) : [];
}

/** Security Hub control ids (`DynamoDB.2`, `KMS.4`) a finding maps to; `DynamoDB.1-7` expands to each. Empty when none. */
export function securityHubControls(d: Diagnostic): string[] {
  const ids: string[] = [];
  for (const c of controlsOf(d)) {
    const m = /^Security Hub ([A-Za-z]+)\.(\d+)(?:-(\d+))?/.exec(c);
    if (!m) continue;
    const from = Number(m[2]);
    const to = m[3] ? Number(m[3]) : from;
    for (let i = from; i <= to; i++) ids.push(`${m[1]}.${i}`);
  }
  return ids;
}
