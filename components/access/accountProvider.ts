import * as aws from "../shared/aws";
import * as pulumi from "@pulumi/pulumi";
import { isAccountId, isRoleArn, parseArn } from "../shared/arn";
import { defaultSessionName, externalIdProblem, sessionNameProblem } from "../shared/sts";
import { ArgumentProblems, Validated, checkInput, inRange, validateArgs } from "../shared/validation";
import { checkAccountId, checkRegion } from "../shared/checks";

/** Arguments of `accountProvider`. */
export interface AccountProviderArgs {
  /** The 12-digit account the provider deploys into; any other account fails before anything changes. */
  accountId: string;
  /** The role to assume in that account, `arn:aws:iam::<accountId>:role/<name>`. */
  roleArn: pulumi.Input<string>;
  /** The provider's region, e.g. `eu-west-1`. */
  region: string;
  /** The external ID the role's trust policy requires, if any. */
  externalId?: pulumi.Input<string>;
  /** The STS session name, shown in the account's CloudTrail. Default: `pulumi-<name>`. */
  sessionName?: string;
  /** Tags the provider adds to every resource it creates that takes tags. */
  defaultTags?: Record<string, string>;
  /**
   * Seconds to wait, during an update, before the provider first uses the role. IAM is eventually
   * consistent: a role created or changed earlier in the same program may not be assumable for some
   * seconds (pulumi-aws #673). Default 0; 0 to 120. Previews never wait.
   */
  roleReadyDelaySeconds?: number;
}

/** Inputs that may be Outputs, wrapped so that they are checked once known. */
interface CheckedProviderInputs {
  roleArn?: pulumi.Input<string>;
  externalId?: pulumi.Input<string>;
}

/** Every problem with `accountProvider` arguments, found before the provider is created. */
export function validateAccountProviderArgs(
  _name: string,
  args: AccountProviderArgs,
): Validated<CheckedProviderInputs> {
  return validateArgs(args, "accountId, roleArn and region", {}, checkedProviderInputs);
}

function checkedProviderInputs(args: AccountProviderArgs, problems: ArgumentProblems): CheckedProviderInputs {
  const accountIdKnownGood = typeof args.accountId === "string" && isAccountId(args.accountId);
  if (!accountIdKnownGood) problems.add("accountId", checkAccountId(String(args.accountId))!);
  problems.check("region", String(args.region), checkRegion);
  const externalId = checkInput(args.externalId, "externalId", externalIdProblem, problems);
  problems.check("sessionName", args.sessionName, sessionNameProblem);
  problems.check("roleReadyDelaySeconds", args.roleReadyDelaySeconds, inRange(0, 120, "seconds"));
  if (args.roleArn === undefined || args.roleArn === "") {
    problems.add("roleArn", "required: the role to assume (arn:aws:iam::<accountId>:role/<name>)");
    return { externalId };
  }
  const roleArn = checkInput(
    args.roleArn,
    "roleArn",
    (v) => {
      if (!isRoleArn(v)) return `"${v}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`;
      const account = parseArn(v)?.accountId;
      return accountIdKnownGood && account !== args.accountId
        ? `the role is in account ${account}, but accountId is ${args.accountId}: assume a role in the account you deploy to`
        : undefined;
    },
    problems,
  );
  return { roleArn, externalId };
}

function afterDelay(value: pulumi.Input<string>, seconds: number): pulumi.Input<string> {
  if (seconds <= 0) return value;
  return pulumi.output(value).apply(async (v) => {
    if (!pulumi.runtime.isDryRun()) await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return v;
  });
}

/**
 * An AWS provider for one account of a multi-account program: it assumes `roleArn` (with the external ID
 * and a named session), refuses to run against any account but `accountId` (`allowedAccountIds`), deploys
 * to `region` and adds `defaultTags`. Bad arguments throw one error naming every property.
 */
export function accountProvider(
  name: string,
  args: AccountProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.Provider {
  const { problems, checked } = validateAccountProviderArgs(name, args);
  problems.throwIfAny("accountProvider", name);
  return new aws.Provider(
    name,
    {
      region: args.region,
      allowedAccountIds: [args.accountId],
      assumeRoles: [
        {
          roleArn: afterDelay(checked.roleArn!, args.roleReadyDelaySeconds ?? 0),
          externalId: checked.externalId === undefined ? undefined : pulumi.secret(checked.externalId),
          sessionName: args.sessionName ?? defaultSessionName(name),
        },
      ],
      defaultTags: args.defaultTags ? { tags: args.defaultTags } : undefined,
    },
    opts,
  );
}
