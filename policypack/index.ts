import { PolicyPack } from "@pulumi/policy";

new PolicyPack("dynamodb-hardened", { policies: [] });
