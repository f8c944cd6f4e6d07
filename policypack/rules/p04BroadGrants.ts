import { ManagedPolicyEntry, SNAPSHOT_SOURCE, awsManagedPolicy } from "../data/managedPolicies";
import { BroadDataGrant, DATA_ACTIONS, broadDataGrants } from "../facts/grants";
import { PolicyDoc, policyDoc } from "../facts/iam";
import { ManagedAttachment, Subject } from "../facts/model";
import { HeldDoc, statementLabel } from "./docs";
import { Finding } from "./finding";
import { practice, wildcardActionFindings } from "./p04LeastPrivilege";

const SERVICE_NOUN: Record<BroadDataGrant["service"], string> = {
  dynamodb: "table and stream",
  dax: "DAX cluster",
  kms: "KMS key",
};

function shortAction(a: string): string {
  return a.split(":")[1] ?? a;
}

function describeGrant(g: BroadDataGrant): string {
  const resources = g.resources.map((r) => `"${r}"`).join(", ");
  const actions =
    g.actions.length === DATA_ACTIONS[g.service].length
      ? `every ${g.service} data action`
      : `${g.service} ${g.actions.map(shortAction).join(", ")}`;
  return `${actions} on every ${SERVICE_NOUN[g.service]} (${resources})`;
}

const DATA_FIX: Record<BroadDataGrant["service"], string> = {
  dynamodb:
    "name the tables: Resource arn:aws:dynamodb:<region>:<account>:table/<name> (add /index/* for queries on indexes, /stream/* for stream reads), or scope the statement with an aws:ResourceTag condition.",
  dax: "name the clusters: Resource arn:aws:dax:<region>:<account>:cache/<cluster>.",
  kms: "name the keys: Resource arn:aws:kms:<region>:<account>:key/<key id>, ideally with a kms:ViaService condition.",
};

/**
 * Practice 4: data actions (item reads and writes, PartiQL, stream reads, DAX items, KMS use) on every table,
 * stream, cluster or key. Actions granted through `*` or `dynamodb:*` are left to the wildcard rule.
 */
export function dataActionFindings(subject: Subject, docs: HeldDoc[], resourcePolicy: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const held of docs) {
    for (const st of held.doc.statements) {
      const grants = broadDataGrants(st).filter((g) => !resourcePolicy || g.service === "dynamodb");
      if (!grants.length) continue;
      findings.push({
        practice,
        subject,
        where: statementLabel(held, st),
        problem: resourcePolicy
          ? `names every table instead of this one: ${grants.map(describeGrant).join("; ")}.`
          : `allows ${grants.map(describeGrant).join("; ")}.`,
        fix: resourcePolicy
          ? "set Resource to this table's ARN (or its stream's ARN)."
          : [...new Set(grants.map((g) => DATA_FIX[g.service]))].join(" "),
      });
    }
  }
  return findings;
}

const parsedDocs = new Map<string, PolicyDoc>();

/** The snapshot's statements of a managed policy as a policy document. */
export function managedPolicyDoc(entry: ManagedPolicyEntry): PolicyDoc {
  let doc = parsedDocs.get(entry.arn);
  if (!doc) {
    doc = policyDoc({ Version: "2012-10-17", Statement: entry.statements });
    parsedDocs.set(entry.arn, doc);
  }
  return doc;
}

const STREAM_CONSUMER =
  'an inline policy allowing dynamodb:DescribeStream, dynamodb:GetRecords and dynamodb:GetShardIterator on arn:aws:dynamodb:<region>:<account>:table/<name>/stream/* and dynamodb:ListStreams on "*", plus AWSLambdaBasicExecutionRole for logs (the StreamConsumer component writes it)';
const READER =
  'an inline policy allowing dynamodb:GetItem, dynamodb:BatchGetItem and dynamodb:Query on the table ARNs (TableAccessRole with access "read-only")';
const READ_WRITE =
  "an inline policy allowing the item actions the code calls (for example dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem, dynamodb:UpdateItem) on the table ARNs (TableAccessRole)";

