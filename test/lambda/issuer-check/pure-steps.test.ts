/** The issuer check's pure steps: which fetches are retried, what is a rollback, what fits in 4,096 bytes. */
import type { CloudFormationCustomResourceResponse } from 'aws-lambda';
import { fitMessage } from '../../../lambda/issuer-check/response-size';
import { isRetryable, withOneRetry } from '../../../lambda/issuer-check/retry';
import { isRollingBack } from '../../../lambda/issuer-check/stack-status';
import type { FetchOutcome, IssuerNet } from '../../../rules/issuer/net';

const URL = 'https://is.example.com/oauth2/jwks';
const failed = (kind: NonNullable<FetchOutcome['failure']>['kind'], status?: number): FetchOutcome => ({
  url: URL,
  status,
  elapsedMs: 5,
  failure: { kind, message: `${kind} failure` },
});

describe('isRetryable', () => {
  test.each<[string, FetchOutcome, boolean]>([
    ['a refused connection', failed('network'), true],
    ['HTTP 500', failed('status', 500), true],
    ['HTTP 503', failed('status', 503), true],
    ['HTTP 499', failed('status', 499), false],
    ['HTTP 404', failed('status', 404), false],
    ['a status failure without a status', failed('status'), false],
    ['a timeout (API Gateway does not retry either)', failed('timeout'), false],
    ['an answer too large', failed('too-large', 200), false],
    ['a success', { url: URL, status: 200, elapsedMs: 5, body: {} }, false],
  ])('%s: %p', (_name, outcome, expected) => {
    expect(isRetryable(outcome)).toBe(expected);
  });
});

describe('withOneRetry', () => {
  test('retries a 503 once, after the delay, and records whether the retry answered', async () => {
    const answers = [failed('status', 503), { url: URL, status: 200, elapsedMs: 5, body: { keys: [] } }];
    const net = { fetchJwks: async () => answers.shift() as FetchOutcome } as unknown as IssuerNet;
    const { net: retrying, retried } = withOneRetry(net, 1);
    expect((await retrying.fetchJwks(URL)).status).toBe(200);
    expect(retried).toEqual([{ url: URL, firstFailure: 'status failure', rescued: true }]);
  });

  test('a failure without a message is recorded with an empty one', async () => {
    const bare: FetchOutcome = { url: URL, elapsedMs: 5, failure: { kind: 'network', message: '' } };
    const net = { fetchDiscovery: async () => bare } as unknown as IssuerNet;
    const { net: retrying, retried } = withOneRetry(net, 1);
    await retrying.fetchDiscovery(URL);
    expect(retried).toEqual([{ url: URL, firstFailure: '', rescued: false }]);
  });
});

describe('isRollingBack', () => {
  test.each([
    ['ROLLBACK_IN_PROGRESS', true],
    ['UPDATE_ROLLBACK_IN_PROGRESS', true],
    ['IMPORT_ROLLBACK_IN_PROGRESS', true],
    ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', false],
    ['UPDATE_IN_PROGRESS', false],
    ['XROLLBACK_IN_PROGRESS', false],
    ['ROLLBACK_IN_PROGRESS_EXTRA', false],
  ])('%s: %p', (status, expected) => {
    expect(isRollingBack(status)).toBe(expected);
  });
});

describe('fitMessage', () => {
  const render = (message: string) => ({ Status: 'FAILED', Reason: message }) as CloudFormationCustomResourceResponse;
  const bytesOf = (message: string) => Buffer.byteLength(JSON.stringify(render(message)), 'utf8');

  test('keeps every line that fits, separated, and the header alone when there are none', () => {
    expect(fitMessage('H: ', ['a', 'b'], render).Reason).toBe('H: a | b');
    expect(fitMessage('H: ', [], render).Reason).toBe('H: ');
  });

  test('a response of exactly the limit fits; one byte less and the last line goes to the log', () => {
    const lines = ['a', 'b'.repeat(100)];
    const whole = `H: a | ${lines[1]}`;
    expect(fitMessage('H: ', lines, render, bytesOf(whole)).Reason).toBe(whole);
    expect(fitMessage('H: ', lines, render, bytesOf(whole) - 1).Reason).toBe(
      "H: a | 1 more line(s) in the function's log",
    );
  });

  test('counts bytes, not characters: a multi-byte line is cut sooner', () => {
    const limit = bytesOf('H: ') + 12;
    const cut = fitMessage('H: ', ['ééééééééé'], render, limit).Reason as string;
    expect(cut.endsWith('...')).toBe(true);
    expect(bytesOf(cut)).toBeLessThanOrEqual(limit);
    expect(cut.startsWith('H: é')).toBe(true);
  });
});
