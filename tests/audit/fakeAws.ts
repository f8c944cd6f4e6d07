import * as http from "http";
import type { AddressInfo } from "net";

/**
 * A local AWS endpoint for the audit's tests and benchmark: the wire protocols the SDK speaks to the real
 * services (AWS JSON 1.0 for DynamoDB; JSON 1.1 for KMS, CloudTrail, DAX, Application Auto Scaling and
 * Organizations; REST-JSON for Backup and Lambda; Query XML for STS, EC2 and IAM), answering from an estate of
 * accounts and regions. The account comes from the request's access key, the region from its SigV4 scope,
 * exactly as AWS_ENDPOINT_URL sends them. Responses follow the shapes of the API reference.
 */

export interface TableSpec {
  /** The DescribeTable `Table` (TableName, TableArn, SSEDescription, ...). */
  table: Record<string, unknown>;
  pitr?: { enabled: boolean; days?: number };
  tags?: Record<string, string>;
  policy?: string;
  streamPolicy?: string;
}

/** A KMS key as DescribeKey, GetKeyRotationStatus and GetKeyPolicy report it. */
export interface KeySpec {
  manager: "AWS" | "CUSTOMER";
  /** Automatic rotation (default on, as for every key a component makes). */
  rotation?: boolean;
  rotationPeriodInDays?: number;
  /** The key policy (default: the default key policy, delegating to the account). */
  policy?: string;
  keySpec?: string;
  keyUsage?: string;
  origin?: string;
  /** Operations refused with AccessDeniedException: the key policy does not let the auditor in. */
  denied?: string[];
}

export interface RegionSpec {
  tables: TableSpec[];
  /** KMS key ARN -> KeyManager, or the key in full. */
  keys?: Record<string, "AWS" | "CUSTOMER" | KeySpec>;
  plans?: {
    id: string;
    name: string;
    rules: Record<string, unknown>[];
    selections: Record<string, unknown>[];
  }[];
  /** ListBackupVaults members (with their lock fields). */
  vaults?: Record<string, unknown>[];
  /** Vault name -> access policy; a vault not named has none. */
  vaultPolicies?: Record<string, string>;
  trails?: { trail: Record<string, unknown>; logging: boolean; selectors: Record<string, unknown> }[];
  clusters?: Record<string, unknown>[];
  targets?: Record<string, unknown>[];
  scalingPolicies?: Record<string, unknown>[];
  mappings?: Record<string, unknown>[];
  endpoints?: { id: string; type: string; service: string; policy?: string; routeTableIds?: string[] }[];
  /** ListFunctions FunctionConfiguration entries (FunctionName, FunctionArn, VpcConfig...). */
  functions?: Record<string, unknown>[];
  /** Functions per ListFunctions page (default 50, as MaxItems). */
  functionPageSize?: number;
  /** Route tables: `subnets` explicitly associated, `main` the VPC's main route table. */
  routeTables?: { id: string; vpcId: string; main?: boolean; subnets?: string[] }[];
  legacyGlobalTables?: Record<string, unknown>[];
}

/** An IAM principal as GetAccountAuthorizationDetails lists it (documents given as JSON, sent URL-encoded). */
export interface PrincipalSpec {
  name: string;
  path?: string;
  /** Inline policy name -> document. */
  inline?: Record<string, string>;
  /** ARNs of attached managed policies (AWS-managed or customer managed). */
  attached?: string[];
}

/** One account's IAM: principals and customer managed policies (name -> default version's document). */
export interface IamSpec {
  roles?: PrincipalSpec[];
  users?: PrincipalSpec[];
  groups?: PrincipalSpec[];
  policies?: Record<string, string>;
  /** Entities per GetAccountAuthorizationDetails page (default 100, as MaxItems). */
  pageSize?: number;
}

export interface Request {
  account: string;
  region: string;
  service: string;
  operation: string;
}

export interface Fault {
  status: number;
  code: string;
  message: string;
}

export interface Estate {
  organization: { id: string; name: string }[];
  /** Regions enabled in an account. */
  regions(account: string): string[];
  /** The account's contents in a region (a fresh or cached object). */
  region(account: string, region: string): RegionSpec;
  /** The account's IAM (default: no principal, no customer managed policy). */
  iam?(account: string): IamSpec;
  /** Whether AssumeRole into the account's role works (false: AccessDenied). */
  assumable(account: string, roleName: string, externalId: string | undefined): boolean;
  /** A failure to answer instead of the response (AccessDenied, throttling...). */
  fault?(request: Request): Fault | undefined;
}

