import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AnalyzerClient, fromRecorded, stackFromRecording } from "../../preview/analyzerClient";
import { loadProject } from "../../preview/project";
import { runProgram } from "../../preview/runProgram";
import { loadStackConfig } from "../../preview/stackConfig";
import { usePack } from "../policypack/protocol/packHarness";
import { JsonReport, PROGRAMS, ROOT, inParallel, preview } from "./cliRun";

const EXAMPLES = path.join(ROOT, "examples");

/** Every Node.js example and every test program of ours that runs to completion. */
const PROJECTS = [
  ...fs
    .readdirSync(EXAMPLES)
    .filter((d) => loadable(path.join(EXAMPLES, d)))
    .map((d) => path.join(EXAMPLES, d)),
  ...["resource-references", "closure", "availability-zones", "policy-document", "stack-config", "esm"].map(
    (d) => path.join(PROGRAMS, d),
  ),
];

function loadable(dir: string): boolean {
  try {
    loadProject(dir);
    return true;
  } catch {
    return false;
  }
}

type Verdict = string;

function key(d: { urn: string; policyName: string; enforcementLevel: string; message: string }): Verdict {
  return `${d.urn} | ${d.policyName} | ${d.enforcementLevel} | ${d.message}`;
}

/** The pack's verdicts on a recording, sent straight through the protocol harness. */
async function packVerdicts(client: AnalyzerClient, dir: string): Promise<Verdict[]> {
  const project = loadProject(dir);
  const stack = loadStackConfig(project, undefined);
  const recording = await runProgram(project, stack.config, {
    stack: stack.stack,
    secretKeys: stack.secretKeys,
  });
  assert.deepStrictEqual(recording.errors.map(String), []);
  const verdicts: Verdict[] = [];
  for (const resource of recording.resources.filter((r) => r.custom)) {
    const result = await client.analyze(fromRecorded(resource, recording.resources));
    verdicts.push(...result.diagnostics.map((d) => key({ ...d, urn: d.urn || resource.urn })));
  }
  const stackResult = await client.analyzeStack(stackFromRecording(recording.resources));
  verdicts.push(...stackResult.diagnostics.map(key));
  return verdicts.sort();
}

describe("offline preview: the previewer's verdicts are the pack's verdicts", function () {
  this.timeout(900_000);
  const pack = usePack();
  const cli = new Map<string, JsonReport>();

  before(async () => {
    const runs = await inParallel(PROJECTS.map((dir) => () => preview([dir, "--json", "--timeout", "1200"])));
    PROJECTS.forEach((dir, i) => {
      assert.ok(runs[i].code === 0 || runs[i].code === 1, `${dir}: exit ${runs[i].code}\n${runs[i].stderr}`);
      cli.set(dir, JSON.parse(runs[i].stdout) as JsonReport);
    });
  });

  for (const dir of PROJECTS) {
    it(path.relative(ROOT, dir), async () => {
      const expected = await packVerdicts(pack(), dir);
      const actual = cli.get(dir)!.diagnostics.map(key).sort();
      assert.deepStrictEqual(actual, expected);
    });
  }
});
