import { lookupWithTimeout } from '../../../rules/issuer/lookup';

describe('lookupWithTimeout: DNS as node:https resolves, never hanging', () => {
  test('localhost resolves to a loopback address', async () => {
    const found = await lookupWithTimeout('localhost');
    expect(
      'addresses' in found && found.addresses.some((address) => address === '127.0.0.1' || address === '::1'),
    ).toBe(true);
  });

  test('a name under the reserved .invalid TLD does not resolve, and the answer comes within the bound', async () => {
    // Offline resolvers may say ENOTFOUND, EAI_AGAIN or nothing at all: any of them is an error, in time.
    const started = Date.now();
    const found = await lookupWithTimeout('wso2-doctor-test.invalid', 300);
    expect('error' in found).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
