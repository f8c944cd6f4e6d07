/**
 * Where an unknown value can come from. At preview a value that depends on a resource not yet created is
 * unknown, but the engine says which resources it depends on (`propertyDependencies`), and a URN names its
 * resource's type: `urn:pulumi:<stack>::<project>::<parent types $-joined>$<type>::<name>`. An ARN that comes
 * from an RDS cluster or an S3 bucket is not a DynamoDB table's ARN.
 */

/** The type of the resource a URN names, or undefined if it is not a URN. */
export function urnType(urn: string): string | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.split("::");
  if (parts.length < 4) return undefined;
  const qualified = parts[2];
  const dollar = qualified.lastIndexOf("$");
  return dollar < 0 ? qualified : qualified.slice(dollar + 1);
}

export const TABLE_TYPES = new Set([
  "aws:dynamodb/table:Table",
  "aws:dynamodb/tableReplica:TableReplica",
  "aws:dynamodb/globalTable:GlobalTable",
  "aws-native:dynamodb:Table",
  "aws-native:dynamodb:GlobalTable",
]);

// Modules of aws and aws-native whose outputs can be any string a program put there (parameters, secrets,
// stack outputs, invocations) or DynamoDB's own.
const CARRIER_MODULES = new Set(["dynamodb", "ssm", "secretsmanager", "cloudformation", "lambda/invocation"]);

/**
 * Whether a resource of this type can hand over a DynamoDB table ARN (or name): tables themselves, and anything
 * outside the AWS providers (stack references, dynamic providers, commands) whose outputs are arbitrary.
 */
export function canCarryTableArn(type: string | undefined): boolean {
  if (type === undefined) return true;
  const [pkg, module] = type.split(":");
  if (pkg !== "aws" && pkg !== "aws-native") return true;
  const name = module?.split("/")[0];
  return CARRIER_MODULES.has(name ?? "") || CARRIER_MODULES.has(module ?? "") || TABLE_TYPES.has(type);
}

/**
 * Whether an unknown value that depends on `urns` can name a table other than those among `urns`: it can when
 * it depends on nothing the engine knows of, or on a resource that can carry arbitrary values.
 */
export function unknownMayNameOtherTables(urns: string[]): boolean {
  if (!urns.length) return true;
  return urns.some((urn) => {
    const type = urnType(urn);
    return !TABLE_TYPES.has(type ?? "") && canCarryTableArn(type);
  });
}
