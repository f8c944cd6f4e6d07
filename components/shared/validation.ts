import * as pulumi from "@pulumi/pulumi";

/** Collects every problem with a component's arguments, so they can be reported at once. */
export class ArgumentProblems {
  private readonly problems: pulumi.InputPropertyErrorDetails[] = [];
  private readonly deferred: pulumi.Output<unknown>[] = [];

  /** A check that runs once an Output resolves (see `checkInput`); the component's children wait for it. */
  defer(check: pulumi.Output<unknown>): void {
    this.deferred.push(check);
  }

  /** Every check deferred until Outputs resolve, for `DeferredChecks.waitFor`. */
  get deferredChecks(): pulumi.Output<unknown>[] {
    return [...this.deferred];
  }

  add(propertyPath: string, reason: string): void {
    this.problems.push({ propertyPath, reason });
  }

  /** Adds the reason `check` gives for `value`, when the value is given (known values; Outputs go through `checkInput`). */
  check<T>(propertyPath: string, value: T | undefined, check: (v: T) => string | undefined): void {
    if (value === undefined) return;
    const reason = check(value);
    if (reason) this.add(propertyPath, reason);
  }

  /** Adds every problem of `other` (e.g. the AWS rules `checkArgumentTypes` found) to these. */
  include(other: ArgumentProblems): this {
    this.problems.unshift(...other.problems);
    return this;
  }

  get count(): number {
    return this.problems.length;
  }

  /** Throws one `InputPropertiesError` naming every problem, before any child resource exists. */
  throwIfAny(component: string, name: string): void {
    if (this.problems.length === 0) return;
    const lines = this.problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n");
    throw new pulumi.InputPropertiesError({
      message: `${component} "${name}" has invalid arguments:\n${lines}`,
      errors: [...this.problems],
    });
  }
}

/**
 * What every component's `validate<Component>Args(name, args)` returns: every problem found before anything
 * is created, and the arguments that may be Outputs wrapped so that they are checked once they resolve.
 */
export interface Validated<Checked> {
  problems: ArgumentProblems;
  checked: Checked;
}

/**
 * The body of a `validate<Component>Args`: runs `check` with a fresh problem list. Arguments missing
 * altogether (a program in another language may pass none) are one problem naming what is `required`.
 */
export function validateArgs<Args, Checked>(
  args: Args | undefined,
  required: string,
  unchecked: Checked,
  check: (args: Args, problems: ArgumentProblems) => Checked,
): Validated<Checked> {
  const problems = new ArgumentProblems();
  if (!args) {
    problems.add("args", `${required} are required`);
    return { problems, checked: unchecked };
  }
  return { problems, checked: check(args, problems) };
}

/** A value that is known now (not an Output or Promise). */
export function isKnown<T>(value: pulumi.Input<T> | undefined): value is T {
  return value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * Checks `value` now when it is known; when it is an Output, checks it once it resolves and fails the
 * deployment then. Unknown values during a preview are never rejected. The component's children wait for
 * the check (`ArgumentProblems.deferredChecks`), unless `childrenWait` is false: for a value that often
 * comes from a resource which itself needs one of the children (a principal whose role takes the table's
 * ARN through `pulumi.deferredOutput`), where waiting would never end; the resources using the value
 * still fail with it.
 */
export function checkInput<T>(
  value: pulumi.Input<T> | undefined,
  propertyPath: string,
  check: (v: T) => string | undefined,
  problems: ArgumentProblems,
  options: { childrenWait?: boolean } = {},
): pulumi.Input<T> | undefined {
  if (value === undefined) return value;
  if (isKnown(value)) {
    const reason = check(value);
    if (reason) problems.add(propertyPath, reason);
    return value;
  }
  const checked = pulumi.output(value).apply((v) => {
    const reason = v === undefined ? undefined : check(v as T);
    if (reason) {
      throw new pulumi.InputPropertyError({ propertyPath, reason });
    }
    return v;
  }) as pulumi.Output<T>;
  if (options.childrenWait ?? true) problems.defer(checked);
  return checked;
}

/**
 * Checks `value` against `other` (a key against its table, a key against its stream): now when both are
 * known, else once both resolve, failing the deployment then with the same reason. Returns `value`, wrapped
 * when the check is deferred, for the component to use in place of the argument.
 */
export function checkAgainst<T, U>(
  value: pulumi.Input<T> | undefined,
  other: pulumi.Input<U> | undefined,
  propertyPath: string,
  check: (value: T, other: U) => string | undefined,
  problems: ArgumentProblems,
): pulumi.Input<T> | undefined {
  if (value === undefined || other === undefined) return value;
  if (isKnown(value) && isKnown(other)) {
    const reason = check(value, other);
    if (reason) problems.add(propertyPath, reason);
    return value;
  }
  const checked = pulumi.all([value, other]).apply(([v, o]) => {
    const reason = v === undefined || o === undefined ? undefined : check(v as T, o as U);
    if (reason) throw new pulumi.InputPropertyError({ propertyPath, reason });
    return v;
  }) as pulumi.Output<T>;
  problems.defer(checked);
  return checked;
}

export function oneOf(allowed: readonly string[]): (v: string) => string | undefined {
  return (v) => (allowed.includes(v) ? undefined : `"${v}" is not allowed; use one of ${allowed.join(", ")}`);
}

export function inRange(min: number, max: number, unit = ""): (v: number) => string | undefined {
  const suffix = unit ? ` ${unit}` : "";
  return (v) =>
    Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : `${v} is out of range; use a whole number from ${min} to ${max}${suffix}`;
}

/**
 * Adds `reason`, a problem with a physical name, under `propertyPath`. When the name was not `given` it
 * defaulted to the resource name, so the reason says to set the property.
 */
export function addNameProblem(
  problems: ArgumentProblems,
  propertyPath: string,
  reason: string | undefined,
  given: string | undefined,
): void {
  if (!reason) return;
  problems.add(
    propertyPath,
    given === undefined ? `${reason}; the default is the resource name, so set ${propertyPath}` : reason,
  );
}
