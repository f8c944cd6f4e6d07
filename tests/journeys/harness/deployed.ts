import { RecordedResource, byType, record } from "../../harness/record";
import { KmsGrant, Policy } from "./layers";

/** The policies and grants a program would deploy, read from what it registers under Pulumi mocks. */
export class Deployed {
  private constructor(public readonly resources: RecordedResource[]) {}

  /** Runs `program` (components from the public API) under mocks. */
  static async of(program: () => unknown): Promise<Deployed> {
    return new Deployed(await record(program));
  }

  private parsed(resource: RecordedResource, property: string): Policy {
    const value = resource.inputs[property];
    if (typeof value !== "string") throw new Error(`${resource.name}.${property} is not a JSON string`);
    return JSON.parse(value) as Policy;
  }

  private only(type: string, where: (r: RecordedResource) => boolean, what: string): RecordedResource {
    const found = byType(this.resources, type).filter(where);
    if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}`);
    return found[0];
  }

  /** The DynamoDB resource policy attached to `resourceArn` (a table, replica or stream). */
  resourcePolicy(resourceArn: string): Policy {
    const r = this.only(
      "aws:dynamodb/resourcePolicy:ResourcePolicy",
      (p) => p.inputs.resourceArn === resourceArn,
      `resource policy on ${resourceArn}`,
    );
    return this.parsed(r, "policy");
  }

  /** The key policy of the key (or replica key) whose mocked ARN is `keyArn`. */
  keyPolicy(keyArn: string): Policy {
    const name = keyArn.split("/mrk-")[1];
    const r = this.only("aws:kms/key:Key", (k) => k.name === name, `key ${keyArn}`);
    return this.parsed(r, "policy");
  }

  /** The key policy of a multi-Region replica key. */
  replicaKeyPolicy(name: string): Policy {
    return this.parsed(
      this.only("aws:kms/replicaKey:ReplicaKey", (k) => k.name === name, `replica key ${name}`),
      "policy",
    );
  }

  /** Every KMS grant the program creates. */
  grants(): KmsGrant[] {
    return byType(this.resources, "aws:kms/grant:Grant").map((g) => {
      const constraints =
        (g.inputs.constraints as Record<string, Record<string, string>>[] | undefined) ?? [];
      return {
        keyArn: String(g.inputs.keyId),
        granteePrincipal: String(g.inputs.granteePrincipal),
        operations: g.inputs.operations as string[],
        encryptionContextSubset: constraints[0]?.encryptionContextSubset,
        encryptionContextEquals: constraints[0]?.encryptionContextEquals,
      };
    });
  }

  /** The trust policy of the role named `name` (Pulumi resource name). */
  trustPolicy(name: string): Policy {
    return this.parsed(
      this.only("aws:iam/role:Role", (r) => r.name === name, `role ${name}`),
      "assumeRolePolicy",
    );
  }

  /** The inline policies of the role whose Pulumi resource name is `roleName`. */
  inlinePolicies(roleResourceName: string): Policy[] {
    const role = this.only(
      "aws:iam/role:Role",
      (r) => r.name === roleResourceName,
      `role ${roleResourceName}`,
    );
    return byType(this.resources, "aws:iam/rolePolicy:RolePolicy")
      .filter((p) => p.parent === role.parent)
      .map((p) => this.parsed(p, "policy"));
  }

  /** The organization policies of one type (`SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`). */
  organizationPolicies(type: string): Policy[] {
    return byType(this.resources, "aws:organizations/policy:Policy")
      .filter((p) => p.inputs.type === type)
      .map((p) => this.parsed(p, "content"));
  }

  /** The policy of the VPC endpoint (Pulumi resource name). */
  endpointPolicy(name: string): Policy {
    return this.parsed(
      this.only("aws:ec2/vpcEndpoint:VpcEndpoint", (e) => e.name === name, `endpoint ${name}`),
      "policy",
    );
  }

  /** The access policy of the backup vault whose name is `vaultName`, in `region`. */
  vaultPolicy(resourceName: string): Policy {
    return this.parsed(
      this.only(
        "aws:backup/vaultPolicy:VaultPolicy",
        (p) => p.name === resourceName,
        `vault policy ${resourceName}`,
      ),
      "policy",
    );
  }
}
