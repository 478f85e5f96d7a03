import type { LookupAddress, LookupAllOptions } from 'node:dns';
import { lookupWithTimeout } from '../../../rules/issuer/lookup';

/**
 * What lookupWithTimeout makes of each answer a resolver can give, with node:dns/promises
 * replaced by a fake resolver (lookup.test.ts asks the machine's real one).
 */
const answer: { next: () => Promise<LookupAddress[] | LookupAddress> } = {
  next: () => Promise.resolve([]),
};

jest.mock('node:dns/promises', () => ({
  // Like dns.lookup: a list only when asked for all addresses.
  lookup: (_host: string, options: LookupAllOptions) =>
    answer.next().then((found) => (options?.all || !Array.isArray(found) ? found : found[0])),
}));

afterEach(() => jest.useRealTimers());

test('each address once, in the order given', async () => {
  answer.next = () =>
    Promise.resolve([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      { address: '93.184.215.14', family: 4 },
    ]);
  await expect(lookupWithTimeout('idp.example.com')).resolves.toEqual({
    addresses: ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  });
});

test('a failure is its error code, or its message when it has none', async () => {
  answer.next = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }));
  await expect(lookupWithTimeout('x')).resolves.toEqual({ error: 'ENOTFOUND' });
  answer.next = () => Promise.reject(new Error('resolver broke'));
  await expect(lookupWithTimeout('x')).resolves.toEqual({ error: 'resolver broke' });
});

test('no answer: an error at the bound given', async () => {
  answer.next = () => new Promise(() => undefined);
  await expect(lookupWithTimeout('idp.example.com', 20)).resolves.toEqual({ error: 'no DNS answer within 20 ms' });
});

test('the bound is 1500 ms unless given', async () => {
  jest.useFakeTimers();
  answer.next = () => new Promise(() => undefined);
  let settled: unknown;
  const pending = lookupWithTimeout('idp.example.com').then((found) => {
    settled = found;
  });
  await jest.advanceTimersByTimeAsync(1499);
  expect(settled).toBeUndefined();
  await jest.advanceTimersByTimeAsync(1);
  await pending;
  expect(settled).toEqual({ error: 'no DNS answer within 1500 ms' });
});

test('an answer in time leaves no timer behind', async () => {
  jest.useFakeTimers();
  answer.next = () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]);
  await lookupWithTimeout('idp.example.com');
  expect(jest.getTimerCount()).toBe(0);
});
