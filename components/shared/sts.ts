/** Checks of the values STS and IAM accept for role assumption. Each returns a reason, or undefined. */

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function externalIdProblem(value: string): string | undefined {
  return EXTERNAL_ID.test(value)
    ? undefined
    : "an external ID is 2 to 1224 characters of letters, digits and _+=,.@:/-";
}

export function sessionNameProblem(value: string): string | undefined {
  return SESSION_NAME.test(value)
    ? undefined
    : `"${value}" is not a session name: use 2 to 64 characters of letters, digits and _+=,.@-`;
}

export function roleNameProblem(value: string): string | undefined {
  return ROLE_NAME.test(value)
    ? undefined
    : `"${value}" is not an IAM role name: use 1 to 64 characters of letters, digits and _+=,.@-`;
}

/** A session name derived from a Pulumi resource name, so CloudTrail shows which program assumed the role. */
export function defaultSessionName(resourceName: string): string {
  const cleaned = `pulumi-${resourceName}`.replace(/[^\w+=,.@-]/g, "-");
  return cleaned.slice(0, 64);
}
