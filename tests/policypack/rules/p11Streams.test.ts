import * as assert from "assert";
import { normalize } from "../../../policypack/facts/registry";
import { consumerFindings } from "../../../policypack/rules/p11Streams";
import { U } from "./helpers";

describe("practice 11 rules: streams", () => {
  it("practice 11: consumer limits", () => {
    const esm = normalize({
      type: "aws:lambda/eventSourceMapping:EventSourceMapping",
      urn: "u",
      name: "n",
      props: { maximumRetryAttempts: -1, maximumRecordAgeInSeconds: U },
    });
    assert.ok(esm && esm.kind === "event-source-mapping");
    const problems = consumerFindings(esm, {
      maximumRetryAttempts: 10,
      maximumRecordAgeInSeconds: 3600,
    }).map((f) => f.problem);
    assert.strictEqual(problems.length, 3, problems.join("\n"));
  });
});