/** The least-privilege replacement for a managed policy, by what it is for. */
const REPLACEMENTS: Record<string, string> = {
  AmazonDynamoDBFullAccess: READ_WRITE,
  AmazonDynamoDBFullAccess_v2: READ_WRITE,
  AmazonDynamoDBFullAccesswithDataPipeline: READ_WRITE,
  AmazonDynamoDBReadOnlyAccess: READER,
  ReadOnlyAccess: READER,
  AWSLambdaDynamoDBExecutionRole: STREAM_CONSUMER,
  "AWSLambdaInvocation-DynamoDB": STREAM_CONSUMER,
  AdministratorAccess: `a role per workload with only the actions it uses; for DynamoDB, ${READ_WRITE}`,
  PowerUserAccess: `a role per workload with only the actions it uses; for DynamoDB, ${READ_WRITE}`,
};

export function replacementFor(entry: ManagedPolicyEntry, grants: BroadDataGrant[]): string {
  const known = REPLACEMENTS[entry.name];
  if (known) return known;
  const services = new Set(grants.map((g) => g.service));
  if (services.has("dynamodb") || !services.size) return READ_WRITE;
  return [...services].map((s) => DATA_FIX[s]).join(" ");
}

export interface ManagedPolicyReach {
  entry: ManagedPolicyEntry;
  attachment: ManagedAttachment;
  /** Wildcard problems (`*`, `dynamodb:*`, NotAction), as the wildcard rule words them. */
  wildcards: Finding[];
  /** Data actions on every resource, wildcards included. */
  grants: BroadDataGrant[];
}

/** The AWS-managed policies among the attachments that reach DynamoDB, DAX or KMS data. */
export function managedPolicyReach(subject: Subject, attachments: ManagedAttachment[]): ManagedPolicyReach[] {
  const out: ManagedPolicyReach[] = [];
  for (const attachment of attachments) {
    if (typeof attachment.arn !== "string") continue;
    const entry = awsManagedPolicy(attachment.arn);
    if (!entry) continue;
    const doc = managedPolicyDoc(entry);
    const wildcards = wildcardActionFindings(subject, [{ label: entry.name, doc }], false);
    const grants = doc.statements.flatMap((st) => broadDataGrants(st, false));
    if (wildcards.length || grants.length) out.push({ entry, attachment, wildcards, grants });
  }
  return out;
}

function managedFinding(subject: Subject, reach: ManagedPolicyReach, problem: string): Finding {
  return {
    practice,
    subject,
    where: reach.attachment.path,
    problem: `attaches the AWS-managed policy ${reach.entry.name} (${reach.entry.arn}, ${reach.entry.version} in the snapshot of ${SNAPSHOT_SOURCE.updatedThrough}), which ${problem}`,
    fix: `detach ${reach.entry.name} and grant ${replacementFor(reach.entry, reach.grants)}.`,
  };
}

/** Practice 4, mandatory: attached managed policies that grant `*` or `dynamodb:*` (or NotAction) on DynamoDB. */
export function managedWildcardFindings(subject: Subject, attachments: ManagedAttachment[]): Finding[] {
  return managedPolicyReach(subject, attachments)
    .filter((r) => r.wildcards.length)
    .map((r) => {
      const what = r.wildcards.map((w) => w.problem.replace(/\.$/, "")).join("; ");
      const data = r.grants.length ? ` It ${dataSentence(r.grants)}.` : "";
      return managedFinding(subject, r, `${what}.${data}`);
    });
}

function dataSentence(grants: BroadDataGrant[]): string {
  return `allows ${grants.map(describeGrant).join("; ")}`;
}

/** Practice 4: attached managed policies whose only excess is data actions on every table, stream, cluster or key. */
export function managedDataFindings(subject: Subject, attachments: ManagedAttachment[]): Finding[] {
  return managedPolicyReach(subject, attachments)
    .filter((r) => !r.wildcards.length && r.grants.length)
    .map((r) => managedFinding(subject, r, `${dataSentence(r.grants)}.`));
}
