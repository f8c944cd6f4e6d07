// `npm run docs`: the API reference from the TSDoc (TypeDoc, configured in typedoc.json) into
// docs/api/, with the topic guides in docs/*.md and a page listing the policy pack's policies.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadPolicies, policiesMarkdown } from "./policyList";

const root = path.resolve(__dirname, "..");
const listing = loadPolicies(path.join(root, "policypack"));
if ("unavailable" in listing) {
  console.warn(`docs: the Policies page says the list is unavailable: ${listing.unavailable}`);
} else {
  console.log(`docs: ${listing.policies.length} policies from the ${listing.pack} pack`);
}

// The generated page must sit under the same directory as the guides (TypeDoc fails on documents
// without a common parent). TypeDoc reads documents before it cleans and renders the output directory.
const out = path.join(root, "docs", "api");
fs.mkdirSync(out, { recursive: true });
const policiesPage = path.join(out, "policies.md");
fs.writeFileSync(policiesPage, policiesMarkdown(listing));
const guides = fs
  .readdirSync(path.join(root, "docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => path.join(root, "docs", name));
const typedocPackage = require.resolve("typedoc/package.json", { paths: [root] });
const typedoc = path.join(path.dirname(typedocPackage), "bin", "typedoc");
const documents = [...guides, policiesPage].flatMap((doc) => ["--projectDocuments", doc]);
execFileSync(process.execPath, [typedoc, "--options", path.join(root, "typedoc.json"), ...documents], {
  cwd: root,
  stdio: "inherit",
});
console.log(`docs: open ${path.join(out, "index.html")}`);
