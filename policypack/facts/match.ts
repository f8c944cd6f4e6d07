import { parseArn } from "./arn";
import { partitionOf } from "./partitions";
import { Maybe, Tri, UNKNOWN, globMatch } from "./value";

/** What is known of a table's ARN: `arn:<partition>:dynamodb:<region>:<account>:table/<name>`. */
export interface TableIdentity {
  name: Maybe<string>;
  region: Maybe<string>;
  account: Maybe<string>;
  /** The partition of the region (the AWS SDK's partition data), when the region is known. */
  partition: Maybe<string>;
}

/** A table's identity, its partition from its region. */
export function tableIdentity(
  name: Maybe<string>,
  region: Maybe<string>,
  account: Maybe<string>,
): TableIdentity {
  return { name, region, account, partition: typeof region === "string" ? partitionOf(region) : region };
}

function part(pattern: string, value: Maybe<string>): Tri {
  if (pattern === "" || pattern === "*") return "yes";
  if (typeof value !== "string") return "unknown";
  return globMatch(pattern, value) ? "yes" : "no";
}

/**
 * Whether a pattern's partition is the table's. The partition is known only through the region; a table
 * whose region is not known (a provider region from AWS_REGION) is matched on the rest of the ARN, as
 * before partitions were compared, rather than made undecidable by every pattern.
 */
function partitionPart(pattern: string, id: TableIdentity): Tri {
  return typeof id.partition === "string" ? part(pattern, id.partition) : "yes";
}

function all(results: Tri[]): Tri {
  if (results.includes("no")) return "no";
  return results.includes("unknown") ? "unknown" : "yes";
}

export function any(results: Tri[]): Tri {
  if (results.includes("yes")) return "yes";
  return results.includes("unknown") ? "unknown" : "no";
}

/**
 * Whether a resource pattern (`*`, or an ARN with wildcards, as in IAM, AWS Backup selections and CloudTrail
 * data resources) names the table. With `subresources`, a pattern naming one of its indexes or streams counts.
 */
export function tableMatches(pattern: Maybe<string>, id: TableIdentity, subresources = false): Tri {
  if (pattern === UNKNOWN) return "unknown";
  if (pattern === undefined) return "no";
  if (pattern === "*") return "yes";
  const arn = parseArn(pattern);
  if (!arn || !globMatch(arn.service, "dynamodb")) return "no";
  const slash = arn.resource.indexOf("/");
  const head = slash < 0 ? arn.resource : arn.resource.slice(0, slash);
  const tail = slash < 0 ? "" : arn.resource.slice(slash + 1);
  let resource: Tri;
  if (head === "*") resource = "yes";
  else if (!globMatch(head, "table")) resource = "no";
  else if (subresources) resource = part(tail.split("/")[0], id.name);
  else
    resource =
      typeof id.name === "string"
        ? globMatch(tail, id.name)
          ? "yes"
          : "no"
        : tail === "*"
          ? "yes"
          : "unknown";
  return all([
    partitionPart(arn.partition, id),
    part(arn.region, id.region),
    part(arn.account, id.account),
    resource,
  ]);
}

/**
 * A CloudTrail classic data-resource value: `arn:<partition>:dynamodb` (every table of the partition), a
 * prefix, or a table ARN.
 */
export function dataResourceMatches(value: Maybe<string>, id: TableIdentity): Tri {
  if (value === UNKNOWN) return "unknown";
  if (value === undefined) return "no";
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts[2] !== "dynamodb") return "no";
  if (parts.length <= 5 || parts.slice(5).join(":") === "") {
    return all([
      partitionPart(parts[1], id),
      parts[3] ? part(parts[3], id.region) : "yes",
      parts[4] ? part(parts[4], id.account) : "yes",
    ]);
  }
  return tableMatches(value, id);
}

/** Known and unknown pieces of the table ARN, to decide prefix/suffix tests without inventing values. */
function pieces(id: TableIdentity, assumedPartition: Maybe<string>): Maybe<string>[] {
  // Without a known partition, a prefix's own partition stands in for it (see partitionPart).
  const partition = typeof id.partition === "string" ? id.partition : assumedPartition;
  return ["arn:", partition, ":dynamodb:", id.region, ":", id.account, ":table/", id.name];
}

/** Exact equality with the table's ARN (CloudTrail advanced selectors compare strings, without wildcards). */
export function arnEquals(value: string, id: TableIdentity): Tri {
  const arn = parseArn(value);
  if (!arn || arn.service !== "dynamodb") return "no";
  const exact = (expected: string, actual: Maybe<string>): Tri =>
    typeof actual !== "string" ? "unknown" : expected === actual ? "yes" : "no";
  return all([
    partitionPart(arn.partition, id),
    exact(arn.region, id.region),
    exact(arn.account, id.account),
    exact(arn.resource, typeof id.name === "string" ? `table/${id.name}` : id.name),
  ]);
}

export function arnStartsWith(prefix: string, id: TableIdentity): Tri {
  let offset = 0;
  for (const p of pieces(id, prefix.split(":")[1])) {
    if (offset >= prefix.length) return "yes";
    if (typeof p !== "string") return "unknown";
    const chunk = prefix.slice(offset, offset + p.length);
    if (!p.startsWith(chunk)) return "no";
    offset += p.length;
  }
  return offset >= prefix.length ? "yes" : "no";
}

export function arnEndsWith(suffix: string, id: TableIdentity): Tri {
  let offset = suffix.length;
  const list = pieces(id, UNKNOWN);
  for (let i = list.length - 1; i >= 0; i--) {
    if (offset <= 0) return "yes";
    const p = list[i];
    if (typeof p !== "string") return "unknown";
    const chunk = suffix.slice(Math.max(0, offset - p.length), offset);
    if (!p.endsWith(chunk)) return "no";
    offset -= p.length;
  }
  return offset <= 0 ? "yes" : "no";
}
