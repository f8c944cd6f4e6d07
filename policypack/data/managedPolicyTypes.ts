/** One AWS-managed policy, reduced to the statements that can grant DynamoDB, DAX or KMS actions. */
export interface ManagedPolicyEntry {
  name: string;
  /** `arn:aws:iam::aws:policy/<path>/<name>` as AWS publishes it (aws partition). */
  arn: string;
  /** The policy version the snapshot holds (`v7`). */
  version: string;
  /** IAM statements (JSON form): Effect, Action or NotAction, Resource or NotResource, Condition. */
  statements: Record<string, unknown>[];
}

export interface ManagedPolicySnapshot {
  /** Package and version the snapshot was generated from. */
  source: string;
  /** Latest update date (YYYY-MM-DD) among the policies of the source. */
  updatedThrough: string;
  policies: ManagedPolicyEntry[];
}
