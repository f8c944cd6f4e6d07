// A pack built with the real pack's compiled policy builders (policypack/bin), whose rules return one finding
// that cannot be printed next to one that can. The pack must report both, never fail the gRPC call.
const path = require("path");
const { PolicyPack } = require("@pulumi/policy");

const bin = path.join(__dirname, "..", "..", "..", "..", "policypack", "bin");
const { resourcePolicy, stackPolicy } = require(path.join(bin, "policies"));
const { definePractice } = require(path.join(bin, "rules", "practice"));

const practice = definePractice(1, "Fixture", { controls: ["none"], topics: ["test"] });

function findings(subject) {
  const unprintable = {
    practice,
    subject,
    get problem() {
      throw new Error("message exploded");
    },
    fix: "nothing.",
  };
  return [unprintable, { practice, subject, problem: "a printable finding.", fix: "nothing." }];
}

const metadata = {
  displayName: "Fixture",
  description: "Fixture.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "None.",
};

new PolicyPack("fail-closed", {
  policies: [
    resourcePolicy({
      ...metadata,
      name: "message-throws",
      practice,
      kinds: ["table"],
      check: (facts) => findings(facts.subject),
    }),
    stackPolicy({
      ...metadata,
      name: "stack-message-throws",
      practices: [practice],
      check: (model) => model.tables.flatMap((t) => findings(t.facts.subject)),
    }),
  ],
});
