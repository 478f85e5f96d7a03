/** What every answer of the orders function carries, and the caller it names. */
import { httpApiEvent } from '../../support/http-api-event';
import { handler } from '../../../lambda/orders/handler';

beforeEach(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

test.each([
  ['a list', 'GET /orders', undefined],
  ['one order', 'GET /orders/{id}', { id: 'o-1001' }],
  ['a 404', 'GET /orders/{id}', { id: 'o-1' }],
])('%s is JSON in UTF-8 that no cache keeps', async (_name, routeKey, pathParameters) => {
  const result = await handler(httpApiEvent(routeKey, { pathParameters, jwt: { claims: {}, scopes: [] } }));
  expect(result.headers).toEqual({
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
});

test('GET /orders/{id} without the id answers 404', async () => {
  const result = await handler(httpApiEvent('GET /orders/{id}', { jwt: { claims: {}, scopes: [] } }));
  expect(result.statusCode).toBe(404);
});

test('claims that are not strings name no caller; a request without an authorizer names none either', async () => {
  const odd = await handler(httpApiEvent('GET /orders', { jwt: { claims: { sub: 42, iss: ['x'] }, scopes: [] } }));
  expect(JSON.parse(odd.body).caller).toEqual({});
  const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
  const anonymous = await handler(httpApiEvent('GET /orders'));
  expect(anonymous.statusCode).toBe(200);
  expect(JSON.parse(anonymous.body).caller).toEqual({});
  expect(debug).toHaveBeenCalledWith('Request handled', {
    routeKey: 'GET /orders',
    requestId: 'req-1',
    status: 200,
    subject: undefined,
  });
});

test('the demo data is the same for every caller: two orders', async () => {
  const expected = [
    { id: 'o-1001', item: 'keyboard', quantity: 1 },
    { id: 'o-1002', item: 'monitor', quantity: 2 },
  ];
  const list = await handler(httpApiEvent('GET /orders', { jwt: { claims: {}, scopes: [] } }));
  expect(JSON.parse(list.body).orders).toEqual(expected);
  for (const order of expected) {
    const one = await handler(
      httpApiEvent('GET /orders/{id}', { pathParameters: { id: order.id }, jwt: { claims: {}, scopes: [] } }),
    );
    expect(JSON.parse(one.body).order).toEqual(order);
  }
});

test('an event without a request context (a console test event) answers 404 instead of throwing', async () => {
  const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
  const result = await handler({} as Parameters<typeof handler>[0]);
  expect(result.statusCode).toBe(404);
  expect(debug).toHaveBeenCalledWith('Request handled', {
    routeKey: undefined,
    requestId: undefined,
    status: 404,
    subject: undefined,
  });
});

test('an authorizer context without jwt (not the JWT authorizer) names no caller', async () => {
  const event = httpApiEvent('GET /orders');
  const result = await handler({
    ...event,
    requestContext: { ...event.requestContext, authorizer: {} },
  } as Parameters<typeof handler>[0]);
  expect(JSON.parse(result.body).caller).toEqual({});
});
