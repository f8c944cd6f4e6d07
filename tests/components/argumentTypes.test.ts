import { strict as assert } from "assert";
import * as path from "path";
import {
  CENTRAL_BACKUP_VAULT_ARGUMENT_TYPES,
  TABLE_BACKUP_PLAN_ARGUMENT_TYPES,
} from "../../components/backup/backupArgumentTypes";
import { DYNAMODB_GATEWAY_ENDPOINT_ARGUMENT_TYPES } from "../../components/guardrails/dynamoDbGatewayEndpointArgumentTypes";
import {
  DYNAMODB_DATA_EVENTS_TRAIL_ARGUMENT_TYPES,
  ORGANIZATION_GUARDRAILS_ARGUMENT_TYPES,
} from "../../components/guardrails/guardrailsArgumentTypes";
import { HARDENED_DAX_CLUSTER_ARGUMENT_TYPES } from "../../components/guardrails/hardenedDaxClusterArgumentTypes";
import { TABLE_ACCESS_ROLE_ARGUMENT_TYPES } from "../../components/access/tableAccessRoleArgumentTypes";
import {
  STREAM_ACCESS_GRANT_ARGUMENT_TYPES,
  STREAM_CONSUMER_ARGUMENT_TYPES,
} from "../../components/streams/streamArgumentTypes";
import { HARDENED_TABLE_ARGUMENT_TYPES } from "../../components/table/hardenedTableArgumentTypes";
import { Fields } from "../../components/shared/argumentTypes";
import { PACKAGE_ROOT, sourceSurface } from "../harness/packageSchema";

const TABLES: Record<string, Fields> = {
  HardenedTable: HARDENED_TABLE_ARGUMENT_TYPES,
  TableAccessRole: TABLE_ACCESS_ROLE_ARGUMENT_TYPES,
  DynamoDbGatewayEndpoint: DYNAMODB_GATEWAY_ENDPOINT_ARGUMENT_TYPES,
  HardenedDaxCluster: HARDENED_DAX_CLUSTER_ARGUMENT_TYPES,
  DynamoDbDataEventsTrail: DYNAMODB_DATA_EVENTS_TRAIL_ARGUMENT_TYPES,
  OrganizationGuardrails: ORGANIZATION_GUARDRAILS_ARGUMENT_TYPES,
  CentralBackupVault: CENTRAL_BACKUP_VAULT_ARGUMENT_TYPES,
  TableBackupPlan: TABLE_BACKUP_PLAN_ARGUMENT_TYPES,
  StreamAccessGrant: STREAM_ACCESS_GRANT_ARGUMENT_TYPES,
  StreamConsumer: STREAM_CONSUMER_ARGUMENT_TYPES,
};

describe("Argument types: one table per component, covering exactly its declared arguments", function () {
  this.timeout(120_000);
  const surface = sourceSurface(path.join(PACKAGE_ROOT, "components"), Object.keys(TABLES));

  it("every component class has a table", () => {
    assert.deepEqual(surface.components.map((c) => c.className).sort(), Object.keys(TABLES).sort());
  });

  for (const [component, fields] of Object.entries(TABLES)) {
    it(`${component}: the table lists every argument of its args interface, and no other`, () => {
      const declared = surface.components.find((c) => c.className === component)!;
      // An argument missing here would be refused as unknown; one too many would accept a typo.
      assert.deepEqual(Object.keys(fields).sort(), declared.args.map((a) => a.name).sort());
    });
  }
});
