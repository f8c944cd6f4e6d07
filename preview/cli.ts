import * as fs from "fs";
import * as path from "path";
import { AnalyzerClient, AnalyzerInfo, Diagnostic, fromRecorded, stackFromRecording } from "./analyzerClient";
import { PolicyConfigError, readPolicyConfig, resolvePolicyConfig } from "./policyConfig";
import { stopAll, stopChildrenOnExit } from "./processes";
import { ProgramRunError, runProgramProcess } from "./programProcess";
import { ProjectError, loadProject } from "./project";
import { Colours, PreviewReport, packIdentity, renderText, toJson } from "./report";
import { toSarif } from "./sarif";
import { ConfigArg, loadStackConfig } from "./stackConfig";

export const DEFAULT_TIMEOUT_SECONDS = 300;

export const USAGE = `Usage: dynamodb-hardened preview [DIR] [options]

Runs the Pulumi program in DIR (default: the current directory) offline, in preview mode under the
Pulumi SDK's mocks, and checks every resource with the policy pack over the engine's Analyzer protocol.

Options:
  -s, --stack NAME           stack whose Pulumi.<NAME>.yaml configures the program (default: the only
                             stack file in DIR, else "offline")
  -c, --config KEY=VALUE     configuration value over the stack's (repeatable; KEY may be namespace:key)
  --config-secret KEY=VALUE  configuration value the program receives as a secret (repeatable)
  --policy-pack DIR          policy pack directory (default: the dynamodb-hardened pack)
  --policy-pack-config FILE  policy configuration, as for \`pulumi preview --policy-pack-config\`
  --json                     print the report as JSON instead of text (the program's output goes to stderr)
  --sarif FILE               also write the violations as SARIF 2.1.0 to FILE
  --show-secrets             show secret values instead of [secret]
  --timeout SECONDS          stop a program (and the pack) that has not finished (default ${DEFAULT_TIMEOUT_SECONDS})
  --color MODE               always, never or auto (default: colour when stdout is a terminal, not in CI
                             and NO_COLOR unset)
  --version                  print the version
  -h, --help                 show this help

Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input or a failed run,
128+N interrupted by signal N.`;

export interface CliOptions {
  dir: string;
  packDir: string;
  configFile?: string;
  json: boolean;
  sarifFile?: string;
  help: boolean;
  version: boolean;
  stack?: string;
  config: ConfigArg[];
  showSecrets: boolean;
  timeoutSeconds: number;
  color: "always" | "never" | "auto";
}

/** An error the user can fix; reported with exit code 2. */
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

export function packageVersion(): string {
  return (
    JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }
  ).version;
}

function configArg(flag: string, text: string, secret: boolean): ConfigArg {
  const at = text.indexOf("=");
  if (at <= 0) throw new UsageError(`${flag} ${text}: expected KEY=VALUE`);
  return { key: text.slice(0, at), value: text.slice(at + 1), secret };
}

export function parseArgs(argv: string[], cwd: string): CliOptions {
  const args = argv[0] === "preview" ? argv.slice(1) : argv;
  const options: CliOptions = {
    dir: cwd,
    packDir: path.join(packageRoot(), "policypack"),
    json: false,
    help: false,
    version: false,
    config: [],
    showSecrets: false,
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    color: "auto",
  };
  let dirSeen = false;
  const value = (i: number, flag: string) => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const [a, inline] = args[i].startsWith("--") && args[i].includes("=") ? splitFlag(args[i]) : [args[i]];
    const next = (flag: string) => (inline !== undefined ? inline : value(i++, flag));
    if (a === "-h" || a === "--help") options.help = true;
    else if (a === "--version") options.version = true;
    else if (a === "--json") options.json = true;
    else if (a === "--show-secrets") options.showSecrets = true;
    else if (a === "-s" || a === "--stack") options.stack = next(a);
    else if (a === "-c" || a === "--config") options.config.push(configArg(a, next(a), false));
    else if (a === "--config-secret") options.config.push(configArg(a, next(a), true));
    else if (a === "--policy-pack") options.packDir = path.resolve(cwd, next(a));
    else if (a === "--policy-pack-config") options.configFile = path.resolve(cwd, next(a));
    else if (a === "--sarif") options.sarifFile = path.resolve(cwd, next(a));
    else if (a === "--timeout") {
      const text = next(a);
      const seconds = Number(text);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw new UsageError(`--timeout ${text}: expected a positive number of seconds`);
      options.timeoutSeconds = seconds;
    } else if (a === "--color") {
      const mode = next(a);
      if (mode !== "always" && mode !== "never" && mode !== "auto")
        throw new UsageError(`--color ${mode}: use always, never or auto`);
      options.color = mode;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a} (see --help)`);
    else if (dirSeen)
      throw new UsageError(`only one project directory may be given; got ${options.dir} and ${a}`);
    else {
      options.dir = path.resolve(cwd, a);
      dirSeen = true;
    }
  }
  return options;
}

function splitFlag(arg: string): [string, string] {
  const at = arg.indexOf("=");
  return [arg.slice(0, at), arg.slice(at + 1)];
}

/** Colour on a terminal, never in CI, with `NO_COLOR` or on a dumb terminal, unless forced. */
export function wantsColour(
  mode: CliOptions["color"],
  isTTY: boolean | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (mode !== "auto") return mode === "always";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  if (env.CI !== undefined && env.CI !== "false") return false;
  return isTTY === true && env.TERM !== "dumb";
}

/** One progress line on stderr: rewritten in place on a terminal, a line per stage otherwise. */
class Progress {
  private stage = "";
  private lastDraw = 0;
  private drawn = false;
  constructor(private readonly tty: boolean) {}
  /** A new stage: always shown. */
  step(text: string): void {
    this.stage = text;
    if (this.tty) this.draw(text);
    else process.stderr.write(`${text}\n`);
  }
  /** Detail within a stage: shown on a terminal, at most ten times a second. */
  detail(text: string): void {
    if (!this.tty || Date.now() - this.lastDraw < 100) return;
    this.draw(`${this.stage} ${text}`);
  }
  private draw(text: string): void {
    this.lastDraw = Date.now();
    this.drawn = true;
    const width = process.stderr.columns ? process.stderr.columns - 1 : 100;
    process.stderr.write(`\r\x1b[K${text.slice(0, width)}`);
  }
  done(): void {
    if (this.tty && this.drawn) process.stderr.write("\r\x1b[K");
    this.drawn = false;
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
      progress.detail(`${++done}/${targets.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, targets.length) }, worker));
  const stack = await client.analyzeStack(stackFromRecording(report.resources));
  diagnostics.push(...stack.diagnostics);
  const order = new Map(report.resources.map((r, i) => [r.urn, i]));
  return diagnostics.sort(
    (a, b) =>
      (order.get(a.urn) ?? 1e9) - (order.get(b.urn) ?? 1e9) || a.policyName.localeCompare(b.policyName),
  );
}

