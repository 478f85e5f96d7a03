/**
 * The local gateway in front of every target kind aws-cdk-lib synthesizes: two Lambda functions,
 * HTTP proxy integrations (HttpUrlIntegration with parameter mapping, a timeout) and two JWT
 * authorizers (the local identity provider's super tenant and a WSO2 tenant). The stack is a
 * throwaway CDK app synthesized here, so the template shapes are aws-cdk-lib's own; its gateway runs
 * as a real process, in front of the run's identity provider and echo backend (shared-services.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, MappingValue, ParameterMapping } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  closeHttpAgent,
  type DemoIssuer,
  httpCall,
  requestToken,
  type SimpleResponse,
  type StartedProcess,
  startGatewayCli,
  sharedIdpAndBackend,
} from '../support/local-stack';

const IDENTITY_HEADERS = {
  'x-wso2-sub': 'sub',
  'x-wso2-client-id': 'client_id',
  'x-wso2-scope': 'scope',
  'x-wso2-issuer': 'iss',
};

let dir: string;
let gateway: StartedProcess | undefined;
let silent: Server;
let gatewayUrl: string;
let ca: string;
let superTenant: DemoIssuer;
let tenant: DemoIssuer;

/** A handler that says which function answered and whose claims it saw. */
function writeHandler(name: string): string {
  const folder = join(dir, 'handlers', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'index.js'),
    `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ fn: ${JSON.stringify(name)}, iss: event.requestContext.authorizer.jwt.claims.iss }) });\n`,
  );
  return folder;
}

/** The throwaway app: every construct as a team would write it with aws-cdk-lib's stable modules. */
function synthesize(backendUrl: string, silentUrl: string, closedUrl: string): string {
  const outdir = join(dir, 'cdk.out');
  // aws-cdk-lib's CloudFormation schema validation costs seconds; the snapshot test runs it.
  const app = new App({
    outdir,
    context: { 'aws:cdk:enable-asset-metadata': true },
    builtinCloudFormationValidation: false,
  });
  const stack = new Stack(app, 'Targets');
  const api = new HttpApi(stack, 'Api');
  const byIssuer = {
    main: new HttpJwtAuthorizer('Main', superTenant.issuer, { jwtAudience: [superTenant.clientId] }),
    partner: new HttpJwtAuthorizer('Partner', tenant.issuer, { jwtAudience: [tenant.clientId] }),
  };
  const fn = (id: string) =>
    new LambdaFunction(stack, id, {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromAsset(writeHandler(id)),
    });
  const identity = () => {
    let mapping = new ParameterMapping().overwritePath(MappingValue.requestPath());
    for (const [header, claim] of Object.entries(IDENTITY_HEADERS))
      mapping = mapping.overwriteHeader(header, MappingValue.contextVariable(`authorizer.claims.${claim}`));
    return mapping;
  };
  const http = (id: string, url: string, timeout = Duration.seconds(5)) =>
    new HttpUrlIntegration(id, url, { method: HttpMethod.ANY, parameterMapping: identity(), timeout });
  const route = (
    path: string,
    issuer: keyof typeof byIssuer,
    integration: HttpLambdaIntegration | HttpUrlIntegration,
  ) =>
    api.addRoutes({
      path,
      methods: [HttpMethod.ANY],
      integration,
      authorizer: byIssuer[issuer],
      authorizationScopes: ['api:access'],
    });
  route('/orders', 'main', new HttpLambdaIntegration('Orders', fn('Orders')));
  route('/partner/orders', 'partner', new HttpLambdaIntegration('PartnerOrders', fn('PartnerOrders')));
  route('/legacy/{proxy+}', 'main', http('Legacy', backendUrl));
  route('/partner/legacy/{proxy+}', 'partner', http('PartnerLegacy', backendUrl));
  route('/slow', 'main', http('Slow', silentUrl, Duration.millis(300)));
  route('/down', 'main', http('Down', closedUrl));
  app.synth();
  return outdir;
}

async function tokenFor(issuer: DemoIssuer, scope: string): Promise<string> {
  return (await requestToken(issuer, ca, { scope })).access_token;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-targets-'));
  const started = sharedIdpAndBackend();
  ({ ca, main: superTenant, partner: tenant } = started);
  // Accepts connections and never answers: the integration timeout must answer instead.
  silent = createServer(() => undefined);
  const silentUrl = await listen(silent);
  const closed = createServer();
  const closedUrl = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const outDir = synthesize(started.backendUrl, silentUrl, closedUrl);
  gateway = await startGatewayCli(outDir, started.caFile);
  gatewayUrl = String(gateway.ready.url);
}, 120_000);

