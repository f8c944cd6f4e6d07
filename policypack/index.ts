import { PolicyPack } from "@pulumi/policy";
import { PACK_ARGS, PACK_NAME } from "./pack";
import { guardRequestDecoding } from "./requestGuard";
import { shareDeserializedProperties } from "./sdk";

guardRequestDecoding();
shareDeserializedProperties();

new PolicyPack(PACK_NAME, PACK_ARGS);
