import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { handler, ORDERS } from '../../../lambda/orders/handler';

function event(routeKey: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method, path] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    pathParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '29/Nov/2026:06:00:00 +0000',
      timeEpoch: 1795932000000,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: { sub: 'alice-sub', iss: 'https://localhost:9443/oauth2/token' }, scopes: ['api:access'] },
      },
    },
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

async function call(routeKey: string, pathParameters?: Record<string, string>) {
  const result = await handler(event(routeKey, pathParameters));
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

describe('the orders function', () => {
  beforeEach(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test.each(['GET /orders', 'GET /partner/orders'])('%s lists the orders with the caller', async (routeKey) => {
    expect(await call(routeKey)).toEqual({
      status: 200,
      body: { orders: ORDERS, caller: { sub: 'alice-sub', iss: 'https://localhost:9443/oauth2/token' } },
    });
  });

  test('GET /orders/{id} answers one order', async () => {
    const { status, body } = await call('GET /orders/{id}', { id: 'o-1002' });
    expect(status).toBe(200);
    expect(body.order).toEqual({ id: 'o-1002', item: 'monitor', quantity: 2 });
  });

  test.each([['o-9999'], ['../etc'], ['']])('GET /orders/{id} with id %j answers 404', async (id) => {
    expect(await call('GET /orders/{id}', { id })).toEqual({ status: 404, body: { message: 'Not Found' } });
  });

  test('a route it does not serve answers 404 and logs no event or header', async () => {
    const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    expect(await call('GET /elsewhere')).toEqual({ status: 404, body: { message: 'Not Found' } });
    expect(debug).toHaveBeenCalledWith('Request handled', {
      routeKey: 'GET /elsewhere',
      requestId: 'req-1',
      status: 404,
      subject: 'alice-sub',
    });
  });
});
