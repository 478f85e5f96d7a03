#!/usr/bin/env node
/**
 * The deploy workflow's token step: a WSO2 / Asgardeo access token by client credentials for
 * the smoke test, written to a file (mode 0600) and never printed.
 *
 *   WSO2_TOKEN_URL=... WSO2_CLIENT_ID=... WSO2_CLIENT_SECRET=... [SMOKE_SCOPES="a b"] \
 *     node --require ./tools/cli/register-typescript.cjs tools/delivery/fetch-token.ts \
 *     --output "$RUNNER_TEMP/smoke-token"
 *
 * Without WSO2_TOKEN_URL it writes nothing and says the smoke test runs its anonymous checks
 * only. A failed request, an answer that is not JSON or one without `access_token` stops
 * with a message naming what came back (status, OAuth error, field names), never the secret.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export class TokenRequestError extends Error {}

export interface TokenRequest {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated scopes. @default - none requested */
  readonly scopes?: string;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function fetchClientCredentialsToken(request: TokenRequest): Promise<string> {
  let url: URL;
  try {
    url = new URL(request.tokenUrl);
  } catch {
    throw new TokenRequestError(`WSO2_TOKEN_URL ${JSON.stringify(request.tokenUrl)} is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new TokenRequestError(`WSO2_TOKEN_URL ${JSON.stringify(request.tokenUrl)} must use https`);
  }
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scopes) form.set('scope', request.scopes);
  // As `curl -u id:secret` sends them (what WSO2's and Asgardeo's guides use): not form-encoded.
  const basic = Buffer.from(`${request.clientId}:${request.clientSecret}`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic.toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs ?? 10000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === 'TimeoutError'
        ? 'no answer within the timeout'
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new TokenRequestError(`token request to ${url.origin}${url.pathname} failed: ${why}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TokenRequestError(
      `token endpoint answered HTTP ${response.status} ` +
        `with ${response.headers.get('content-type') ?? 'no content type'}, ` +
        `not JSON: check WSO2_TOKEN_URL (…/oauth2/token)`,
    );
  }
  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (!response.ok) {
    const oauth = typeof fields.error === 'string' ? `: ${fields.error}` : '';
    const description =
      typeof fields.error_description === 'string' ? ` (${fields.error_description.slice(0, 200)})` : '';
    throw new TokenRequestError(`token endpoint answered HTTP ${response.status}${oauth}${description}`);
  }
  const token = fields.access_token;
  if (typeof token !== 'string' || token === '') {
    const names = Object.keys(fields);
    throw new TokenRequestError(
      `token endpoint answered HTTP ${response.status} without an access_token ` +
        `(fields: ${names.length ? names.join(', ') : 'none'})`,
    );
  }
  return token;
}

/** Writes the token where only this user can read it, all at once (no half-written file). */
export function writeTokenFile(file: string, token: string): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, token, { mode: 0o600 });
  renameSync(partial, file);
}

export async function main(argv: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { output: { type: 'string' } }, strict: true });
  if (!values.output)
    throw new TokenRequestError('--output <file> is required: where the token is written (mode 0600)');
  if (!env.WSO2_TOKEN_URL) {
    log('no WSO2 client configured (WSO2_TOKEN_URL is empty): the smoke test runs its anonymous checks only');
    return 0;
  }
  for (const name of ['WSO2_CLIENT_ID', 'WSO2_CLIENT_SECRET'] as const) {
    if (!env[name]) throw new TokenRequestError(`${name} is empty while WSO2_TOKEN_URL is set`);
  }
  const token = await fetchClientCredentialsToken({
    tokenUrl: env.WSO2_TOKEN_URL,
    clientId: env.WSO2_CLIENT_ID ?? '',
    clientSecret: env.WSO2_CLIENT_SECRET ?? '',
    scopes: env.SMOKE_SCOPES,
  });
  writeTokenFile(values.output, token);
  const shape = token.split('.').length === 3 ? 'a JWT' : 'an opaque token (the smoke test will refuse it)';
  log(
    `got an access token (${shape}, ${token.length} characters) for scopes ${JSON.stringify(env.SMOKE_SCOPES ?? '')}`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (!(error instanceof TokenRequestError) && !(error instanceof TypeError)) throw error;
      console.error(`Error: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
