#!/usr/bin/env node
import { runCli } from "../preview/cli";

runCli(process.argv.slice(2)).then((code) => process.exit(code));
