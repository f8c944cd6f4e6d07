import { PolicyPack } from "@pulumi/policy";
import { PACK_ARGS, PACK_NAME } from "./pack";
import { shareDeserializedProperties } from "./sdk";

shareDeserializedProperties();

new PolicyPack(PACK_NAME, PACK_ARGS);
