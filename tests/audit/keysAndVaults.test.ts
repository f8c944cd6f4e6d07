import { strict as assert } from "assert";
import { BackupClient } from "@aws-sdk/client-backup";
import { readVaults } from "../../audit/readers/backup";
import { vaultPartResources } from "../../audit/resources";
import { StackModel, dependencyLists } from "../../policypack/facts/stack";
import { findingMessage } from "../../policypack/rules/finding";
import { keyRotationFindings } from "../../policypack/rules/p01Encryption";
import { ACCESS_DENIED, KeySpec, RegionSpec, accessKeyFor, startFakeAws } from "./fakeAws";
import { AWS_MANAGED_KEY_ID, CALLER, hardenedRegion, hardenedTable, keyArn, simpleEstate } from "./estate";
import { JsonReport, auditAgainst, findingsOf } from "./harness";

const R = "us-east-1";
const KEY = keyArn(CALLER, R);
const KEY_ID = KEY.split("/").pop()!;
const FOREIGN = "999999999999";

function region(tables: string[], key: KeySpec, change: (r: RegionSpec) => void = () => {}): RegionSpec {
  const spec = hardenedRegion(
    CALLER,
    R,
    tables.map((name) => hardenedTable(CALLER, R, name)),
  );
  spec.keys![KEY] = key;
  change(spec);
  return spec;
}