export const ACCESS_DENIED: Fault = { status: 400, code: "AccessDeniedException", message: "not authorized" };
export const THROTTLED: Fault = { status: 400, code: "ThrottlingException", message: "Rate exceeded" };

const TARGET_SERVICE: Record<string, string> = {
  DynamoDB_20120810: "dynamodb",
  TrentService: "kms",
  CloudTrail_20131101: "cloudtrail",
  AmazonDAXV3: "dax",
  AnyScaleFrontendService: "application-autoscaling",
  AWSOrganizationsV20161128: "organizations",
};

export interface FakeAws {
  url: string;
  /** Requests answered, retries included: `dynamodb:DescribeTable` -> count. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/** Keys the fake hands out: `AKIDFAKE<account>` for the caller, `ASIAFAKE<account>` after AssumeRole. */
export function accessKeyFor(account: string): string {
  return `AKIDFAKE${account}`;
}

function page<T>(items: T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), next };
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export async function startFakeAws(estate: Estate, options: { latencyMs?: number } = {}): Promise<FakeAws> {
  const requests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const respond = () => {
        try {
          handle(estate, req, Buffer.concat(chunks).toString("utf8"), res, requests);
        } catch (e) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ __type: "InternalFailure", message: String(e) }));
        }
      };
      if (options.latencyMs) setTimeout(respond, options.latencyMs);
      else respond();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handle(
  estate: Estate,
  req: http.IncomingMessage,
  body: string,
  res: http.ServerResponse,
  requests: Map<string, number>,
): void {
  const auth = String(req.headers.authorization ?? "");
  const m = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(auth);
  if (!m) return jsonError(res, 400, "MissingAuthenticationTokenException", "unsigned request");
  const [, keyId, region, signingService] = m;
  const account = keyId.slice(8);
  const url = new URL(req.url ?? "/", "http://x");
  const target = String(req.headers["x-amz-target"] ?? "");
  let service = signingService;
  let operation: string;
  let input: Record<string, unknown> = {};
  const form = new URLSearchParams(body);
  if (target) {
    const [prefix, op] = target.split(".").slice(-2);
    service = TARGET_SERVICE[prefix] ?? signingService;
    operation = op;
    input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } else if (signingService === "sts" || signingService === "ec2" || signingService === "iam") {
    operation = form.get("Action") ?? "";
  } else operation = restOperation(signingService, req.method ?? "GET", url.pathname);
  requests.set(`${service}:${operation}`, (requests.get(`${service}:${operation}`) ?? 0) + 1);
  const request = { account, region, service, operation };
  const fault = estate.fault?.(request);
  if (!keyId.startsWith("AKIDFAKE") && !keyId.startsWith("ASIAFAKE"))
    return errorFor(res, service, { status: 400, code: "UnrecognizedClientException", message: "bad key" });
  if (fault) return errorFor(res, service, fault);

  if (service === "sts") return sts(estate, res, operation, form, account);
  if (service === "iam") return iam(res, operation, form, estate.iam?.(account) ?? {}, account);
  if (service === "organizations")
    return json(res, {
      Accounts: estate.organization.map((a) => ({ Id: a.id, Name: a.name, Status: "ACTIVE" })),
    });
  const spec = estate.region(account, region);
  switch (service) {
    case "dynamodb":
      return dynamodb(res, operation, input, spec, account, region);
    case "kms":
      return kms(res, operation, input, spec, region);
    case "cloudtrail":
      return cloudtrail(res, operation, input, spec);
    case "dax": {
      const p = page(spec.clusters ?? [], input.NextToken as string | undefined, 100);
      return json(res, { Clusters: p.items, NextToken: p.next });
    }
    case "application-autoscaling": {
      const list =
        operation === "DescribeScalableTargets" ? (spec.targets ?? []) : (spec.scalingPolicies ?? []);
      const p = page(list, input.NextToken as string | undefined, 50);
      return json(
        res,
        operation === "DescribeScalableTargets"
          ? { ScalableTargets: p.items, NextToken: p.next }
          : { ScalingPolicies: p.items, NextToken: p.next },
      );
    }
    case "lambda": {
      if (operation === "ListFunctions") {
        const size = Number(url.searchParams.get("MaxItems") ?? spec.functionPageSize ?? 50);
        const p = page(spec.functions ?? [], url.searchParams.get("Marker") ?? undefined, size);
        return json(res, { Functions: p.items, NextMarker: p.next });
      }
      const p = page(spec.mappings ?? [], url.searchParams.get("Marker") ?? undefined, 100);
      return json(res, { EventSourceMappings: p.items, NextMarker: p.next });
    }
    case "backup":
      return backup(res, operation, url, spec);
    case "ec2":
      return ec2(estate, res, operation, form, spec, account, region);
  }
  jsonError(res, 400, "UnknownOperationException", `${service}:${operation}`);
}

