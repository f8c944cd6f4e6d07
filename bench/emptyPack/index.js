// The floor of bench/pack.ts: the policy SDK and the protocol, with one policy that does nothing. The SDK runs
// a policy that has both functions in Analyze and in AnalyzeStack, so the floor includes the per-request work
// any real policy pays (one deserialization of the request's property bags).
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("empty", {
  policies: [
    {
      name: "no-op",
      description: "Does nothing.",
      enforcementLevel: "advisory",
      validateResource: () => undefined,
      validateStack: () => undefined,
    },
  ],
});
