import * as fs from "fs";
import * as path from "path";
import { AnalyzerClient, AnalyzerInfo, Diagnostic, fromRecorded, stackFromRecording } from "./analyzerClient";
import { PolicyConfigError, readPolicyConfig, resolvePolicyConfig } from "./policyConfig";
import { ProjectError, loadProject } from "./project";
import { PreviewReport, packIdentity, renderText, toJson } from "./report";
import { runProgram } from "./runProgram";
import { toSarif } from "./sarif";

export const USAGE = `Usage: dynamodb-hardened preview [DIR] [options]

Runs the Pulumi program in DIR (default: the current directory) offline, in preview mode under the
Pulumi SDK's mocks, and checks every resource with the policy pack over the engine's Analyzer protocol.

Options:
  --policy-pack DIR          policy pack directory (default: the dynamodb-hardened pack)
  --policy-pack-config FILE  policy configuration, as for \`pulumi preview --policy-pack-config\`
  --json                     print the report as JSON instead of text
  --sarif FILE               also write the violations as SARIF 2.1.0 to FILE
  -h, --help                 show this help

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or a failed run.`;

export interface CliOptions {
  dir: string;
  packDir: string;
  configFile?: string;
  json: boolean;
  sarifFile?: string;
  help: boolean;
}

/** An error the user can fix; reported as one line, with exit code 2. */
export class UsageError extends Error {}

/** The root of this package (where its package.json is), from compiled or TypeScript sources. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) || path.basename(dir) === "dist") {
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(__dirname, "..");
    dir = up;
  }
  return dir;
}

export function parseArgs(argv: string[], cwd: string): CliOptions {
  const args = argv[0] === "preview" ? argv.slice(1) : argv;
  const options: CliOptions = {
    dir: cwd,
    packDir: path.join(packageRoot(), "policypack"),
    json: false,
    help: false,
  };
  let dirSeen = false;
  const value = (i: number, flag: string) => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") options.help = true;
    else if (a === "--json") options.json = true;
    else if (a === "--policy-pack") options.packDir = path.resolve(cwd, value(i++, a));
    else if (a === "--policy-pack-config") options.configFile = path.resolve(cwd, value(i++, a));
    else if (a === "--sarif") options.sarifFile = path.resolve(cwd, value(i++, a));
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a} (see --help)`);
    else if (dirSeen)
      throw new UsageError(`only one project directory may be given; got ${options.dir} and ${a}`);
    else {
      options.dir = path.resolve(cwd, a);
      dirSeen = true;
    }
  }
  return options;
}

/** Progress on stderr, at most once a second, only once a run has taken more than a second. */
class Progress {
  private last = Date.now();
  constructor(private readonly enabled: boolean) {}
  report(text: string): void {
    if (!this.enabled || Date.now() - this.last < 1000) return;
    this.last = Date.now();
    process.stderr.write(process.stderr.isTTY ? `\r${text}   ` : `${text}\n`);
  }
  done(): void {
    if (this.enabled && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  }
}

async function startPack(packDir: string): Promise<AnalyzerClient> {
  if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
    throw new UsageError(`${packDir} is not a policy pack: it has no PulumiPolicy.yaml`);
  }
  try {
    return await AnalyzerClient.start(packDir);
  } catch (e) {
    const detail =
      (e as Error).message.split("\n").find((l) => /error/i.test(l)) ?? (e as Error).message.split("\n")[0];
    throw new UsageError(`the policy pack in ${packDir} failed to start: ${detail.trim()}`);
  }
}

async function analyzeAll(
  client: AnalyzerClient,
  report: PreviewReport,
  progress: Progress,
): Promise<Diagnostic[]> {
  const targets = report.resources.filter((r) => r.custom);
  const diagnostics: Diagnostic[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < targets.length) {
      const resource = targets[next++];
      const result = await client.analyze(fromRecorded(resource, report.resources));
      diagnostics.push(...result.diagnostics.map((d) => ({ ...d, urn: d.urn || resource.urn })));
      progress.report(`analyzing resources: ${++done}/${targets.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, targets.length) }, worker));
  progress.report("analyzing the stack");
  const stack = await client.analyzeStack(stackFromRecording(report.resources));
  diagnostics.push(...stack.diagnostics);
  const order = new Map(report.resources.map((r, i) => [r.urn, i]));
  return diagnostics.sort(
    (a, b) =>
      (order.get(a.urn) ?? 1e9) - (order.get(b.urn) ?? 1e9) || a.policyName.localeCompare(b.policyName),
  );
}

/** Runs the offline preview; returns the process exit code. */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<number> {
  let client: AnalyzerClient | undefined;
  try {
    const options = parseArgs(argv, cwd);
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    const project = loadProject(options.dir);
    const config = options.configFile ? readPolicyConfig(options.configFile) : undefined;
    const began = Date.now();
    const progress = new Progress(!options.json || process.stderr.isTTY === true);
    const [started, recording] = await Promise.all([startPack(options.packDir), runProgram(project)]);
    client = started;
    if (recording.errors.length) {
      throw new UsageError(
        `the program in ${project.dir} failed: ${recording.errors[0].message.split("\n")[0]}`,
      );
    }
    const info: AnalyzerInfo = await client.getAnalyzerInfo();
    if (config) await client.configure(resolvePolicyConfig(config, info.policies));
    const report: PreviewReport = {
      project: project.name,
      pack: packIdentity(info),
      resources: recording.resources,
      diagnostics: [],
      elapsedMs: 0,
    };
    report.diagnostics = await analyzeAll(client, report, progress);
    report.elapsedMs = Date.now() - began;
    progress.done();
    if (options.sarifFile)
      fs.writeFileSync(
        options.sarifFile,
        JSON.stringify(toSarif(report, info, { projectDir: project.dir }), null, 2),
      );
    console.log(options.json ? JSON.stringify(toJson(report), null, 2) : renderText(report));
    return report.diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ProjectError || e instanceof PolicyConfigError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    console.error(`error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    return 2;
  } finally {
    await client?.close();
  }
}
