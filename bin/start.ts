#!/usr/bin/env node
import { runCli } from "../preview/cli";

const argv = process.argv.slice(2);
const run =
  argv[0] === "audit" ? import("../audit/cli").then((m) => m.runAuditCli(argv.slice(1))) : runCli(argv);
run.then((code) => process.exit(code));
