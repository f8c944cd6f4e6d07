/**
 * Writes policypack/config.schema.json, the JSON schema of the policy configuration file, from the policies'
 * configSchemas (policypack/configSchema.ts). `npm run schema:pack-config` after changing a policy's settings;
 * tests/policypack/configSchema.test.ts fails while the file and the policies disagree.
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { CONFIG_SCHEMA_FILE, policyConfigFileSchema } from "../policypack/configSchema";
import { PACK_NAME, policies } from "../policypack/pack";

async function main(): Promise<void> {
  const file = path.join(__dirname, "..", "policypack", CONFIG_SCHEMA_FILE);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(policyConfigFileSchema(PACK_NAME, policies)), {
    ...options,
    filepath: file,
  });
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${policies.length} policies)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
