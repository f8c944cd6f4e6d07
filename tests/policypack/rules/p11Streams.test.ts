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
    // One finding listing the three decidable problems; the unknown record age is not one of them.
    assert.strictEqual(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0],
      /3 problems: \(1\) no on-failure destination.*\(2\) bisect.*\(3\) retries are unbounded/,
    );
    assert.doesNotMatch(problems[0], /record age/);
  });
});
