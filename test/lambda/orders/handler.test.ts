import { httpApiEvent } from '../../support/http-api-event';
import { handler, ORDERS } from '../../../lambda/orders/handler';

function event(routeKey: string, pathParameters?: Record<string, string>) {
  const claims = { sub: 'alice-sub', iss: 'https://localhost:9443/oauth2/token' };
  return httpApiEvent(routeKey, { pathParameters, jwt: { claims, scopes: ['api:access'] } });
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