/** Rejects when the run's deadline passes, naming what it was waiting for. */
function withDeadline<T>(work: Promise<T>, deadline: number, what: string, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new UsageError(
            `${what} did not finish within the ${seconds} s limit; raise it with --timeout SECONDS if it is only slow`,
          ),
        ),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the offline preview; returns the process exit code. */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<number> {
  let client: AnalyzerClient | undefined;
  let pack: Promise<AnalyzerClient> | undefined;
  const progress = new Progress(process.stderr.isTTY === true);
  stopChildrenOnExit();
  try {
    const options = parseArgs(argv, cwd);
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    if (options.version) {
      console.log(`dynamodb-hardened ${packageVersion()}`);
      return 0;
    }
    const project = loadProject(options.dir);
    const stack = loadStackConfig(project, options.stack, options.config);
    const config = options.configFile ? readPolicyConfig(options.configFile) : undefined;
    for (const key of stack.placeholders)
      process.stderr.write(
        `warning: ${key} is encrypted in Pulumi.${stack.stack}.yaml and cannot be decrypted offline; ` +
          `the program gets a secret placeholder (give --config-secret ${key}=VALUE to use a value)\n`,
      );
    const began = Date.now();
    const deadline = began + options.timeoutSeconds * 1000;
    progress.step(`Running ${project.name} (stack ${stack.stack}) offline…`);
    pack = startPack(options.packDir);
    // Started together: the pack loads while the program runs. A failed start is reported after the program.
    pack.catch(() => undefined);
    const recording = await runProgramProcess(
      { project, stack: stack.stack, config: stack.config, secretKeys: stack.secretKeys },
      {
        timeoutMs: Math.max(1, deadline - Date.now()),
        limitSeconds: options.timeoutSeconds,
        onResource: (type, name, count) => progress.detail(`${count} resources: ${type} ${name}`),
      },
    );
    if (recording.errors.length) {
      throw new ProgramRunError(`the program in ${project.dir} failed: ${recording.errors[0].message}`);
    }
    const custom = recording.resources.filter((r) => r.custom).length;
    progress.step(`Checking ${custom} resources with the policy pack…`);
    client = await withDeadline(pack, deadline, "starting the policy pack", options.timeoutSeconds);
    const info: AnalyzerInfo = await client.getAnalyzerInfo();
    if (config) await client.configure(resolvePolicyConfig(config, info.policies, info.name));
    const report: PreviewReport = {
      project: project.name,
      stack: stack.stack,
      pack: packIdentity(info),
      resources: recording.resources,
      diagnostics: [],
      elapsedMs: 0,
    };
    report.diagnostics = await withDeadline(
      analyzeAll(client, report, progress),
      deadline,
      "the policy pack's analysis",
      options.timeoutSeconds,
    );
    report.elapsedMs = Date.now() - began;
    progress.done();
    if (options.sarifFile)
      fs.writeFileSync(
        options.sarifFile,
        JSON.stringify(toSarif(report, info, { projectDir: project.dir }), null, 2),
      );
    const secrets = { showSecrets: options.showSecrets };
    const colours = wantsColour(options.color, process.stdout.isTTY) ? Colours.ansi : Colours.none;
    console.log(
      options.json
        ? JSON.stringify(toJson(report, secrets), null, 2)
        : renderText(report, { ...secrets, colours }),
    );
    return report.diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
  } catch (e) {
    progress.done();
    const known =
      e instanceof UsageError ||
      e instanceof ProjectError ||
      e instanceof PolicyConfigError ||
      e instanceof ProgramRunError;
    const text = e instanceof Error ? (known ? e.message : (e.stack ?? e.message)) : String(e);
    console.error(`error: ${text}`);
    return 2;
  } finally {
    // The pack may still be starting (the program failed first): stop it without waiting for it.
    if (client) await client.close();
    else if (pack) stopAll("SIGTERM");
  }
}
