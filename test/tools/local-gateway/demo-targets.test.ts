import type {
  ApiModel,
  FunctionModel,
  JwtAuthorizerModel,
  RouteModel,
} from '../../../tools/local-gateway/cloud-assembly';
import {
  examplePath,
  startDemoBackends,
  targetCurlLines,
  tenantIssuerContext,
} from '../../../tools/local-gateway/demo-targets';
import { httpProxyTargetOf } from '../../../tools/local-gateway/http-target';

const authorizer = (issuer: string): JwtAuthorizerModel => ({
  logicalId: issuer,
  name: issuer,
  issuer,
  audiences: ['a'],
  identitySource: '$request.header.Authorization',
});
const fn = (logicalId: string): FunctionModel => ({
  logicalId,
  assetDir: '/x',
  handler: 'index.handler',
  environment: {},
  timeoutSeconds: 3,
});
const MAIN = 'https://localhost:9443/oauth2/token';
const PARTNER = 'https://localhost:9443/t/partner.example.com/oauth2/token';
const route = (routeKey: string, issuer: string, target: Partial<RouteModel>): RouteModel => ({
  logicalId: routeKey,
  routeKey,
  authorizer: authorizer(issuer),
  scopes: ['api:access'],
  payloadFormatVersion: '2.0',
  ...target,
});
const model = (backendUri: string): ApiModel => ({
  stackName: 'S',
  apiName: 'A',
  stageName: '$default',
  cors: undefined,
  authorizers: [authorizer(MAIN), authorizer(PARTNER)],
  routes: [
    route('GET /hello', MAIN, { function: fn('Api') }),
    route('GET /orders/{id}', MAIN, { function: fn('Orders') }),
    route('GET /orders', MAIN, { function: fn('Orders') }),
    route('ANY /legacy/{proxy+}', MAIN, { httpProxy: httpProxyTargetOf('Legacy', { IntegrationUri: backendUri }) }),
    route('GET /partner/orders', PARTNER, { function: fn('Orders') }),
  ],
});

test('example paths fill path parameters', () => {
  expect(examplePath('ANY /legacy/{proxy+}')).toBe('/legacy/items/42');
  expect(examplePath('GET /orders/{id}')).toBe('/orders/42');
});

test('curl lines: a proxied route and an own-function route of the first issuer, a route of the second', () => {
  const lines = targetCurlLines(
    model('http://127.0.0.1:9081'),
    'http://127.0.0.1:8080',
    [
      { issuer: MAIN, clientId: 'main-client', secret: 's1' },
      { issuer: PARTNER, clientId: 'partner-client', secret: 's2' },
    ],
    { cacert: '--cacert /c.pem', sharedRouteKey: 'GET /hello' },
  );
  const text = lines.join('\n');
  expect(text).toContain(`TOKEN=$(curl -s --cacert /c.pem -u main-client:s1 ${MAIN} -d grant_type=client_credentials`);
  expect(text).toContain(
    'curl -i http://127.0.0.1:8080/legacy/items/42 -H "Authorization: Bearer $TOKEN"   ' +
      '# ANY /legacy/{proxy+}: proxied to http://127.0.0.1:9081',
  );
  expect(text).toContain(
    'curl -i http://127.0.0.1:8080/orders -H "Authorization: Bearer $TOKEN"   # GET /orders: function Orders',
  );
  expect(text).toContain(`TOKEN_2=$(curl -s --cacert /c.pem -u partner-client:s2 ${PARTNER}`);
  expect(text).toContain('curl -i http://127.0.0.1:8080/partner/orders -H "Authorization: Bearer $TOKEN_2"');
  expect(text).not.toContain('/hello');
});

test('the echo backend starts on the loopback port an HTTP route points at; a taken port is a warning', async () => {
  const first = await startDemoBackends(model('http://127.0.0.1:0'), () => undefined);
  expect(first.backends).toHaveLength(1);
  const port = first.backends[0].port;
  const warnings: string[] = [];
  const second = await startDemoBackends(model(`http://127.0.0.1:${port}`), (message) => warnings.push(message));
  expect(second.backends).toHaveLength(0);
  expect(warnings).toEqual([
    `WARNING: the echo backend cannot start: port ${port} is already in use (127.0.0.1:${port}): pick another port; ` +
      'the proxied routes go to what runs there.',
  ]);
  await first.close();
});

test("npm start points the stack's tenant issuers at this run's identity provider", () => {
  expect(
    tenantIssuerContext(
      {
        default: { issuerUrl: MAIN },
        partner: { issuerUrl: PARTNER },
        other: { issuerUrl: 'https://wso2.example.com/t/x/oauth2/token' },
      },
      [{ domain: 'partner.example.com', issuer: 'https://localhost:45001/t/partner.example.com/oauth2/token' }],
      'default',
    ),
  ).toEqual({ 'issuerUrl.partner': 'https://localhost:45001/t/partner.example.com/oauth2/token' });
});
