import * as pulumi from "@pulumi/pulumi";
// In your own project: import { ... } from "dynamodb-hardened";
import { DynamoDbDataEventsTrail, OrganizationGuardrails } from "../../components";

// Run with credentials of the organization's management account (or a delegated administrator for
// policies and for CloudTrail).
const config = new pulumi.Config();
const region = config.get("region") ?? new pulumi.Config("aws").get("region") ?? "us-east-1";
const organizationId = config.get("organizationId") ?? "o-exampleorgid";
// The root (r-…), or organizational units (ou-…) holding the accounts whose tables to guard.
const targetIds = config.getObject<string[]>("targetIds") ?? ["r-examp1e"];
const breakGlassRoleArns = config.getObject<string[]>("breakGlassRoleArns") ?? [
  "arn:aws:iam::*:role/DatabaseAdminBreakGlass",
];
const tableAdministratorRoleArns = config.getObject<string[]>("tableAdministratorRoleArns") ?? [
  "arn:aws:iam::*:role/dynamodb-deployer",
];
const tags = { owner: "platform-security" };

// An RCP: no principal outside the organization reaches any table, whatever a table's own policy says.
// One SCP: only break-glass and deployment roles change tables (and so can turn deletion protection
// off); only break-glass roles delete tables or backups.
const guardrails = new OrganizationGuardrails("dynamodb", {
  organizationId,
  targetIds,
  breakGlassRoleArns,
  tableAdministratorRoleArns,
  trustedAccountIds: config.getObject<string[]>("trustedAccountIds") ?? [],
  tags,
});

// An organization trail of DynamoDB writes in every member account and region, with alarms on
// DeleteTable, on deletion protection turned off and on mass DeleteItem.
let trail: DynamoDbDataEventsTrail | undefined;
if (config.getBoolean("organizationTrail") ?? true) {
  trail = new DynamoDbDataEventsTrail("dynamodb-org-trail", {
    region,
    organizationId,
    readWriteType: config.get("readWriteType") ?? "WriteOnly",
    objectLockMode: config.get("objectLockMode") ?? "GOVERNANCE",
    alarms: {
      alarmActions: config.getObject<string[]>("alarmTopicArns") ?? [],
    },
    tags,
  });
}

export const resourceControlPolicyId = guardrails.resourceControlPolicy?.id;
export const serviceControlPolicyId = guardrails.serviceControlPolicy?.id;
export const trailArn = trail?.arn;
export const trailBucket = trail?.bucketName;