afterAll(async () => {
  closeHttpAgent();
  silent?.closeAllConnections();
  await Promise.all([gateway?.stop(), new Promise((r) => silent?.close(r))]);
  rmSync(dir, { recursive: true, force: true });
});

const call = (path: string, token?: string, headers: Record<string, string> = {}): Promise<SimpleResponse> =>
  httpCall(`${gatewayUrl}${path}`, {
    headers: { ...headers, ...(token !== undefined && { authorization: `Bearer ${token}` }) },
  });

describe('an HTTP proxy route (HttpUrlIntegration with identity headers mapped from the claims)', () => {
  test('200: the backend gets path, query and the identity from the token, not the forged headers', async () => {
    const token = await tokenFor(superTenant, 'api:access');
    const response = await call('/legacy/items/42?x=1&x=2', token, {
      'x-wso2-sub': 'forged-admin',
      'X-WSO2-Client-Id': 'forged-client',
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      method: 'GET',
      path: '/legacy/items/42',
      query: { x: ['1', '2'] },
      identity: {
        'x-wso2-sub': superTenant.clientId,
        'x-wso2-client-id': superTenant.clientId,
        'x-wso2-scope': 'api:access',
        'x-wso2-issuer': superTenant.issuer,
      },
      bodyBytes: 0,
    });
  });

  test("401 without a token, 403 without the route's scope", async () => {
    const none = await call('/legacy/items');
    expect({ status: none.status, body: none.body, challenge: none.headers['www-authenticate'] }).toEqual({
      status: 401,
      body: '{"message":"Unauthorized"}',
      challenge: 'Bearer',
    });
    const forbidden = await call('/legacy/items', await tokenFor(superTenant, 'reports:read'));
    expect({ status: forbidden.status, body: forbidden.body }).toEqual({
      status: 403,
      body: '{"message":"Forbidden"}',
    });
  });

  test('a backend slower than the integration timeout: 503; an unreachable one: 500', async () => {
    const token = await tokenFor(superTenant, 'api:access');
    const slow = await call('/slow', token);
    expect({ status: slow.status, body: slow.body }).toEqual({
      status: 503,
      body: '{"message":"Service Unavailable"}',
    });
    const down = await call('/down', token);
    expect({ status: down.status, body: down.body }).toEqual({
      status: 500,
      body: '{"message":"Internal Server Error"}',
    });
  });
});

describe('two issuers, one authorizer each', () => {
  test("the tenant's routes accept its tokens, on a function and on an HTTP proxy", async () => {
    const token = await tokenFor(tenant, 'api:access');
    const orders = await call('/partner/orders', token);
    expect(orders.status).toBe(200);
    expect(JSON.parse(orders.body)).toEqual({ fn: 'PartnerOrders', iss: tenant.issuer });
    const legacy = await call('/partner/legacy/a', token);
    expect(legacy.status).toBe(200);
    expect(JSON.parse(legacy.body).identity['x-wso2-issuer']).toBe(tenant.issuer);
  });

  test("the super tenant's routes accept its tokens on their own function", async () => {
    const orders = await call('/orders', await tokenFor(superTenant, 'api:access'));
    expect(orders.status).toBe(200);
    expect(JSON.parse(orders.body)).toEqual({ fn: 'Orders', iss: superTenant.issuer });
  });

  test.each([
    ["a super tenant token on the tenant's function route", 'main', '/partner/orders'],
    ["a super tenant token on the tenant's HTTP proxy route", 'main', '/partner/legacy/a'],
    ["a tenant token on the super tenant's function route", 'tenant', '/orders'],
    ["a tenant token on the super tenant's HTTP proxy route", 'tenant', '/legacy/a'],
  ])('%s: 401', async (_, from, path) => {
    const response = await call(path, await tokenFor(from === 'main' ? superTenant : tenant, 'api:access'));
    expect({ status: response.status, body: response.body }).toEqual({
      status: 401,
      body: '{"message":"Unauthorized"}',
    });
    // Each issuer signs with its own key: the other issuer's JWKS has no key with the token's kid.
    expect(response.headers['www-authenticate']).toBe(
      'Bearer scope="api:access" error="invalid_token" ' +
        'error_description="unable to find a signing key that matches the token kid"',
    );
  });
});
