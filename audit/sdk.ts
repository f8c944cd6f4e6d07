import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Where a client sends its calls and as whom: one account, one region. */
export interface Target {
  region: string;
  /** Undefined: the SDK's default credential chain (environment, profile, SSO, instance role...). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Told about every API call the audit starts (not retries): `DynamoDB:DescribeTable`. */
export type CallListener = (service: string, operation: string) => void;

export interface ClientSettings {
  /** Attempts per call, first included; the SDK's adaptive mode slows down on throttling. */
  maxAttempts: number;
  onCall?: CallListener;
}

/** The client name the SDK gives in its middleware context, without the `Client` suffix (`DynamoDB`, `EC2`). */
export function serviceOf(clientName: string): string {
  return clientName.replace(/Client$/, "");
}

interface ClientConfig {
  region: string;
  credentials?: Target["credentials"];
  maxAttempts: number;
  retryMode: string;
}

interface MiddlewareContext {
  clientName?: string;
  commandName?: string;
}

// Each client types its middleware stack with its own input and output unions; the audit's middleware reads only
// the context, so the stack is typed loosely here.
interface WithMiddleware {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  middlewareStack: { add: (...args: any[]) => void };
}

/**
 * A client of one service for one target, with adaptive retry. The endpoint comes from the SDK's standard
 * configuration, so `AWS_ENDPOINT_URL` (and `AWS_ENDPOINT_URL_<SERVICE>`) redirect it.
 */
export function makeClient<C extends WithMiddleware>(
  Client: new (config: ClientConfig) => C,
  target: Target,
  settings: ClientSettings,
): C {
  const client = new Client({
    region: target.region,
    credentials: target.credentials,
    maxAttempts: settings.maxAttempts,
    retryMode: "adaptive",
  });
  const listener = settings.onCall;
  if (listener) {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: MiddlewareContext) => (args: unknown) => {
        listener(
          serviceOf(context.clientName ?? "unknown"),
          (context.commandName ?? "").replace(/Command$/, ""),
        );
        return next(args);
      },
      { step: "initialize", name: "dynamodbHardenedAuditCalls" },
    );
  }
  return client;
}

/** The error's code as the SDK names it (`AccessDeniedException`, `UnauthorizedOperation`, `ENOTFOUND`). */
export function errorCode(e: unknown): string {
  if (e && typeof e === "object") {
    const err = e as { name?: string; code?: string; Code?: string };
    return err.Code ?? (err.name && err.name !== "Error" ? err.name : undefined) ?? err.code ?? "Error";
  }
  return "Error";
}

export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n")[0].slice(0, 300);
}

const DENIED =
  /^(AccessDenied(Exception)?|UnauthorizedOperation|AuthorizationError|AuthFailure|UnrecognizedClientException|InvalidClientTokenId|ExpiredToken(Exception)?|SignatureDoesNotMatch|OptInRequired|AccessDeniedForDependencyException|InvalidAccessKeyId)$/;

/** Why a read failed, in words a reader of the report acts on. */
export function reasonOf(e: unknown): string {
  const code = errorCode(e);
  if (/^(UnrecognizedClientException|InvalidClientTokenId|AuthFailure)$/.test(code))
    return `${code}: the credentials are not valid here (a region not enabled in this account gives this)`;
  if (/^ExpiredToken/.test(code)) return `${code}: the credentials expired`;
  if (/^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|UnknownEndpoint)$/.test(code))
    return `${code}: the service has no endpoint here`;
  return `${code}: ${errorMessage(e)}`;
}

export function isDenied(e: unknown): boolean {
  return DENIED.test(errorCode(e));
}

/** Every page of a paginated call: `read(token)` returns the page and the next token. */
export async function* pages<T>(
  read: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): AsyncGenerator<T[]> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await read(token);
    yield page.items ?? [];
    token = page.next || undefined;
    // A token that repeats would loop forever; AWS never sends one, a faulty proxy might.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`pagination token repeated: ${token.slice(0, 40)}`);
      seen.add(token);
    }
  } while (token !== undefined);
}

export async function all<T>(
  read: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages(read)) out.push(...page);
  return out;
}
