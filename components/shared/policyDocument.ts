import * as pulumi from "@pulumi/pulumi";

/** An IAM policy statement, as AWS reads it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS?: string | string[]; Service?: string | string[] };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Serializes a document whose strings may be Outputs (ARNs of resources not created yet). */
export function policyJson(document: pulumi.Input<PolicyDocument>): pulumi.Output<string> {
  return pulumi.jsonStringify(pulumi.output(document));
}