function restOperation(service: string, method: string, path: string): string {
  if (service === "lambda" && /\/event-source-mappings\/?$/.test(path)) return "ListEventSourceMappings";
  if (service === "lambda" && /^\/2015-03-31\/functions\/?$/.test(path)) return "ListFunctions";
  if (service === "backup") {
    if (/^\/backup\/plans\/?$/.test(path)) return "ListBackupPlans";
    if (/^\/backup\/plans\/[^/]+\/?$/.test(path)) return "GetBackupPlan";
    if (/^\/backup\/plans\/[^/]+\/selections\/?$/.test(path)) return "ListBackupSelections";
    if (/^\/backup\/plans\/[^/]+\/selections\/[^/]+\/?$/.test(path)) return "GetBackupSelection";
    if (/^\/backup-vaults\/?$/.test(path)) return "ListBackupVaults";
    if (/^\/backup-vaults\/[^/]+\/access-policy\/?$/.test(path)) return "GetBackupVaultAccessPolicy";
  }
  return `${method} ${path}`;
}

function json(res: http.ServerResponse, body: unknown, contentType = "application/x-amz-json-1.0"): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": "fake",
  });
  res.end(text);
}

function jsonError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const text = JSON.stringify({ __type: `com.amazonaws.fake#${code}`, message });
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.0",
    "x-amzn-errortype": code,
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function xml(res: http.ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "text/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function errorFor(res: http.ServerResponse, service: string, f: Fault): void {
  if (service === "sts" || service === "iam") {
    const code = f.code.replace(/Exception$/, "");
    const status = code === "Throttling" ? 400 : 403;
    res.writeHead(status, { "content-type": "text/xml" });
    const ns =
      service === "iam"
        ? "https://iam.amazonaws.com/doc/2010-05-08/"
        : "https://sts.amazonaws.com/doc/2011-06-15/";
    return void res.end(
      `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(f.message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
    );
  }
  if (service === "ec2") {
    const code =
      f.code === "AccessDeniedException" ? "UnauthorizedOperation" : f.code.replace(/Exception$/, "");
    res.writeHead(code === "UnauthorizedOperation" ? 403 : 400, { "content-type": "text/xml" });
    return void res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${xmlEscape(f.message)}</Message></Error></Errors><RequestID>fake</RequestID></Response>`,
    );
  }
  if (service === "backup" || service === "lambda") {
    const text = JSON.stringify({ message: f.message, Message: f.message });
    const status = /Throttl|TooManyRequests/.test(f.code)
      ? 429
      : f.code.startsWith("AccessDenied")
        ? 403
        : f.status;
    res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": f.code });
    return void res.end(text);
  }
  jsonError(res, f.status, f.code, f.message);
}

