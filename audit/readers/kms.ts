import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  type KeyMetadata,
} from "@aws-sdk/client-kms";
import { isDenied } from "../sdk";

/** Who manages a key: `AWS` (alias/aws/...) or `CUSTOMER`; `unknown` when the key cannot be described. */
export type KeyManager = "AWS" | "CUSTOMER" | "unknown";

/** What the audit knows of one key: DescribeKey, and for a customer-managed key its rotation and key policy. */
export interface KeyRead {
  arn: string;
  manager: KeyManager;
  /** The key's ARN names another account than the audited one (a central backup or security account). */
  foreign: boolean;
  /** A call the key's own account refused to the audit role: expected for a key in another account. */
  foreignDenied: boolean;
  metadata?: KeyMetadata;
  /** GetKeyRotationStatus; undefined when not asked (AWS-managed, or a key KMS cannot rotate). */
  rotation?: { enabled: boolean; periodInDays?: number } | Error;
  /** GetKeyPolicy `default`; undefined when not asked (AWS-managed, or a key in another account). */
  policy?: string | Error;
  /** Calls that failed and leave part of the key unread, for the region's gaps (a foreign key's refusals excluded). */
  failures: { call: string; error: Error }[];
}

/** Whether KMS rotates the key's material automatically when asked: symmetric, KMS-made, not a multi-Region replica. */
export function rotatable(m: KeyMetadata): boolean {
  return (
    (m.KeySpec ?? m.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" &&
    (m.KeyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT" &&
    (m.Origin ?? "AWS_KMS") === "AWS_KMS" &&
    m.MultiRegionConfiguration?.MultiRegionKeyType !== "REPLICA"
  );
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * Reads each key once per account and region, however many tables and vaults share it: DescribeKey, then for a
 * customer-managed key GetKeyRotationStatus (when KMS can rotate it) and GetKeyPolicy. A DynamoDB table's
 * SSEDescription names the key by ARN for both kinds, so only KMS tells the AWS-managed key apart.
 */
export class KeyManagers {
  private readonly cache = new Map<string, Promise<KeyRead>>();

  constructor(
    private readonly client: KMSClient,
    /** The audited account: a key whose ARN names another is in another account. */
    private readonly account: string,
  ) {}

  read(keyArn: string): Promise<KeyRead> {
    let answer = this.cache.get(keyArn);
    if (!answer) {
      answer = this.load(keyArn);
      this.cache.set(keyArn, answer);
    }
    return answer;
  }

  async of(keyArn: string): Promise<KeyManager> {
    return (await this.read(keyArn)).manager;
  }

  private async load(arn: string): Promise<KeyRead> {
    const owner = arn.split(":")[4];
    const foreign = /^\d{12}$/.test(owner ?? "") && owner !== this.account;
    const read: KeyRead = { arn, manager: "unknown", foreign, foreignDenied: false, failures: [] };
    // A key in another account answers only when its key policy lets this account in: its refusal is expected.
    const failed = (call: string, e: unknown) => {
      if (foreign && isDenied(e)) read.foreignDenied = true;
      else read.failures.push({ call, error: asError(e) });
      return asError(e);
    };
    try {
      read.metadata = (await this.client.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata;
    } catch (e) {
      failed("kms:DescribeKey", e);
      // AWS-managed keys live in the account of the resource they encrypt: another account's key is a customer's.
      if (read.foreignDenied) read.manager = "CUSTOMER";
      return read;
    }
    const m = read.metadata;
    if (!m) return read;
    read.manager = m.KeyManager === "AWS" ? "AWS" : "CUSTOMER";
    if (read.manager !== "CUSTOMER") return read;
    const [rotation, policy] = await Promise.all([
      rotatable(m)
        ? this.client.send(new GetKeyRotationStatusCommand({ KeyId: arn })).then(
            (out) => ({ enabled: out.KeyRotationEnabled === true, periodInDays: out.RotationPeriodInDays }),
            (e: unknown) => failed("kms:GetKeyRotationStatus", e),
          )
        : undefined,
      // GetKeyPolicy has no cross-account use (API reference): another account's key policy is that account's to audit.
      foreign
        ? undefined
        : this.client.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" })).then(
            (out) => out.Policy ?? "",
            (e: unknown) => failed("kms:GetKeyPolicy", e),
          ),
    ]);
    read.rotation = rotation;
    read.policy = policy;
    return read;
  }
}
