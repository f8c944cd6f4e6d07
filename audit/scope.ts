import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { enabledRegions } from "./readers/ec2";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ClientSettings, Target, all, makeClient } from "./sdk";
import { isKnownRegion } from "../components/shared/partitions";

export interface Caller {
  account: string;
  arn: string;
  /** The region the SDK resolved for the current credentials (AWS_REGION, profile...). */
  region: string;
}

export async function whoAmI(region: string, settings: ClientSettings): Promise<Caller> {
  const sts = makeClient(STSClient, { region }, settings);
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (!out.Account) throw new Error("GetCallerIdentity returned no account");
    return { account: out.Account, arn: out.Arn ?? "", region };
  } finally {
    sts.destroy();
  }
}

export interface AccountRef {
  id: string;
  name?: string;
}

/** The organization's active accounts (ListAccounts, from the management or a delegated administrator account). */
export async function organizationAccounts(region: string, settings: ClientSettings): Promise<AccountRef[]> {
  const client = makeClient(OrganizationsClient, { region }, settings);
  try {
    const accounts = await all(async (token) => {
      const out = await client.send(new ListAccountsCommand({ NextToken: token }));
      return { items: out.Accounts, next: out.NextToken };
    });
    return accounts
      .filter((a) => a.Id && (a.Status === undefined || a.Status === "ACTIVE"))
      .map((a) => ({ id: a.Id!, name: a.Name }));
  } finally {
    client.destroy();
  }
}

export interface RoleSettings {
  roleName: string;
  externalId?: string;
  /** The partition of the caller's ARN (`aws`, `aws-cn`, `aws-eusc`...). */
  partition: string;
}

/**
 * Credentials for the audit role in another account, renewed five minutes before they expire (an estate-wide
 * audit can outlast one session). The first failure is kept: the account is then reported as unreachable.
 */
export function assumedRole(
  account: string,
  role: RoleSettings,
  region: string,
  settings: ClientSettings,
): AwsCredentialIdentityProvider {
  const sts = makeClient(STSClient, { region }, settings);
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expires = 0;
  return () => {
    if (!current || Date.now() > expires - 5 * 60_000) {
      current = sts
        .send(
          new AssumeRoleCommand({
            RoleArn: `arn:${role.partition}:iam::${account}:role/${role.roleName}`,
            RoleSessionName: "dynamodb-hardened-audit",
            ExternalId: role.externalId,
            DurationSeconds: 3600,
          }),
        )
        .then((out) => {
          const c = out.Credentials;
          if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole returned no credentials");
          expires = c.Expiration ? new Date(c.Expiration).getTime() : Date.now() + 3600_000;
          return {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration: c.Expiration ? new Date(c.Expiration) : undefined,
          };
        });
      current.catch(() => {
        expires = 0;
      });
    }
    return current;
  };
}

/** The regions to audit in an account: the ones asked for, else every region enabled in it. */
export async function regionsOf(target: Target, settings: ClientSettings): Promise<string[]> {
  const ec2 = makeClient(EC2Client, target, settings);
  try {
    return await enabledRegions(ec2);
  } finally {
    ec2.destroy();
  }
}

export const ACCOUNT_ID = /^\d{12}$/;
/** A region the AWS SDK's partition data names (eusc-de-east-1 and us-isof-south-1 too), or one listed in DYNAMODB_HARDENED_EXTRA_REGIONS. */
export const REGION = { test: isKnownRegion };
