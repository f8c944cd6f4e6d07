import { Fields, required } from "../shared/argumentTypes";
import { boolean, inputText, inputTexts, region, tags, text, texts } from "../shared/argumentKinds";

/** The type of every `DynamoDbGatewayEndpointArgs` field (see `argumentTypes.ts`). */
export const DYNAMODB_GATEWAY_ENDPOINT_ARGUMENT_TYPES: Fields = {
  vpcId: required(inputText),
  routeTableIds: required(inputTexts),
  region,
  tableArns: inputTexts,
  actions: texts,
  allowAllTablesInAccount: boolean,
  organizationId: text,
  tags: tags(),
};
