import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { listTypeScript } from "./harness/build";
import { PACKAGE_ROOT } from "./harness/packageSchema";

/**
 * What the component plugin's schema inference reads at every GetSchema: the TypeScript program of the
 * package's tsconfig.json, built as `@pulumi/pulumi/provider/experimental/analyzer` builds it. Its cost
 * is parsing those declaration files (`npm run bench:plugin`), so the test bounds what it pulls in.
 */
function inferenceProgram(): ts.Program {
  const configPath = path.join(PACKAGE_ROOT, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, PACKAGE_ROOT);
  return ts.createProgram({
    rootNames: parsed.fileNames,
    options: { ...parsed.options, strictNullChecks: true },
  });
}

describe("component schema inference input", function () {
  this.timeout(120_000);

  it("imports the AWS SDK by service module, never through its root index (every service)", () => {
    const offenders = listTypeScript(path.join(PACKAGE_ROOT, "components")).filter((file) =>
      /from\s+"@pulumi\/aws"|import\s*\(\s*"@pulumi\/aws"\s*\)|require\("@pulumi\/aws"\)\s*\./.test(
        fs.readFileSync(file, "utf8"),
      ),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(PACKAGE_ROOT, f)),
      [],
      'import the services from "./aws" (components/shared/aws.ts) instead',
    );
  });

  it("parses a fraction of @pulumi/aws's declarations, and the package's own sources", () => {
    const files = inferenceProgram().getSourceFiles();
    const aws = files.filter((f) => f.fileName.includes("/node_modules/@pulumi/aws/"));
    const awsRoot = files.some((f) => /\/node_modules\/@pulumi\/aws\/index\.d\.ts$/.test(f.fileName));
    const megabytes = aws.reduce((n, f) => n + f.text.length, 0) / 1e6;
    assert.ok(!awsRoot, "@pulumi/aws/index.d.ts (every service) is not read");
    // Through the root index: about 2,700 files and 31 MB; through the services used: about 530 and 16 MB.
    assert.ok(aws.length < 1000 && megabytes < 20, `${aws.length} files, ${megabytes.toFixed(1)} MB`);
    assert.ok(files.some((f) => f.fileName === path.join(PACKAGE_ROOT, "components", "index.ts")));
  });
});