async function audit(spec: RegionSpec, fault?: Parameters<typeof simpleEstate>[0]["fault"]) {
  const run = await auditAgainst(simpleEstate({ accounts: { [CALLER]: { [R]: spec } }, fault }), [
    "--json",
    "--regions",
    R,
  ]);
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

describe("dynamodb-hardened audit: KMS keys and backup vaults", function () {
  this.timeout(120_000);

  it("a table key without automatic rotation: the pack's finding, worded as at preview", async () => {
    const { run, report } = await audit(
      region(["orders", "payments"], { manager: "CUSTOMER", rotation: false }),
    );
    const found = findingsOf(report, KEY);
    assert.deepEqual(
      found.map((f) => [f.policyName, f.practice, f.enforcementLevel]),
      [["dynamodb-stack-critical", 1, "advisory"]],
      "one finding on the key, however many tables use it",
    );
    // The same key declared in a program (`new aws.kms.Key(...)`, `kmsKeyArn: key.arn`), judged by the pack.
    const preview = StackModel.build([
      {
        type: "aws:kms/key:Key",
        urn: KEY,
        name: KEY_ID,
        props: { enableKeyRotation: false, keyUsage: "ENCRYPT_DECRYPT" },
        dependencies: dependencyLists([], {}),
      },
      {
        type: "aws:dynamodb/table:Table",
        urn: "urn:orders",
        name: "orders",
        props: { name: "orders", serverSideEncryption: { enabled: true, kmsKeyArn: KEY } },
        dependencies: dependencyLists([KEY], { serverSideEncryption: [KEY] }),
      },
    ]);
    const expected = findingMessage(keyRotationFindings(preview)[0]);
    assert.ok(found[0].message.endsWith(`\n${expected}`), `${found[0].message}\n!=\n${expected}`);
    assert.deepEqual(found[0].securityHub, ["KMS.4"]);
    assert.equal(run.code, 0, "advisory");

    const rotating = await audit(region(["orders"], { manager: "CUSTOMER", rotation: true }));
    assert.deepEqual(rotating.report.units[0].findings, []);
  });

  it("reads each key once per account-region, however many tables and vaults share it; AWS-managed keys only described", async () => {
    const spec = region(
      Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, "0")}`),
      { manager: "CUSTOMER" },
      (r) => {
        for (let i = 0; i < 5; i++)
          r.tables.push(
            hardenedTable(CALLER, R, `managed${i}`, (s) => {
              s.table.SSEDescription = {
                Status: "ENABLED",
                SSEType: "KMS",
                KMSMasterKeyArn: keyArn(CALLER, R, AWS_MANAGED_KEY_ID),
              };
            }),
          );
      },
    );
    const { run, report } = await audit(spec);
    assert.equal(report.summary.tables, 35);
    assert.equal(run.requests.get("kms:DescribeKey"), 2, "the customer key and the AWS-managed key");
    assert.equal(run.requests.get("kms:GetKeyRotationStatus"), 1);
    assert.equal(run.requests.get("kms:GetKeyPolicy"), 1);
    assert.deepEqual(report.units[0].gaps, []);
  });

  it("a key in another account: counted as such, not a gap, no finding, no GetKeyPolicy", async () => {
    const foreignKey = keyArn(FOREIGN, R, "central-key");
    const readableKey = keyArn(FOREIGN, R, "readable-key");
    const spec = region(["orders"], { manager: "CUSTOMER" }, (r) => {
      r.tables.push(
        hardenedTable(CALLER, R, "shared", (s) => {
          s.table.SSEDescription = { Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: foreignKey };
        }),
      );
      r.keys![foreignKey] = { manager: "CUSTOMER", denied: ["DescribeKey", "GetKeyRotationStatus"] };
      // A central key whose policy lets the auditor describe it: read, and judged, but its policy is not asked.
      r.tables.push(
        hardenedTable(CALLER, R, "shared-readable", (s) => {
          s.table.SSEDescription = { Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: readableKey };
        }),
      );
      r.keys![readableKey] = { manager: "CUSTOMER", rotation: false };
    });
    const { run, report } = await audit(spec);
    assert.deepEqual(report.units[0].gaps, []);
    assert.equal(report.units[0].counts["keys in another account"], 2);
    assert.deepEqual(findingsOf(report, "table/shared"), [], "another account's key is customer-managed");
    assert.deepEqual(
      findingsOf(report, readableKey).map((f) => f.policyName),
      ["dynamodb-stack-critical"],
    );
    assert.equal(run.requests.get("kms:GetKeyPolicy"), 1, "only the own key's policy");
    assert.equal(run.code, 0, "advisory findings only");

    const text = await auditAgainst(simpleEstate({ accounts: { [CALLER]: { [R]: spec } } }), [
      "--regions",
      R,
    ]);
    assert.match(text.stdout, /us-east-1: 3 tables, .*2 keys in another account/);
    assert.match(
      text.stdout,
      /Keys in another account: 2 \(read as far as their key policies let the audit role/,
    );
    assert.match(text.stdout, /Everything in scope was read\./);
  });

  it("AccessDenied on GetKeyPolicy for an own key: a gap (a partial result), the rest audited", async () => {
    const spec = region(["orders", "ledger"], { manager: "CUSTOMER", denied: ["GetKeyPolicy"] }, (r) => {
      r.tables[1].pitr = { enabled: false };
    });
    const { run, report } = await audit(spec);
    assert.deepEqual(
      report.units[0].gaps.map((g) => [g.what, (g as { count?: number }).count]),
      [["kms:GetKeyPolicy", 1]],
    );
    assert.match(report.units[0].gaps[0].reason, /^AccessDeniedException: .*kms:GetKeyPolicy/);
    assert.deepEqual(
      findingsOf(report, "table/ledger").map((f) => f.policyName),
      ["dynamodb-point-in-time-recovery"],
    );
    assert.equal(run.code, 1, "the mandatory finding still fails the audit");
  });

  it("reads each vault's lock and access policy into the resources the pack would see at preview", async () => {
    const vaultArn = `arn:aws:backup:${R}:${CALLER}:backup-vault:primary`;
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
          Resource: "*",
        },
      ],
    });
    const spec = region(["orders"], { manager: "CUSTOMER" }, (r) => {
      r.vaults = [
        { ...r.vaults![0], Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365, LockDate: 1.7e9 },
        {
          BackupVaultName: "scratch",
          BackupVaultArn: `arn:aws:backup:${R}:${CALLER}:backup-vault:scratch`,
          EncryptionKeyArn: KEY,
        },
      ];
      r.vaultPolicies = { primary: policy };
    });
    const fake = await startFakeAws(simpleEstate({ accounts: { [CALLER]: { [R]: spec } } }));
    const client = new BackupClient({
      region: R,
      endpoint: fake.url,
      credentials: { accessKeyId: accessKeyFor(CALLER), secretAccessKey: "x" },
    });
    try {
      const vaults = await readVaults(client);
      assert.equal(fake.requests.get("backup:GetBackupVaultAccessPolicy"), 2, "one call per vault");
      const parts = vaults.flatMap((v) => vaultPartResources({ account: CALLER, region: R }, v));
      assert.deepEqual(
        parts.map((p) => [p.type, p.props, p.dependencies]),
        [
          [
            "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
            {
              backupVaultName: "primary",
              minRetentionDays: 7,
              maxRetentionDays: 365,
              changeableForDays: undefined,
              locked: true,
              lockDate: new Date(1.7e12).toISOString(),
              region: R,
            },
            { backupVaultName: [vaultArn] },
          ],
          [
            "aws:backup/vaultPolicy:VaultPolicy",
            { backupVaultName: "primary", policy, region: R },
            { backupVaultName: [vaultArn] },
          ],
        ],
        "the vault without a lock or a policy (ResourceNotFoundException) has neither",
      );
    } finally {
      client.destroy();
      await fake.close();
    }

    // In a full audit: no gap for a vault without a policy; a refused read is one, counted per vault.
    assert.deepEqual((await audit(spec)).report.units[0].gaps, []);
    const denied = await audit(spec, (r) =>
      r.operation === "GetBackupVaultAccessPolicy" ? ACCESS_DENIED : undefined,
    );
    assert.deepEqual(
      denied.report.units[0].gaps.map((g) => [g.what, (g as { count?: number }).count, g.practices]),
      [["backup:GetBackupVaultAccessPolicy", 2, []]],
    );
  });
});
