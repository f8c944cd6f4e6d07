import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * The engine loads the package through `package.json` `main` (compiled JavaScript in `dist/`) while
 * it infers the schema from the TypeScript sources. Rebuilds `dist/components` when any source is
 * newer than its output, so the plugin under test is what `npm install` (`prepare`) would produce.
 * Returns the milliseconds spent building (0 when nothing was stale).
 */
export function buildIfStale(root: string): number {
  const sources = listTypeScript(path.join(root, "components"));
  const stale = sources.filter((source) => {
    const out = path.join(root, "dist", path.relative(root, source)).replace(/\.ts$/, ".js");
    return !fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(source).mtimeMs;
  });
  if (!stale.length) return 0;
  const started = Date.now();
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], {
      cwd: root,
      stdio: "pipe",
    });
  } catch (err) {
    const output = (err as { stdout?: Buffer }).stdout?.toString() ?? "";
    throw new Error(`building dist/ for the plugin failed:\n${output}`);
  }
  return Date.now() - started;
}

/** Every TypeScript source under `dir` (no declaration files, no node_modules). */
export function listTypeScript(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : listTypeScript(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}
