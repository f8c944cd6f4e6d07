import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadPolicies, policiesMarkdown } from "../scripts/policyList";

const ROOT = path.resolve(__dirname, "..");

describe("npm run docs: the policy list", () => {
  it("reads every policy of a built pack, with its level and metadata, without starting the pack", () => {
    const policyModule = require("@pulumi/policy/policy");
    const realPolicyPack = policyModule.PolicyPack;
    const listing = loadPolicies(path.join(__dirname, "fixtures", "policy-pack"));
    assert.equal(policyModule.PolicyPack, realPolicyPack, "PolicyPack was not restored");
    assert.ok(!("unavailable" in listing), JSON.stringify(listing));
    assert.equal(listing.pack, "fixture-pack");
    assert.deepEqual(
      listing.policies.map((p) => [p.name, p.enforcementLevel]),
      [
        ["table-customer-managed-key", "mandatory"],
        ["stream-least-view-type", "advisory"],
      ],
    );
    assert.deepEqual(listing.policies[0].details, { practice: "1" });
    assert.deepEqual(listing.policies[1].config, ["allowedViewTypes"]);

    const page = policiesMarkdown(listing);
    assert.match(page, /has 2 policies/);
    assert.match(
      page,
      /\| `table-customer-managed-key` \| mandatory \| Tables use a customer-managed key \\\| never/,
    );
    assert.match(page, /## stream-least-view-type\n\n- configuration: `allowedViewTypes`/);
  });

  it("says clearly when the pack is missing or not built, instead of failing the docs", () => {
    const missing = loadPolicies(path.join(os.tmpdir(), "no-such-policy-pack"));
    assert.ok("unavailable" in missing);
    assert.match(missing.unavailable, /no policy pack at/);
    assert.match(policiesMarkdown(missing), /The policy list could not be read: no policy pack at/);

    const unbuilt = fs.mkdtempSync(path.join(os.tmpdir(), "unbuilt-pack-"));
    try {
      fs.writeFileSync(
        path.join(unbuilt, "package.json"),
        JSON.stringify({ name: "p", main: "bin/index.js" }),
      );
      const listing = loadPolicies(unbuilt);
      assert.ok("unavailable" in listing);
      assert.match(listing.unavailable, /not built: .*bin\/index\.js does not exist \(run `npm run build`\)/);
    } finally {
      fs.rmSync(unbuilt, { recursive: true, force: true });
    }
  });

  it("reads this repository's pack when it is built", function () {
    const packDir = path.join(ROOT, "policypack");
    const main = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")).main;
    if (!fs.existsSync(path.join(packDir, main))) this.skip();
    const listing = loadPolicies(packDir);
    assert.ok(!("unavailable" in listing), JSON.stringify(listing));
    assert.equal(listing.pack, "dynamodb-hardened");
    assert.ok(
      listing.policies.every((p) => p.name && p.description),
      "every policy has a name and a description",
    );
  });
});
