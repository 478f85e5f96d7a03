import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type DemoValues, loadDemoValues } from './demo-config';
import { loadOrCreateKeyMaterial, loadOrCreateTenantSigningPair } from './certificates';
import { OAuthError } from './oauth-errors';
import { ToolError } from '../cli/cli';
import { answerClientError } from '../cli/client-error';
import { readBody } from '../cli/read-body';
import { SigningKey } from './signing-key';
import { issueTokens } from './token-endpoint';

export const DEFAULT_IDP_PORT = 9443;
const MAX_FORM_BYTES = 64 * 1024;

export interface IdentityProviderOptions {
  /** @default 9443 (WSO2 IS's); 0 picks a free port */
  readonly port?: number;
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Host name in the issuer and URLs, as WSO2's `[server] hostname`. @default 'localhost' */
  readonly hostname?: string;
  /** Where the TLS and signing keys live. @default .local-certs/ */
  readonly certDir?: string;
  readonly demoValues?: DemoValues;
}

export interface RunningIdentityProvider {
  readonly port: number;
  /** `https://localhost:<port>/oauth2/token`, exactly as tokens' `iss`. */
  readonly issuer: string;
  readonly origin: string;
  /** The self-signed TLS certificate file: trust it with curl --cacert or the gateway's --ca-file. */
  readonly tlsCertFile: string;
  readonly signingKey: SigningKey;
  readonly demoValues: DemoValues;
  /** The WSO2 tenants served beside the super tenant, each its own issuer and signing key. */
  readonly tenants: readonly RunningTenant[];
  close(): Promise<void>;
}

export interface RunningTenant {
  readonly domain: string;
  /** `https://localhost:<port>/t/<domain>/oauth2/token`, exactly as its tokens' `iss`. */
  readonly issuer: string;
  readonly signingKey: SigningKey;
  readonly demoValues: DemoValues;
}

/** One issuer the server answers for: the super tenant (no prefix) or a tenant (`/t/<domain>`). */
interface Realm {
  readonly prefix: string;
  readonly issuer: string;
  readonly signingKey: SigningKey;
  readonly demo: DemoValues;
}

