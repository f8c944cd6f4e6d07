/**
 * The argument types components share, each with its AWS rules attached once: tags, regions, account IDs,
 * role ARNs. A component's argument-types module composes these with the builders of `argumentTypes.ts`.
 */
import { ArgumentType, boolean, input, list, map, number as numberType, string } from "./argumentTypes";
import { checkTagValue, tagMapProblems } from "./awsLimits";

export { boolean };

/** A finite number; its range is the component's own validation. */
export const number = numberType();

/** A free string, whose meaning the component's own validation checks. */
export const text = string();
/** A string that may be an Output. */
export const inputText = input(string());
/** A list of strings that may each be an Output. */
export const inputTexts = list(input(string()));
export const texts = list(string());

/**
 * Regions, account IDs and role ARNs are strings here: each component's validation judges them with the
 * shared `checkRegion`, `checkAccountId` and `isRoleArn`, in its own words (wildcards, other accounts).
 */
export const region = text;
export const accountId = text;
export const roleArn = text;

/**
 * User tags of a resource to which this package adds `added` tags of its own: AWS's limits on keys, values
 * and count apply to the sum.
 */
export function tags(added = 1): ArgumentType {
  return map(string(checkTagValue), (value) => tagMapProblems(value, added));
}

/** A map from names to booleans, such as AWS Backup's per-service opt-in preferences. */
export const booleanMap = map(boolean);
/** A map from names to strings. */
export const textMap = map(string());
