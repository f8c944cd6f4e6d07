import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";

/** Who manages a key: `AWS` (alias/aws/...) or `CUSTOMER`; `unknown` when the key cannot be described. */
export type KeyManager = "AWS" | "CUSTOMER" | "unknown";

/**
 * DescribeKey once per key and region, however many tables and vaults share it. A DynamoDB table's
 * SSEDescription names the key by ARN for both kinds, so only KMS tells the AWS-managed key apart.
 */
export class KeyManagers {
  private readonly cache = new Map<string, Promise<KeyManager>>();
  readonly failures: Error[] = [];

  constructor(private readonly client: KMSClient) {}

  of(keyArn: string): Promise<KeyManager> {
    let answer = this.cache.get(keyArn);
    if (!answer) {
      answer = this.client.send(new DescribeKeyCommand({ KeyId: keyArn })).then(
        (out) => (out.KeyMetadata?.KeyManager === "AWS" ? "AWS" : out.KeyMetadata ? "CUSTOMER" : "unknown"),
        (e: unknown) => {
          // A key in another account (a central backup account) is often not describable: reported, not a finding.
          this.failures.push(e instanceof Error ? e : new Error(String(e)));
          return "unknown" as const;
        },
      );
      this.cache.set(keyArn, answer);
    }
    return answer;
  }
}
