import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, recordErrors } from "./record";

/** The error a refused program raised, and every resource it registered before or after. */
export interface Refusal<E> {
  error: E;
  resources: RecordedResource[];
}

interface ErrorClass<E> {
  name: string;
  isInstance(obj: unknown): obj is E;
}

async function refusal<E>(
  program: () => unknown,
  errorClass: ErrorClass<E>,
  when: string,
): Promise<Refusal<E>> {
  const recording = await recordErrors(program);
  const error = recording.errors.find((e) => errorClass.isInstance(e));
  assert.ok(
    error,
    `expected an ${errorClass.name}${when}, got ${recording.errors.map(String).join("; ") || "none"}`,
  );
  return { error, resources: recording.resources };
}

/** Runs `program` and returns the InputPropertiesError it raised (fails if none), with what it recorded. */
export function rejectionOf(program: () => unknown): Promise<Refusal<pulumi.InputPropertiesError>> {
  return refusal(program, pulumi.InputPropertiesError, "");
}

/** Runs `program`, which must be refused at construction: an InputPropertiesError and no custom resource. */
export async function constructionError(program: () => unknown): Promise<pulumi.InputPropertiesError> {
  const { error, resources } = await rejectionOf(program);
  assert.deepStrictEqual(
    resources.filter((r) => r.custom),
    [],
    "no child resource may be created when arguments are invalid",
  );
  return error;
}

/** Asserts `error` has a problem on `propertyPath`, that its message names it, and that the reason matches `mentions`. */
export function assertProblemOn(
  error: pulumi.InputPropertiesError,
  propertyPath: string,
  mentions?: RegExp,
): void {
  const match = error.errors.find((e) => e.propertyPath === propertyPath);
  assert.ok(
    match,
    `expected a problem on ${propertyPath}; got ${error.errors.map((e) => e.propertyPath).join(", ")}`,
  );
  assert.ok(error.message.includes(propertyPath), "the message names the property");
  if (mentions) assert.match(match.reason, mentions);
}

/** Asserts `program` is refused at construction (see `constructionError`) with a problem on `propertyPath`. */
export async function assertRejects(
  program: () => unknown,
  propertyPath: string,
  mentions?: RegExp,
): Promise<void> {
  assertProblemOn(await constructionError(program), propertyPath, mentions);
}

/** Runs `program` and returns the InputPropertyError raised when an Output argument resolved, with what it recorded. */
export function deferredRejectionOf(program: () => unknown): Promise<Refusal<pulumi.InputPropertyError>> {
  return refusal(program, pulumi.InputPropertyError, " once the value is known");
}

/** The InputPropertyError `program` raised when an Output argument resolved (fails if none). */
export async function deferredError(program: () => unknown): Promise<pulumi.InputPropertyError> {
  return (await deferredRejectionOf(program)).error;
}

/** Asserts an Output argument that turns out bad fails the deployment when it resolves, naming `propertyPath`. */
export async function assertRejectsWhenResolved(
  program: () => unknown,
  propertyPath: string,
  mentions?: RegExp,
): Promise<void> {
  const error = await deferredError(program);
  assert.strictEqual(error.propertyPath, propertyPath);
  if (mentions) assert.match(error.reason, mentions);
}
