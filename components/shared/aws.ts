// The AWS SDK surface the components use, imported from its service modules rather than its root.
// Why: the component plugin infers its schema from these TypeScript sources at every GetSchema, and the
// TypeScript program it builds parses every declaration file they import. `@pulumi/aws`'s root index
// imports all of its services (about 2,700 files, 31 MB of declarations); the services below are a
// third of that. At run time the root module is still loaded first, as `import * as aws from
// "@pulumi/aws"` would (a plain require() call is not followed by the TypeScript compiler).
require("@pulumi/aws");

export * as appautoscaling from "@pulumi/aws/appautoscaling";
export * as backup from "@pulumi/aws/backup";
export * as cloudtrail from "@pulumi/aws/cloudtrail";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as dax from "@pulumi/aws/dax";
export * as dynamodb from "@pulumi/aws/dynamodb";
export * as ec2 from "@pulumi/aws/ec2";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as lambda from "@pulumi/aws/lambda";
export * as organizations from "@pulumi/aws/organizations";
export * as s3 from "@pulumi/aws/s3";
export * as sqs from "@pulumi/aws/sqs";
export * as vpc from "@pulumi/aws/vpc";
export * as types from "@pulumi/aws/types";
export { Provider } from "@pulumi/aws/provider";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export { Region } from "@pulumi/aws/types/enums";
