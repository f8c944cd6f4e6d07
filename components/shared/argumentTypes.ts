/**
 * The shape of a component's arguments, written once per component as data and checked before anything
 * else: a boolean is `true` or `false` (never `0`, `""` or `null` read as "off"), a number is a finite
 * number, a list is an array, a map is a plain object. Each leaf type may carry the check of its kind of
 * value (names, ARNs, regions, tags: see `awsLimits.ts`), so every component gets the same rules.
 *
 * Values of `Input` arguments may be Outputs or Promises: their type is checked when known, and the
 * component's own validation checks them once they resolve (`checkInput`).
 */
import * as pulumi from "@pulumi/pulumi";
import { Check } from "./checks";
import { ArgumentProblems } from "./validation";

/**
 * What a type check finds: `shape` problems (a value of the wrong type, which the component's own
 * validation cannot even read) and `rules` problems (a well-typed value AWS would refuse), reported
 * together with the component's other problems.
 */
export interface TypeFindings {
  shape: ArgumentProblems;
  rules: ArgumentProblems;
}

/** Adds to `found` what is wrong with `value` at `path`. `value` is never undefined here. */
export interface ArgumentType {
  readonly describe: string;
  check(value: unknown, path: string, found: TypeFindings): void;
}

/** A field of an object type, and whether it must be given. */
interface Field {
  type: ArgumentType;
  required: boolean;
}

export type Fields = Record<string, ArgumentType | Field>;

function isDeferred(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** How a wrong value reads in a message: its JavaScript kind and, for scalars, the value itself. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isDeferred(value)) return "an Output";
  switch (typeof value) {
    case "string":
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case "number":
    case "bigint":
      return `the number ${String(value)}`;
    case "boolean":
      return `the boolean ${value}`;
    case "function":
      return "a function";
    default:
      return "an object";
  }
}

function wrongType(expected: string, value: unknown, hint = ""): string {
  return `expected ${expected}, got ${describeValue(value)}${hint}`;
}

/** Plain arguments are read while the program runs, so they cannot wait for another resource's output. */
function deferredReason(expected: string): string {
  return `expected ${expected} known when the program runs, got an Output; this argument cannot wait for another resource`;
}

function leaf(describe: string, accepts: (v: unknown) => boolean, semantic?: Check<never>): ArgumentType {
  return {
    describe,
    check(value, path, found) {
      if (isDeferred(value)) {
        found.shape.add(path, deferredReason(describe));
        return;
      }
      if (!accepts(value)) {
        const hint =
          describe === "a boolean (true or false)" && (value === 0 || value === "" || value === null)
            ? "; a falsy value is not false, so no default is turned off by it"
            : "";
        found.shape.add(path, wrongType(describe, value, hint));
        return;
      }
      const reason = semantic?.(value as never);
      if (reason) found.rules.add(path, reason);
    },
  };
}

/** `true` or `false`. */
export const boolean: ArgumentType = leaf("a boolean (true or false)", (v) => typeof v === "boolean");

/** A string, with the rules of its kind of value when `check` is given. */
export function string(check?: Check): ArgumentType {
  return leaf("a string", (v) => typeof v === "string", check as Check<never>);
}

/** A finite number (not NaN or Infinity), with its range when `check` is given. */
export function number(check?: Check<number>): ArgumentType {
  return leaf("a number", (v) => typeof v === "number" && Number.isFinite(v), check as Check<never>);
}

/** An `Input`: an Output or Promise is accepted as is (checked by the component once known), else `type`. */
export function input(type: ArgumentType): ArgumentType {
  return {
    describe: type.describe,
    check(value, path, found) {
      if (!isDeferred(value)) type.check(value, path, found);
    },
  };
}