function sts(
  estate: Estate,
  res: http.ServerResponse,
  op: string,
  form: URLSearchParams,
  account: string,
): void {
  const ns = 'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"';
  if (op === "GetCallerIdentity") {
    return xml(
      res,
      `<GetCallerIdentityResponse ${ns}><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/auditor</Arn><UserId>AIDAFAKE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }
  if (op === "AssumeRole") {
    const arn = form.get("RoleArn") ?? "";
    const target = arn.split(":")[4];
    const roleName = arn.split("/").pop() ?? "";
    if (!estate.assumable(target, roleName, form.get("ExternalId") ?? undefined)) {
      return errorFor(res, "sts", {
        status: 403,
        code: "AccessDenied",
        message: `User: arn:aws:iam::${account}:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      });
    }
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    return xml(
      res,
      `<AssumeRoleResponse ${ns}><AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKE${target}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${target}:assumed-role/${roleName}/dynamodb-hardened-audit</Arn><AssumedRoleId>AROAFAKE:dynamodb-hardened-audit</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }
  errorFor(res, "sts", { status: 400, code: "InvalidAction", message: op });
}

/**
 * GetAccountAuthorizationDetails (IAM Query API, 2010-05-08): the Filter'd entity lists, policy documents
 * URL-encoded as the API reference says, paginated with IsTruncated and Marker.
 */
function iam(
  res: http.ServerResponse,
  op: string,
  form: URLSearchParams,
  spec: IamSpec,
  account: string,
): void {
  if (op !== "GetAccountAuthorizationDetails")
    return errorFor(res, "iam", { status: 400, code: "InvalidAction", message: op });
  const filter = new Set(
    [...form.entries()].filter(([k]) => k.startsWith("Filter.member.")).map(([, v]) => v),
  );
  const wants = (f: string) => !filter.size || filter.has(f);
  const enc = (doc: string) => xmlEscape(encodeURIComponent(doc));
  const date = "<CreateDate>2024-01-01T00:00:00Z</CreateDate>";
  const inline = (tag: string, p: PrincipalSpec) =>
    `<${tag}>${Object.entries(p.inline ?? {})
      .map(
        ([n, d]) =>
          `<member><PolicyName>${n}</PolicyName><PolicyDocument>${enc(d)}</PolicyDocument></member>`,
      )
      .join("")}</${tag}>`;
  const attached = (p: PrincipalSpec) =>
    `<AttachedManagedPolicies>${(p.attached ?? [])
      .map(
        (a) => `<member><PolicyName>${a.split("/").pop()}</PolicyName><PolicyArn>${a}</PolicyArn></member>`,
      )
      .join("")}</AttachedManagedPolicies>`;
  const entity = (kind: string, p: PrincipalSpec) => {
    const path = p.path ?? "/";
    const arn = `arn:aws:iam::${account}:${kind.toLowerCase()}${path}${p.name}`;
    return `<Path>${path}</Path><${kind}Name>${p.name}</${kind}Name><${kind}Id>AIDAFAKE${p.name.toUpperCase()}</${kind}Id><Arn>${arn}</Arn>${date}`;
  };
  const items: { list: string; xml: string }[] = [];
  if (wants("User"))
    for (const u of spec.users ?? [])
      items.push({
        list: "UserDetailList",
        xml: `<member>${entity("User", u)}${inline("UserPolicyList", u)}<GroupList/>${attached(u)}</member>`,
      });
  if (wants("Group"))
    for (const g of spec.groups ?? [])
      items.push({
        list: "GroupDetailList",
        xml: `<member>${entity("Group", g)}${inline("GroupPolicyList", g)}${attached(g)}</member>`,
      });
  if (wants("Role"))
    for (const r of spec.roles ?? [])
      items.push({
        list: "RoleDetailList",
        xml: `<member>${entity("Role", r)}<AssumeRolePolicyDocument>${enc('{"Version":"2012-10-17","Statement":[]}')}</AssumeRolePolicyDocument><InstanceProfileList/>${inline("RolePolicyList", r)}${attached(r)}<Tags/></member>`,
      });
  if (wants("LocalManagedPolicy"))
    for (const [name, doc] of Object.entries(spec.policies ?? {}))
      items.push({
        list: "Policies",
        xml: `<member><PolicyName>${name}</PolicyName><PolicyId>ANPAFAKE${name.toUpperCase()}</PolicyId><Arn>arn:aws:iam::${account}:policy/${name}</Arn><Path>/</Path><DefaultVersionId>v2</DefaultVersionId><AttachmentCount>1</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable>${date}<UpdateDate>2024-01-01T00:00:00Z</UpdateDate><PolicyVersionList><member><Document>${enc('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}')}</Document><VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion>${date}</member><member><Document>${enc(doc)}</Document><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion>${date}</member></PolicyVersionList></member>`,
      });
  const p = page(items, form.get("Marker") ?? undefined, spec.pageSize ?? 100);
  const lists = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]
    .map(
      (l) =>
        `<${l}>${p.items
          .filter((i) => i.list === l)
          .map((i) => i.xml)
          .join("")}</${l}>`,
    )
    .join("");
  return xml(
    res,
    `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult><IsTruncated>${p.next ? "true" : "false"}</IsTruncated>${p.next ? `<Marker>${p.next}</Marker>` : ""}${lists}</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`,
  );
}

function ec2(
  estate: Estate,
  res: http.ServerResponse,
  op: string,
  form: URLSearchParams,
  spec: RegionSpec,
  account: string,
  region: string,
): void {
  const ns = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';
  if (op === "DescribeRegions") {
    const items = estate
      .regions(account)
      .map(
        (r) =>
          `<item><regionName>${r}</regionName><regionEndpoint>ec2.${r}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`,
      );
    return xml(
      res,
      `<DescribeRegionsResponse ${ns}><requestId>fake</requestId><regionInfo>${items.join("")}</regionInfo></DescribeRegionsResponse>`,
    );
  }
  if (op === "DescribeVpcEndpoints") {
    const wanted = form.get("Filter.1.Value.1");
    const list = (spec.endpoints ?? []).filter((e) => !wanted || e.service === wanted);
    const p = page(list, form.get("NextToken") ?? undefined, 50);
    const items = p.items.map(
      (e) =>
        `<item><vpcEndpointId>${e.id}</vpcEndpointId><vpcEndpointType>${e.type}</vpcEndpointType><vpcId>vpc-0fake</vpcId><serviceName>${e.service}</serviceName><state>available</state>${e.policy ? `<policyDocument>${xmlEscape(e.policy)}</policyDocument>` : ""}<routeTableIdSet>${(e.routeTableIds ?? []).map((t) => `<item>${t}</item>`).join("")}</routeTableIdSet><ownerId>${account}</ownerId></item>`,
    );
    return xml(
      res,
      `<DescribeVpcEndpointsResponse ${ns}><requestId>fake</requestId><vpcEndpointSet>${items.join("")}</vpcEndpointSet>${p.next ? `<nextToken>${p.next}</nextToken>` : ""}</DescribeVpcEndpointsResponse>`,
    );
  }
  if (op === "DescribeRouteTables") return routeTables(res, form, spec, account, ns);
  void region;
  errorFor(res, "ec2", { status: 400, code: "InvalidAction", message: op });
}

/** The Query protocol's `Filter.N.Name` / `Filter.N.Value.M`, as name -> values. */
function filtersOf(form: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let n = 1; form.has(`Filter.${n}.Name`); n++) {
    const values: string[] = [];
    for (let m = 1; form.has(`Filter.${n}.Value.${m}`); m++) values.push(form.get(`Filter.${n}.Value.${m}`)!);
    out.set(form.get(`Filter.${n}.Name`)!, values);
  }
  return out;
}

function routeTables(
  res: http.ServerResponse,
  form: URLSearchParams,
  spec: RegionSpec,
  account: string,
  ns: string,
): void {
  const filters = filtersOf(form);
  const match = (name: string, test: (v: string) => boolean) =>
    !filters.has(name) || filters.get(name)!.some(test);
  const list = (spec.routeTables ?? []).filter(
    (t) =>
      match("association.subnet-id", (v) => (t.subnets ?? []).includes(v)) &&
      match("association.main", (v) => String(!!t.main) === v) &&
      match("vpc-id", (v) => t.vpcId === v),
  );
  const p = page(list, form.get("NextToken") ?? undefined, 50);
  const association = (id: string, table: string, inner: string) =>
    `<item><routeTableAssociationId>${id}</routeTableAssociationId><routeTableId>${table}</routeTableId>${inner}<associationState><state>associated</state></associationState></item>`;
  const items = p.items.map(
    (t) =>
      `<item><routeTableId>${t.id}</routeTableId><vpcId>${t.vpcId}</vpcId><ownerId>${account}</ownerId><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item></routeSet><associationSet>${t.main ? association(`rtbassoc-main-${t.id}`, t.id, "<main>true</main>") : ""}${(t.subnets ?? []).map((s) => association(`rtbassoc-${s}`, t.id, `<main>false</main><subnetId>${s}</subnetId>`)).join("")}</associationSet><tagSet/><propagatingVgwSet/></item>`,
  );
  return xml(
    res,
    `<DescribeRouteTablesResponse ${ns}><requestId>fake</requestId><routeTableSet>${items.join("")}</routeTableSet>${p.next ? `<nextToken>${p.next}</nextToken>` : ""}</DescribeRouteTablesResponse>`,
  );
}

function findTable(spec: RegionSpec, name: unknown): TableSpec | undefined {
  return spec.tables.find(
    (t) => t.table.TableName === name || t.table.TableArn === name || t.table.LatestStreamArn === name,
  );
}

function dynamodb(
  res: http.ServerResponse,
  op: string,
  input: Record<string, unknown>,
  spec: RegionSpec,
  account: string,
  region: string,
): void {
  const notFound = () => jsonError(res, 400, "ResourceNotFoundException", `Requested resource not found`);
  switch (op) {
    case "ListTables": {
      const names = spec.tables.map((t) => String(t.table.TableName)).sort();
      const start = input.ExclusiveStartTableName
        ? names.indexOf(String(input.ExclusiveStartTableName)) + 1
        : 0;
      const limit = Math.min(Number(input.Limit ?? 100), 100);
      const items = names.slice(start, start + limit);
      return json(res, {
        TableNames: items,
        LastEvaluatedTableName: start + limit < names.length ? items[items.length - 1] : undefined,
      });
    }
    case "DescribeTable": {
      const t = findTable(spec, input.TableName);
      return t ? json(res, { Table: t.table }) : notFound();
    }
    case "DescribeContinuousBackups": {
      const t = findTable(spec, input.TableName);
      if (!t) return notFound();
      return json(res, {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: "ENABLED",
          PointInTimeRecoveryDescription: t.pitr?.enabled
            ? {
                PointInTimeRecoveryStatus: "ENABLED",
                RecoveryPeriodInDays: t.pitr.days ?? 35,
                EarliestRestorableDateTime: 1.7e9,
                LatestRestorableDateTime: 1.7e9,
              }
            : { PointInTimeRecoveryStatus: "DISABLED" },
        },
      });
    }
    case "ListTagsOfResource": {
      const t = findTable(spec, input.ResourceArn);
      if (!t) return notFound();
      const tags = Object.entries(t.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
      const p = page(tags, input.NextToken as string | undefined, 10);
      return json(res, { Tags: p.items, NextToken: p.next });
    }
    case "GetResourcePolicy": {
      const t = findTable(spec, input.ResourceArn);
      if (!t) return notFound();
      const stream = String(input.ResourceArn).includes("/stream/");
      const policy = stream ? t.streamPolicy : t.policy;
      if (!policy)
        return jsonError(
          res,
          400,
          "PolicyNotFoundException",
          `Resource-based policy not found for the provided ResourceArn: ${String(input.ResourceArn)}`,
        );
      return json(res, { Policy: policy, RevisionId: "1" });
    }
    case "ListGlobalTables":
      return json(res, { GlobalTables: spec.legacyGlobalTables ?? [] });
  }
  void account;
  void region;
  jsonError(res, 400, "UnknownOperationException", op);
}

function defaultKeyPolicy(account: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  });
}

/** DescribeKey, GetKeyRotationStatus and GetKeyPolicy, in the shapes of the KMS API reference. */
function kms(
  res: http.ServerResponse,
  op: string,
  input: Record<string, unknown>,
  spec: RegionSpec,
  region: string,
): void {
  const arn = String(input.KeyId);
  const entry = spec.keys?.[arn];
  if (!entry) return jsonError(res, 400, "NotFoundException", `Key '${arn}' does not exist`);
  const key: KeySpec = typeof entry === "string" ? { manager: entry } : entry;
  if (key.denied?.includes(op))
    return jsonError(
      res,
      400,
      "AccessDeniedException",
      `User: arn:aws:sts::auditor is not authorized to perform: kms:${op} on resource: ${arn} because no resource-based policy allows the kms:${op} action`,
    );
  const account = arn.split(":")[4];
  const keyId = arn.split("/").pop();
  const keySpec = key.keySpec ?? "SYMMETRIC_DEFAULT";
  const symmetric = keySpec === "SYMMETRIC_DEFAULT";
  switch (op) {
    case "DescribeKey":
      return json(res, {
        KeyMetadata: {
          AWSAccountId: account,
          KeyId: keyId,
          Arn: arn,
          CreationDate: 1.7e9,
          Enabled: true,
          Description: key.manager === "AWS" ? "Default key that protects my DynamoDB data" : "",
          KeyUsage: key.keyUsage ?? "ENCRYPT_DECRYPT",
          KeyState: "Enabled",
          Origin: key.origin ?? "AWS_KMS",
          KeyManager: key.manager,
          CustomerMasterKeySpec: keySpec,
          KeySpec: keySpec,
          EncryptionAlgorithms: symmetric ? ["SYMMETRIC_DEFAULT"] : ["RSAES_OAEP_SHA_256"],
          MultiRegion: false,
        },
      });
    case "GetKeyRotationStatus": {
      if (!symmetric || (key.origin ?? "AWS_KMS") !== "AWS_KMS")
        return jsonError(res, 400, "UnsupportedOperationException", `${arn} does not support rotation`);
      const enabled = key.manager === "AWS" || key.rotation !== false;
      return json(res, {
        KeyId: arn,
        KeyRotationEnabled: enabled,
        ...(enabled
          ? { RotationPeriodInDays: key.rotationPeriodInDays ?? 365, NextRotationDate: 1.8e9 }
          : {}),
      });
    }
    case "GetKeyPolicy":
      return json(res, { Policy: key.policy ?? defaultKeyPolicy(account), PolicyName: "default" });
  }
  void region;
  jsonError(res, 400, "UnknownOperationException", op);
}

function cloudtrail(
  res: http.ServerResponse,
  op: string,
  input: Record<string, unknown>,
  spec: RegionSpec,
): void {
  const trail = (name: unknown) =>
    (spec.trails ?? []).find((t) => t.trail.TrailARN === name || t.trail.Name === name);
  if (op === "DescribeTrails")
    return json(res, { trailList: (spec.trails ?? []).map((t) => t.trail) }, "application/x-amz-json-1.1");
  const t = trail(input.Name ?? input.TrailName);
  if (!t) return jsonError(res, 400, "TrailNotFoundException", "Unknown trail");
  if (op === "GetTrailStatus") return json(res, { IsLogging: t.logging });
  if (op === "GetEventSelectors") return json(res, { TrailARN: t.trail.TrailARN, ...t.selectors });
  jsonError(res, 400, "UnknownOperationException", op);
}

function backup(res: http.ServerResponse, op: string, url: URL, spec: RegionSpec): void {
  const token = url.searchParams.get("nextToken") ?? undefined;
  const parts = url.pathname.split("/").filter(Boolean);
  const plan = (spec.plans ?? []).find((p) => p.id === parts[2]);
  const arnOf = (id: string) => `arn:aws:backup:region:account:backup-plan:${id}`;
  switch (op) {
    case "ListBackupPlans": {
      const p = page(spec.plans ?? [], token, 20);
      return json(
        res,
        {
          BackupPlansList: p.items.map((x) => ({
            BackupPlanId: x.id,
            BackupPlanName: x.name,
            BackupPlanArn: arnOf(x.id),
          })),
          NextToken: p.next,
        },
        "application/json",
      );
    }
    case "GetBackupPlan":
      if (!plan) break;
      return json(
        res,
        {
          BackupPlanId: plan.id,
          BackupPlanArn: arnOf(plan.id),
          BackupPlan: { BackupPlanName: plan.name, Rules: plan.rules },
        },
        "application/json",
      );
    case "ListBackupSelections": {
      if (!plan) break;
      const p = page(plan.selections, token, 20);
      return json(
        res,
        {
          BackupSelectionsList: p.items.map((s) => ({
            SelectionId: s.SelectionName,
            SelectionName: s.SelectionName,
            BackupPlanId: plan.id,
          })),
          NextToken: p.next,
        },
        "application/json",
      );
    }
    case "GetBackupSelection": {
      const s = plan?.selections.find((x) => x.SelectionName === decodeURIComponent(parts[4] ?? ""));
      if (!s || !plan) break;
      return json(
        res,
        { BackupPlanId: plan.id, SelectionId: s.SelectionName, BackupSelection: s },
        "application/json",
      );
    }
    case "ListBackupVaults": {
      const p = page(spec.vaults ?? [], token, 20);
      return json(res, { BackupVaultList: p.items, NextToken: p.next }, "application/json");
    }
    case "GetBackupVaultAccessPolicy": {
      const name = decodeURIComponent(parts[1] ?? "");
      const vault = (spec.vaults ?? []).find((v) => v.BackupVaultName === name);
      const policy = spec.vaultPolicies?.[name];
      if (!vault || !policy) break; // no such vault, or no access policy: ResourceNotFoundException
      return json(
        res,
        { BackupVaultName: name, BackupVaultArn: vault.BackupVaultArn, Policy: policy },
        "application/json",
      );
    }
  }
  errorFor(res, "backup", { status: 404, code: "ResourceNotFoundException", message: url.pathname });
}
