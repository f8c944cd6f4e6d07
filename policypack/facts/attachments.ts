import { ManagedAttachment } from "./model";
import { Bag, UNKNOWN, arr, str } from "./value";

/**
 * Managed policies a resource attaches by ARN, wherever the providers put them:
 * `policyArn` (aws RolePolicyAttachment, UserPolicyAttachment, GroupPolicyAttachment, PolicyAttachment),
 * `policyArns` (aws RolePolicyAttachmentsExclusive), `managedPolicyArns` (aws Role; aws-native Role, User, Group).
 * An unknown list is one unknown attachment: it may hold anything, and is decided where its policy is.
 */
export const ATTACHMENT_KEYS: Record<string, { key: string; list: boolean }> = {
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { key: "policyArn", list: false },
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": { key: "policyArn", list: false },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": { key: "policyArn", list: false },
  "aws:iam/policyAttachment:PolicyAttachment": { key: "policyArn", list: false },
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": { key: "policyArns", list: true },
  "aws:iam/role:Role": { key: "managedPolicyArns", list: true },
  "aws-native:iam:Role": { key: "managedPolicyArns", list: true },
  "aws-native:iam:User": { key: "managedPolicyArns", list: true },
  "aws-native:iam:Group": { key: "managedPolicyArns", list: true },
};

export function managedAttachments(type: string, props: Bag): ManagedAttachment[] {
  const spec = ATTACHMENT_KEYS[type];
  if (!spec) return [];
  const raw = props[spec.key];
  if (!spec.list) return raw === undefined ? [] : [{ arn: str(raw), path: spec.key }];
  const list = arr(raw);
  if (list === UNKNOWN) return [{ arn: UNKNOWN, path: spec.key }];
  return (list ?? []).map((item, i) => ({ arn: str(item), path: `${spec.key}[${i}]` }));
}
