import * as pulumi from "@pulumi/pulumi";

/** The estate this program deploys: typed, with demo values that only work offline. */
export interface EstateConfig {
  region: string;
  replicaRegions: string[];
  organizationId: string;
  deployRoleName: string;
  accounts: { application: string; analytics: string; backup: string; usage: string };
  usageRoleArn: string;
  breakGlassRoleName: string;
  externalId: pulumi.Output<string>;
  vpcId: string;
  routeTableIds: string[];
}

export function readConfig(): EstateConfig {
  const config = new pulumi.Config();
  const accounts = {
    application: config.get("applicationAccountId") ?? "111111111111",
    analytics: config.get("analyticsAccountId") ?? "222222222222",
    backup: config.get("backupAccountId") ?? "999999999999",
    usage: config.get("usageAccountId") ?? "333333333333",
  };
  return {
    region: config.get("region") ?? new pulumi.Config("aws").get("region") ?? "us-east-1",
    replicaRegions: config.getObject<string[]>("replicaRegions") ?? ["eu-west-1", "ap-southeast-2"],
    organizationId: config.get("organizationId") ?? "o-a1b2c3d4e5",
    deployRoleName: config.get("deployRoleName") ?? "platform-deployer",
    accounts,
    usageRoleArn: config.get("usageRoleArn") ?? `arn:aws:iam::${accounts.usage}:role/orders-reporting`,
    breakGlassRoleName: config.get("breakGlassRoleName") ?? "break-glass",
    externalId: config.getSecret("externalId") ?? pulumi.secret("demo-only-external-id-set-your-own"),
    vpcId: config.get("vpcId") ?? "vpc-0a1b2c3d4e5f67890",
    routeTableIds: config.getObject<string[]>("routeTableIds") ?? [
      "rtb-0a1b2c3d4e5f67890",
      "rtb-0b2c3d4e5f6789012",
    ],
  };
}
