import * as pulumi from "@pulumi/pulumi";
import { checkTableArn, isAwsManagedDynamoDbKey, isPrincipalArn, parseArn } from "../shared/arn";
import { attributeRestrictedPolicyDocument, leadingKeysPolicyDocument } from "./fineGrainedAccess";
import { checkOrganizationId, checkVpcEndpointId } from "../shared/resourceIds";
import { externalIdProblem, roleNameProblem } from "../shared/sts";
import { TableAccessRoleArgs } from "./tableAccessRoleArgs";
import {
  TABLE_ACCESS_PRESETS,
  TABLE_ACCESS_ROLE_ACTIONS,
  FineGrained,
  fineGrainedConflict,
} from "./tableAccessRolePolicy";
import { ArgumentProblems, Validated, checkAgainst, checkInput, inRange, oneOf } from "../shared/validation";
import { checkKeyIdArn } from "../shared/checks";

const PLACEHOLDER_TABLE_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/check";
const WHOLE_ACCOUNT = /^arn:[\w-]+:iam::\d{12}:root$/;

/** Inputs that may be Outputs, wrapped so that they are checked once known. */
export interface CheckedRoleInputs {
  tableArn: pulumi.Input<string>;
  trustedPrincipals: pulumi.Input<string>[];
  externalId: pulumi.Input<string>;
  sourceVpce?: pulumi.Input<string>;
  kmsKeyArn?: pulumi.Input<string>;
  permissionsBoundary?: pulumi.Input<string>;
  /** Which fine-grained restrictions are asked for: they limit the actions the role may be granted. */
  fineGrained: FineGrained;
}

function principalProblem(allowWholeAccountTrust: boolean | undefined): (v: string) => string | undefined {
  return (v) => {
    if (v.includes("*"))
      return `"${v}" is a wildcard; name IAM role ARNs (arn:aws:iam::<account>:role/<name>)`;
    if (WHOLE_ACCOUNT.test(v)) {
      return allowWholeAccountTrust
        ? undefined
        : `"${v}" trusts every principal of the account; name IAM role ARNs, or set allowWholeAccountTrust: true (demo accounts only)`;
    }
    if (!isPrincipalArn(v) || parseArn(v)?.service !== "iam") {
      return `"${v}" is not an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)`;
    }
    return undefined;
  };
}

/** A helper's own check, reported under this component's property name. */
function helperProblem(path: string, check: () => unknown, problems: ArgumentProblems): void {
  try {
    check();
  } catch (e) {
    if (!pulumi.InputPropertyError.isInstance(e)) throw e;
    problems.add(path, e.reason);
  }
}

function validateTrust(
  args: TableAccessRoleArgs,
  problems: ArgumentProblems,
  checked: CheckedRoleInputs,
): void {
  const principals = args.trustedPrincipals ?? [];
  if (!principals.length) {
    problems.add("trustedPrincipals", "name at least one IAM role ARN in the usage account");
  }
  const check = principalProblem(args.allowWholeAccountTrust);
  checked.trustedPrincipals = principals.map((p, i) =>
    checkInput(p, `trustedPrincipals[${i}]`, check, problems)!,
  );
  if (args.externalId === undefined || args.externalId === "") {
    problems.add(
      "externalId",
      "required: the external ID callers must pass to AssumeRole (2 to 1224 characters of letters, digits and _+=,.@:/-)",
    );
  } else {
    checked.externalId = checkInput(args.externalId, "externalId", externalIdProblem, problems)!;
  }
  problems.check("organizationId", args.organizationId, checkOrganizationId);
  problems.check("maxSessionDuration", args.maxSessionDuration, inRange(3600, 43200, "seconds"));
}

function validateActions(
  args: TableAccessRoleArgs,
  problems: ArgumentProblems,
  fineGrained: FineGrained,
): void {
  const presets = Object.keys(TABLE_ACCESS_PRESETS);
  if (args.access !== undefined) {
    const reason = oneOf(presets)(args.access);
    if (reason) problems.add("access", reason);
    if (args.actions !== undefined)
      problems.add("access", "set either access (a preset) or actions (a list), not both");
  }
  if (args.actions === undefined) return;
  if (!args.actions.length) {
    problems.add("actions", `name at least one action, or use access: ${presets.join(", ")}`);
  }
  args.actions.forEach((action, i) => {
    const path = `actions[${i}]`;
    if (action.includes("*")) {
      problems.add(
        path,
        `"${action}" is a wildcard; name the actions, e.g. ${TABLE_ACCESS_PRESETS["read-only"].join(", ")}`,
      );
    } else if (!TABLE_ACCESS_ROLE_ACTIONS.includes(action)) {
      problems.add(path, `"${action}" is not allowed; use one of ${TABLE_ACCESS_ROLE_ACTIONS.join(", ")}`);
    } else {
      const conflict = fineGrainedConflict(action, fineGrained);
      if (conflict) problems.add(path, conflict);
    }
  });
}

