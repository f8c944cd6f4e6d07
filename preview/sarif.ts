import type { AnalyzerInfo } from "./analyzerClient";
import { PreviewReport } from "./report";

const LEVEL: Record<string, string> = {
  mandatory: "error",
  advisory: "warning",
  remediate: "note",
  disabled: "none",
};

/**
 * SARIF 2.1.0 for code-scanning tools: one rule per policy, one result per violation, located by the
 * resource's URN (a logical location: there is no source line for a resource).
 */
export function toSarif(report: PreviewReport, info: AnalyzerInfo): Record<string, unknown> {
  const ruleIndex = new Map(info.policies.map((p, i) => [p.name, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "dynamodb-hardened",
            informationUri: "https://github.com/dynamodb-hardened/dynamodb-hardened",
            version: info.version,
            rules: info.policies.map((p) => ({
              id: p.name,
              name: p.displayName || p.name,
              shortDescription: { text: p.description.split("\n")[0] || p.name },
              fullDescription: { text: p.description || p.name },
              help: { text: p.remediationSteps || p.description || p.name },
              defaultConfiguration: { level: LEVEL[p.enforcementLevel] ?? "warning" },
              properties: { tags: p.tags, severity: p.severity },
            })),
          },
        },
        results: report.diagnostics.map((d) => ({
          ruleId: d.policyName,
          ...(ruleIndex.has(d.policyName) ? { ruleIndex: ruleIndex.get(d.policyName) } : {}),
          level: LEVEL[d.enforcementLevel] ?? "warning",
          message: { text: d.message },
          locations: [
            {
              logicalLocations: [
                { fullyQualifiedName: d.urn, name: d.urn.split("::").pop(), kind: "resource" },
              ],
            },
          ],
          properties: { enforcementLevel: d.enforcementLevel, policyPack: d.policyPackName },
        })),
        properties: { project: report.project, mocked: true },
      },
    ],
  };
}
