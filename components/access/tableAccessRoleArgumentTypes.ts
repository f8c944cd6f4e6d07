import { Fields, object, required, string } from "../shared/argumentTypes";
import { boolean, inputText, inputTexts, number, tags, text, texts } from "../shared/argumentKinds";

/** The type of every `TableAccessRoleArgs` field (see `argumentTypes.ts`). */
export const TABLE_ACCESS_ROLE_ARGUMENT_TYPES: Fields = {
  tableArn: required(inputText),
  trustedPrincipals: required(inputTexts),
  allowWholeAccountTrust: boolean,
  externalId: required(inputText),
  organizationId: text,
  maxSessionDuration: number,
  access: text,
  actions: texts,
  leadingKeys: object({ principalTag: required(string()), value: text }),
  attributes: texts,
  sourceVpce: inputText,
  kmsKeyArn: inputText,
  roleName: text,
  permissionsBoundary: inputText,
  tags: tags(),
};