function validateFineGrained(args: TableAccessRoleArgs, problems: ArgumentProblems): void {
  const leadingKeys = args.leadingKeys;
  if (leadingKeys) {
    helperProblem(
      "leadingKeys.principalTag",
      () => leadingKeysPolicyDocument(PLACEHOLDER_TABLE_ARN, { principalTag: leadingKeys.principalTag }),
      problems,
    );
    if (leadingKeys.value !== undefined && !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u.test(leadingKeys.value)) {
      problems.add("leadingKeys.value", `"${leadingKeys.value}" is not a valid IAM tag value`);
    }
    const tagged = args.tags?.[leadingKeys.principalTag];
    if (tagged !== undefined && tagged !== leadingKeys.value) {
      problems.add(
        "tags",
        `tag "${leadingKeys.principalTag}" decides which partition the role sees; set it with leadingKeys.value, not tags`,
      );
    }
  }
  if (args.attributes) {
    helperProblem(
      "attributes",
      () => attributeRestrictedPolicyDocument(PLACEHOLDER_TABLE_ARN, { attributes: args.attributes! }),
      problems,
    );
    args.attributes.forEach((attribute, i) => {
      if (!attribute.trim()) problems.add(`attributes[${i}]`, "an attribute name cannot be empty");
    });
  }
  const preset = args.access ?? "read-only";
  if (
    args.attributes &&
    args.actions === undefined &&
    preset !== "read-only" &&
    TABLE_ACCESS_PRESETS[preset]
  ) {
    problems.add(
      "attributes",
      `attributes restricts reads only; use access "read-only" or a list of read actions`,
    );
  }
}

function validateKey(
  args: TableAccessRoleArgs,
  problems: ArgumentProblems,
  checked: CheckedRoleInputs,
): void {
  checked.kmsKeyArn = checkInput(
    args.kmsKeyArn,
    "kmsKeyArn",
    (v) => {
      if (isAwsManagedDynamoDbKey(v)) {
        return "alias/aws/dynamodb is AWS-managed: its policy already lets the account's principals use it through DynamoDB; remove kmsKeyArn";
      }
      return checkKeyIdArn("aliases do not match key requests")(v);
    },
    problems,
  );
  // The key's account and region against the table's, now or once either Output resolves.
  checked.kmsKeyArn = checkAgainst(
    checked.kmsKeyArn,
    args.tableArn === "" ? undefined : args.tableArn,
    "kmsKeyArn",
    (keyArn: string, tableArn: string) => {
      const key = parseArn(keyArn);
      const table = parseArn(tableArn);
      return key && table && (key.region !== table.region || key.accountId !== table.accountId)
        ? `the key is in ${key.accountId}/${key.region}, the table in ${table.accountId}/${table.region}: a table's key is in its own account and region`
        : undefined;
    },
    problems,
  );
}

/**
 * Every problem with `TableAccessRole` arguments, found before any resource is created. Values that are
 * Outputs come back wrapped in `checked`: they are checked when they resolve.
 */
export function validateTableAccessRoleArgs(
  _name: string,
  args: TableAccessRoleArgs,
): Validated<CheckedRoleInputs> {
  const problems = new ArgumentProblems();
  const fineGrained: FineGrained = { leadingKeys: !!args?.leadingKeys, attributes: !!args?.attributes };
  const checked: CheckedRoleInputs = { tableArn: "", trustedPrincipals: [], externalId: "", fineGrained };
  if (!args) {
    problems.add("args", "tableArn, trustedPrincipals and externalId are required");
    return { problems, checked };
  }
  if (args.tableArn === undefined || args.tableArn === "") {
    problems.add("tableArn", "required: the ARN of the table to grant access to");
  } else {
    checked.tableArn = checkInput(args.tableArn, "tableArn", checkTableArn, problems)!;
  }
  validateTrust(args, problems, checked);
  validateActions(args, problems, fineGrained);
  validateFineGrained(args, problems);
  checked.sourceVpce = checkInput(args.sourceVpce, "sourceVpce", checkVpcEndpointId, problems);
  validateKey(args, problems, checked);
  problems.check("roleName", args.roleName, roleNameProblem);
  checked.permissionsBoundary = checkInput(
    args.permissionsBoundary,
    "permissionsBoundary",
    (v) =>
      /^arn:[\w-]+:iam::(\d{12}|aws):policy\/.+$/.test(v)
        ? undefined
        : `"${v}" is not an IAM managed policy ARN`,
    problems,
  );
  return { problems, checked };
}
