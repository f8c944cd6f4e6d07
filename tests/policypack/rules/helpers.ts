import * as assert from "assert";
import { Facts, TableFacts } from "../../../policypack/facts/model";
import { normalize } from "../../../policypack/facts/registry";
import { StackInput, StackModel, dependencyLists } from "../../../policypack/facts/stack";

/** The engine's unknown-string sentinel (preview). */
export const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A table's facts, as the pack reads them from a property bag. */
export function table(
  props: Record<string, unknown>,
  type = "aws:dynamodb/table:Table",
  providerProps?: Record<string, unknown>,
): TableFacts {
  const facts = normalize({ type, urn: `urn:${type}::t`, name: "t", props, providerProps });
  assert.ok(facts && facts.kind === "table");
  return facts;
}

/** Facts of any registered type; fails when the type yields another kind. */
export function factsOf<K extends Facts["kind"]>(
  kind: K,
  type: string,
  props: Record<string, unknown>,
  name = "r",
): Extract<Facts, { kind: K }> {
  const facts = normalize({ type, urn: `urn:${type}::${name}`, name, props });
  assert.ok(facts && facts.kind === kind, `${type} yields ${facts?.kind}, not ${kind}`);
  return facts as Extract<Facts, { kind: K }>;
}

/** A stack model of resources given as type, props and dependencies (URNs `urn:<index>` unless given). */
export function stack(...inputs: Partial<StackInput>[]): StackModel {
  return StackModel.build(
    inputs.map((i, n) => ({
      urn: `urn:${n}`,
      name: `r${n}`,
      type: "",
      props: {},
      dependencies: dependencyLists([], {}),
      ...i,
    })),
  );
}

/** The table identity most rule tests match against. */
export const id = { name: "orders", region: "us-east-1", account: "111111111111", partition: "aws" };