/** Port taken, permission denied...: a message a person can act on. */
export class ListenError extends ToolError {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

/**
 * A local identity provider that answers like WSO2 IS out of the box: issuer
 * `https://localhost:9443/oauth2/token`, discovery, JWKS and the token endpoint.
 */
export async function startIdentityProvider(options: IdentityProviderOptions = {}): Promise<RunningIdentityProvider> {
  const material = await loadOrCreateKeyMaterial(options.certDir);
  const signingKey = new SigningKey(material);
  const demo = options.demoValues ?? loadDemoValues();
  const hostname = options.hostname ?? 'localhost';
  const requestedPort = options.port ?? DEFAULT_IDP_PORT;
  const tenantKeys = await Promise.all(
    demo.tenants.map(
      async (tenant) =>
        new SigningKey({ signing: await loadOrCreateTenantSigningPair(tenant.domain, options.certDir) }),
    ),
  );
  let origin = '';
  let issuer = '';
  // Filled once the port is known: the issuers contain it.
  let realms: Realm[] = [];

  const server: Server = createServer({ key: material.tls.keyPem, cert: material.tls.certPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never let one request take the server down; say little, log the class only.
      console.error(`local-idp: internal error on ${req.method} ${req.url?.slice(0, 200)}: ${(error as Error)?.name}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: 'internal error' });
      else res.destroy();
    });
  });
  server.on('clientError', answerClientError);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fullPath = (req.url ?? '/').split('?')[0];
    // WSO2 serves each tenant under /t/<domain>/ with the same endpoints as the super tenant.
    const realm =
      realms.find((candidate) => candidate.prefix !== '' && fullPath.startsWith(`${candidate.prefix}/`)) ??
      (fullPath.startsWith('/t/') ? undefined : realms[0]);
    if (!realm) {
      return sendJson(res, 404, {
        error: 'not_found',
        error_description: `no tenant at ${JSON.stringify(fullPath.slice(0, 200))}`,
      });
    }
    const path = fullPath.slice(realm.prefix.length);
    const realmOrigin = `${origin}${realm.prefix}`;
    if (
      path === '/oauth2/token/.well-known/openid-configuration' ||
      path === '/oauth2/oidcdiscovery/.well-known/openid-configuration'
    ) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET');
      return sendJson(res, 200, discoveryDocument(realmOrigin, realm.issuer, realm.demo));
    }
    if (path === '/oauth2/jwks') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET');
      return sendJson(res, 200, realm.signingKey.jwks);
    }
    if (path === '/oauth2/token') {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      const bytes = await readBody(req, MAX_FORM_BYTES);
      if (bytes === null) {
        res.destroy();
        return;
      }
      if (bytes === undefined) {
        return sendJson(
          res,
          413,
          { error: 'invalid_request', error_description: `the request body is larger than ${MAX_FORM_BYTES} bytes` },
          { connection: 'close' },
        );
      }
      try {
        const body = bytes.toString('utf8');
        const tokens = await issueTokens(
          { authorization: req.headers.authorization, contentType: req.headers['content-type'], body },
          realm.demo,
          realm.signingKey,
          realm.issuer,
        );
        return sendJson(res, 200, tokens, { 'cache-control': 'no-store', pragma: 'no-cache' });
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        return sendJson(res, error.status, JSON.parse(error.body), {
          'cache-control': 'no-store',
          pragma: 'no-cache',
          ...(error.wwwAuthenticate && { 'www-authenticate': error.wwwAuthenticate }),
        });
      }
    }
    sendJson(res, 404, {
      error: 'not_found',
      error_description: `no endpoint at ${JSON.stringify(fullPath.slice(0, 200))}`,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${options.host ?? '127.0.0.1'}:${requestedPort}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new ListenError(
              `port ${requestedPort} is already in use (${where}): is a WSO2 IS or another local identity provider ` +
                `running? Stop it or pick another port with --port`,
              error.code,
            )
          : new ListenError(`cannot listen on ${where}: ${error.message}`, error.code),
      );
    });
    // A deep accept queue: bursts of connections (1,000 at once in the tests) must queue, not be refused.
    server.listen(requestedPort, options.host ?? '127.0.0.1', 2048, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://${hostname}:${port}`;
  issuer = `${origin}/oauth2/token`;
  const tenants: RunningTenant[] = demo.tenants.map((tenant, i) => ({
    domain: tenant.domain,
    issuer: `${origin}/t/${tenant.domain}/oauth2/token`,
    signingKey: tenantKeys[i],
    demoValues: tenant.values,
  }));
  realms = [
    { prefix: '', issuer, signingKey, demo },
    ...tenants.map((tenant) => ({
      prefix: `/t/${tenant.domain}`,
      issuer: tenant.issuer,
      signingKey: tenant.signingKey,
      demo: tenant.demoValues,
    })),
  ];

  return {
    port,
    issuer,
    origin,
    tlsCertFile: material.tlsCertFile,
    signingKey,
    demoValues: demo,
    tenants,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function discoveryDocument(origin: string, issuer: string, demo: Pick<DemoValues, 'scopes'>) {
  return {
    issuer,
    authorization_endpoint: `${origin}/oauth2/authorize`,
    token_endpoint: `${origin}/oauth2/token`,
    jwks_uri: `${origin}/oauth2/jwks`,
    response_types_supported: ['code', 'id_token', 'token', 'code id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    grant_types_supported: ['client_credentials', 'password'],
    scopes_supported: demo.scopes,
    claims_supported: [
      'iss',
      'sub',
      'aud',
      'azp',
      'client_id',
      'scope',
      'aut',
      'iat',
      'nbf',
      'exp',
      'jti',
      'given_name',
      'family_name',
      'email',
    ],
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { error: 'invalid_request', error_description: `method not allowed, use ${allow}` }, { allow });
}
