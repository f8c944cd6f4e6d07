import { Fields, list, required } from "../shared/argumentTypes";
import { boolean, inputText, inputTexts, number, region, tags, text } from "../shared/argumentKinds";

/** The type of every `HardenedDaxClusterArgs` field (see `argumentTypes.ts`). */
export const HARDENED_DAX_CLUSTER_ARGUMENT_TYPES: Fields = {
  clusterName: text,
  region,
  nodeType: text,
  replicationFactor: number,
  allowFewerThanThreeNodes: boolean,
  availabilityZones: list(text),
  vpcId: required(inputText),
  subnetIds: required(inputTexts),
  clientSecurityGroupIds: required(inputTexts),
  tableArns: required(inputTexts),
  readOnly: boolean,
  tls: boolean,
  allowPlaintext: boolean,
  maintenanceWindow: text,
  notificationTopicArn: inputText,
  tags: tags(),
};
