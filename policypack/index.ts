import { PolicyPack } from "@pulumi/policy";
import { definitions } from "./definitions";
import { shareDeserializedProperties } from "./sdk";

shareDeserializedProperties();

new PolicyPack("dynamodb-hardened", {
  description:
    "The twelve DynamoDB security practices for @pulumi/aws and @pulumi/aws-native resources, decided at preview even when values are unknown.",
  displayName: "DynamoDB hardened",
  policies: definitions(),
});