/** A list whose every entry is of `type`; `maxItems` is a limit AWS sets on the list. */
export function list(type: ArgumentType, maxItems?: { max: number; why: string }): ArgumentType {
  const describe = `a list of ${type.describe.replace(/^an? /, "")}s`;
  return {
    describe,
    check(value, path, found) {
      if (isDeferred(value)) return found.shape.add(path, deferredReason(describe));
      if (!Array.isArray(value)) return found.shape.add(path, wrongType(describe, value));
      if (maxItems && value.length > maxItems.max) {
        found.rules.add(path, `${value.length} entries; ${maxItems.why} allows at most ${maxItems.max}`);
      }
      value.forEach((entry, i) => {
        if (entry === undefined) found.shape.add(`${path}[${i}]`, wrongType(type.describe, entry));
        else type.check(entry, `${path}[${i}]`, found);
      });
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isDeferred(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A map from string keys to values of `type`; `checkMap` checks the map as a whole (e.g. tag rules). */
export function map(
  type: ArgumentType,
  checkMap?: (value: Record<string, unknown>) => string[],
): ArgumentType {
  const describe = `a map of ${type.describe.replace(/^an? /, "")}s`;
  return {
    describe,
    check(value, path, found) {
      if (isDeferred(value)) return found.shape.add(path, deferredReason(describe));
      if (!isPlainObject(value)) return found.shape.add(path, wrongType(describe, value));
      for (const [key, entry] of Object.entries(value)) {
        if (entry === undefined) continue;
        type.check(entry, `${path}.${key}`, found);
      }
      for (const reason of checkMap?.(value) ?? []) found.rules.add(path, reason);
    },
  };
}

/** A required field of an object type. */
export function required(type: ArgumentType): Field {
  return { type, required: true };
}

function fieldOf(field: ArgumentType | Field): Field {
  return "required" in field ? field : { type: field, required: false };
}

function checkFields(
  value: Record<string, unknown>,
  fields: Fields,
  prefix: string,
  found: TypeFindings,
): void {
  for (const [name, declared] of Object.entries(fields)) {
    const { type, required: mustBeGiven } = fieldOf(declared);
    const path = `${prefix}${name}`;
    const given = value[name];
    if (given === undefined) {
      if (mustBeGiven) found.shape.add(path, `required: ${type.describe}`);
      continue;
    }
    type.check(given, path, found);
  }
  for (const name of Object.keys(value)) {
    if (!(name in fields) && value[name] !== undefined) {
      found.shape.add(
        `${prefix}${name}`,
        `not an argument of this type; known arguments: ${Object.keys(fields).join(", ")}`,
      );
    }
  }
}

/** An object with the given fields; names not listed are refused, so a misspelt option is never ignored. */
export function object(fields: Fields): ArgumentType {
  return {
    describe: "an object",
    check(value, path, found) {
      if (isDeferred(value)) return found.shape.add(path, deferredReason("an object"));
      if (!isPlainObject(value)) return found.shape.add(path, wrongType("an object", value));
      checkFields(value, fields, `${path}.`, found);
    },
  };
}

/**
 * Checks a component's whole `args` against its fields, before the component validates meaning or
 * registers anything. A value of the wrong type throws one `InputPropertiesError` naming every such value
 * at once (the component's validation could not read it); the problems of well-typed values AWS would
 * refuse come back, for the component to report with its own.
 */
export function checkArgumentTypes(
  component: string,
  name: string,
  args: unknown,
  fields: Fields,
): ArgumentProblems {
  const found: TypeFindings = { shape: new ArgumentProblems(), rules: new ArgumentProblems() };
  if (args === undefined || args === null) {
    const requiredNames = Object.entries(fields)
      .filter(([, f]) => fieldOf(f).required)
      .map(([n]) => n);
    const needed = requiredNames.length ? `with ${requiredNames.join(", ")}` : "({} takes every default)";
    found.shape.add("args", `required: an object of arguments ${needed}, got ${describeValue(args)}`);
  } else if (!isPlainObject(args)) {
    found.shape.add("args", wrongType("an object of arguments", args));
  } else {
    checkFields(args, fields, "", found);
  }
  found.shape.throwIfAny(component, name);
  return found.rules;
}
