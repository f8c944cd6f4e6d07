import { splitArn } from "./partitions";
import { Maybe, UNKNOWN } from "./value";

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

const parsed = new Map<string, Arn | undefined>();

export function parseArn(text: string): Arn | undefined {
  let arn = parsed.get(text);
  if (arn === undefined && !parsed.has(text)) {
    arn = splitArn(text);
    // Stacks repeat the same ARNs across rules; keep the cache bounded across requests.
    if (parsed.size > 20000) parsed.clear();
    parsed.set(text, arn);
  }
  return arn;
}

/** `table/NAME`, `table/NAME/index/...`, `table/NAME/stream/...` of a DynamoDB ARN (or pattern). */
export interface DynamoDbArn extends Arn {
  table: string;
  kind: "table" | "index" | "stream" | "other";
}

export function parseDynamoDbArn(text: string): DynamoDbArn | undefined {
  const arn = parseArn(text);
  if (!arn || (arn.service !== "dynamodb" && arn.service !== "*")) return undefined;
  const [head, table, sub] = arn.resource.split("/");
  if (head !== "table" || table === undefined) return undefined;
  const kind =
    sub === undefined ? "table" : sub === "index" ? "index" : sub === "stream" ? "stream" : "other";
  return { ...arn, table, kind };
}

/** The AWS-managed key forms: `alias/aws/<service>` and its ARN. */
export function isAwsManagedKeyRef(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t.startsWith("alias/aws/")) return true;
  const arn = parseArn(t);
  return !!arn && arn.service === "kms" && arn.resource.startsWith("alias/aws/");
}

/** The region named in a KMS key ARN, when it is an ARN. */
export function keyRegion(text: string): string | undefined {
  const arn = parseArn(text);
  return arn && arn.service === "kms" && arn.region ? arn.region : undefined;
}

const ACCOUNT = /^\d{12}$/;

/** The account of a principal: a bare account ID, `arn:...:iam::ACCOUNT:...`, or `arn:...:sts::ACCOUNT:...`. */
export function principalAccount(value: Maybe<string>): Maybe<string> {
  if (value === UNKNOWN || value === undefined) return value;
  if (ACCOUNT.test(value)) return value;
  const arn = parseArn(value);
  return arn && ACCOUNT.test(arn.account) ? arn.account : undefined;
}

export function accountOfArn(value: Maybe<string>): Maybe<string> {
  if (value === UNKNOWN || value === undefined) return value;
  const arn = parseArn(value);
  return arn && ACCOUNT.test(arn.account) ? arn.account : undefined;
}

export function regionOfArn(value: Maybe<string>): Maybe<string> {
  if (value === UNKNOWN || value === undefined) return value;
  const arn = parseArn(value);
  return arn && arn.region ? arn.region : undefined;
}
