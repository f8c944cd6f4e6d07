#!/usr/bin/env node

// @pulumi/pulumi 3.270 needs Node.js 22 (its closure serialization calls fs.promises.glob, added in 22):
// say so before loading anything that would fail obscurely later.
const REQUIRED_NODE_MAJOR = 22;
const major = Number(process.versions.node.split(".")[0]);
if (major < REQUIRED_NODE_MAJOR) {
  process.stderr.write(
    `error: dynamodb-hardened needs Node.js ${REQUIRED_NODE_MAJOR} or later; this is Node.js ${process.version}. ` +
      `The Pulumi SDK it runs programs with (@pulumi/pulumi 3.270) requires it. ` +
      `Install Node.js ${REQUIRED_NODE_MAJOR} (https://nodejs.org) and run the command again.\n`,
  );
  process.exit(2);
}

const { runCli } = require("../preview/cli") as typeof import("../preview/cli");
runCli(process.argv.slice(2)).then((code) => process.exit(code));
