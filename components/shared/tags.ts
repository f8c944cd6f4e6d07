/** The tag that tag-based AWS Backup selections (and the policy pack) look for. */
export const BACKUP_TAG = { key: "backup", value: "required" } as const;
/** Why a stream exposes full item images; read by the policy pack. */
export const STREAM_REASON_TAG = "dynamodb-hardened:stream-reason";
/** Marks resources made by this package. */
export const MANAGED_BY_TAG = "dynamodb-hardened:managed-by";

/** Keeps a free-text reason within what AWS tag values accept. */
export function tagValue(text: string): string {
  return text
    .replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, " ")
    .slice(0, 256)
    .trim();
}

export function componentTags(
  userTags: Record<string, string> | undefined,
  component: string,
): Record<string, string> {
  return { ...(userTags ?? {}), [MANAGED_BY_TAG]: component };
}
