import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import type { AnalyzerInfo, Diagnostic, PolicyInfo } from "./analyzerClient";
import type { RecordedResource, SourcePosition } from "./recorder";
import { PreviewReport } from "./report";

const REPOSITORY = "https://github.com/dynamodb-hardened/dynamodb-hardened";
const PRACTICES_DOC = `${REPOSITORY}/blob/main/docs/practices.md`;
const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** Versioned, so that a change of what identifies a finding starts new alerts instead of mixing two schemes. */
const FINGERPRINT_KEY = "dynamodbHardenedFinding/v1";

const LEVEL: Record<string, string> = {
  mandatory: "error",
  advisory: "warning",
  remediate: "note",
  disabled: "none",
};

/**
 * GitHub reads `security-severity` (0.0 to 10.0) as critical from 9.0, high from 7.0, medium from 4.0,
 * low below; a policy without a severity is rated by its enforcement level.
 */
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const SEVERITY_BY_LEVEL: Record<string, string> = { mandatory: "8.0", advisory: "5.5", remediate: "3.0" };

export interface SarifOptions {
  /** The Pulumi project directory: call-stack frames in it (outside node_modules) are the program's lines. */
  projectDir?: string;
  /**
   * The directory result paths are relative to: the repository root code scanning resolves them against.
   * Default: the nearest ancestor of `projectDir` with a `.git`, else `projectDir`.
   */
  rootDir?: string;
}

/** The practice numbers a policy's description opens with ("Practice 2 ..." or "Practices 4, 5, 6 ..."). */
export function practicesOf(policy: Pick<PolicyInfo, "description">): number[] {
  const lead = /^Practices?\s+([\d,\s]+(?:and\s+\d+)?)/i.exec(policy.description);
  return lead ? [...lead[1].matchAll(/\d+/g)].map((m) => Number(m[0])) : [];
}

function practiceUrl(n: number): string {
  return `${PRACTICES_DOC}#practice-${n}`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

function rule(p: PolicyInfo) {
  const practices = practicesOf(p);
  const docs =
    p.url || (practices.length ? practiceUrl(practices[0]) : `${REPOSITORY}/blob/main/docs/policy-pack.md`);
  const remediation = p.remediationSteps || p.description || p.name;
  const practiceLinks = practices.map((n) => `[practice ${n}](${practiceUrl(n)})`).join(", ");
  return {
    id: p.name,
    name: pascalCase(p.name),
    shortDescription: { text: p.displayName || p.description.split("\n")[0] || p.name },
    fullDescription: { text: p.description || p.name },
    helpUri: docs,
    help: {
      text: `${remediation}\n\nDocumentation: ${docs}`,
      markdown:
        `${remediation}\n\n` +
        (practiceLinks ? `Practices: ${practiceLinks}. ` : "") +
        `Policy settings and exemptions: [policy pack documentation](${REPOSITORY}/blob/main/docs/policy-pack.md).`,
    },
    defaultConfiguration: { level: LEVEL[p.enforcementLevel] ?? "warning" },
    properties: {
      tags: [...new Set(["security", "dynamodb", ...p.tags])],
      precision: "high",
      "security-severity": SECURITY_SEVERITY[p.severity] ?? SEVERITY_BY_LEVEL[p.enforcementLevel] ?? "5.5",
      ...(p.severity ? { severity: p.severity } : {}),
      ...(practices.length ? { practices } : {}),
      ...(p.framework ? { framework: p.framework } : {}),
    },
  };
}

function repositoryRoot(dir: string): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return path.resolve(dir);
  }
}

function filePath(uri: string): string | undefined {
  try {
    return uri.startsWith("file:") ? fileURLToPath(uri) : path.resolve(uri);
  } catch {
    return undefined;
  }
}

/** The first frame of the construction stack that is the program's own code, not a library's. */
function programFrame(resource: RecordedResource, projectDir: string): SourcePosition | undefined {
  const frames = resource.stackTrace?.length
    ? resource.stackTrace
    : resource.sourcePosition
      ? [resource.sourcePosition]
      : [];
  return frames.find((f) => {
    const file = filePath(f.uri);
    if (!file) return false;
    const rel = path.relative(projectDir, file);
    return !rel.startsWith("..") && !path.isAbsolute(rel) && !rel.split(path.sep).includes("node_modules");
  });
}

/**
 * SARIF 2.1.0 for code scanning (GitHub, VS Code's SARIF viewer): one rule per policy, one result per
 * violation. A result is placed on the program line that constructed the resource, or, for a resource a
 * component created, the program line that constructed that component (the SDK reports each resource's
 * construction stack in `RegisterResourceRequest`). Stack-level findings, and resources no program line
 * created (e.g. inside an `apply`), are placed on the project file, `Pulumi.yaml`. Every result also names
 * the resource's URN as a logical location, and carries a fingerprint of policy, URN and message, which
 * stays the same from run to run while the finding does.
 */
export function toSarif(
  report: PreviewReport,
  info: AnalyzerInfo,
  options: SarifOptions = {},
): Record<string, unknown> {
  const ruleIndex = new Map(info.policies.map((p, i) => [p.name, i]));
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const rootDir = path.resolve(options.rootDir ?? repositoryRoot(projectDir));
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(projectDir, f)).find(fs.existsSync);

  const artifact = (file: string) => {
    const rel = path.relative(rootDir, file);
    return rel.startsWith("..") || path.isAbsolute(rel)
      ? { uri: pathToFileURL(file).toString() }
      : { uri: rel.split(path.sep).join("/"), uriBaseId: "%SRCROOT%" };
  };

  const placeOf = (d: Diagnostic): { file: string; line: number; column?: number } | undefined => {
    for (let r = byUrn.get(d.urn); r; r = r.parent ? byUrn.get(r.parent) : undefined) {
      const frame = programFrame(r, projectDir);
      const file = frame && filePath(frame.uri);
      if (frame && file) return { file, line: frame.line, column: frame.column };
    }
    return projectFile ? { file: projectFile, line: 1 } : undefined;
  };

  const results = report.diagnostics.map((d) => {
    const place = placeOf(d);
    const name = d.urn ? d.urn.split("::").pop() : report.project;
    const fingerprint = createHash("sha256").update(`${d.policyName}\0${d.urn}\0${d.message}`).digest("hex");
    return {
      ruleId: d.policyName,
      ...(ruleIndex.has(d.policyName) ? { ruleIndex: ruleIndex.get(d.policyName) } : {}),
      level: LEVEL[d.enforcementLevel] ?? "warning",
      message: { text: d.message },
      locations: [
        {
          ...(place
            ? {
                physicalLocation: {
                  artifactLocation: artifact(place.file),
                  region: { startLine: place.line, ...(place.column ? { startColumn: place.column } : {}) },
                },
              }
            : {}),
          logicalLocations: [
            d.urn
              ? { fullyQualifiedName: d.urn, name, kind: "resource" }
              : { fullyQualifiedName: report.project, name: report.project, kind: "module" },
          ],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
      properties: { enforcementLevel: d.enforcementLevel, policyPack: d.policyPackName },
    };
  });

  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "dynamodb-hardened",
            fullName: `dynamodb-hardened offline preview with the ${info.name} policy pack`,
            informationUri: `${REPOSITORY}/blob/main/docs/policy-pack.md`,
            version: info.version,
            semanticVersion: info.version,
            rules: info.policies.map(rule),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(rootDir).toString().replace(/\/?$/, "/") } },
        columnKind: "utf16CodeUnits",
        results,
        properties: { project: report.project, mocked: true },
      },
    ],
  };
}
