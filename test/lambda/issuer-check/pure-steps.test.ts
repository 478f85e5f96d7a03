/** The issuer check's pure steps: which fetches are retried, what is a rollback, what fits in 4,096 bytes. */
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { createHandler, line } from '../../../lambda/issuer-check/handler';
import { fitMessage } from '../../../lambda/issuer-check/response-size';
import { isRetryable, withOneRetry } from '../../../lambda/issuer-check/retry';
import { isRollingBack } from '../../../lambda/issuer-check/stack-status';
import type { FetchOutcome, IssuerNet } from '../../../rules/issuer/net';
import { fakeNet } from '../../support/fake-issuer-net';

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

test("a check's line carries its fix when it has one, and no empty fix when it has none", () => {
  const check = { id: 'x.y', title: 'issuer URL', verdict: 'warn', detail: 'ends with /' } as const;
  expect(line(check)).toBe('warn issuer URL: ends with /');
  expect(line({ ...check, fix: 'drop the /' })).toBe('warn issuer URL: ends with / (fix: drop the /)');
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

  test("when only the first line fits, what is cut is the note about the others, never the next line's text", () => {
    const lines = ['fail a', 'warn b'.repeat(20)];
    const limit = bytesOf("H: fail a | 1 more line(s) in the function's log") - 1;
    expect(fitMessage('H: ', lines, render, limit).Reason).toBe("H: fail a | 1 more line(s) in the function's...");
  });

  test('counts bytes, not characters: a multi-byte line is cut sooner', () => {
    const limit = bytesOf('H: ') + 12;
    const cut = fitMessage('H: ', ['ééééééééé'], render, limit).Reason as string;
    expect(cut.endsWith('...')).toBe(true);
    expect(bytesOf(cut)).toBeLessThanOrEqual(limit);
    expect(cut.startsWith('H: é')).toBe(true);
  });
});

describe('what the check logs (its only trace in AWS besides the answer)', () => {
  const ISSUER = 'https://is.example.com/oauth2/token';
  const net = fakeNet();
  const event = (requestType: 'Create' | 'Update', issuer: string) =>
    ({
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
      ResponseURL: 'https://cloudformation-custom-resource-response.example.com/x',
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1',
      RequestId: 'request-1',
      LogicalResourceId: 'IssuerCheck',
      ResourceType: 'Custom::Wso2IssuerCheck',
      ResourceProperties: { ServiceToken: 'arn', Issuer: issuer, Audiences: ['a'] },
      ...(requestType === 'Update' && {
        PhysicalResourceId: 'wso2-issuer-check',
        OldResourceProperties: { ServiceToken: 'arn', Issuer: issuer, Audiences: [] },
      }),
    }) as unknown as CloudFormationCustomResourceEvent;

  async function logsOf(
    requestType: 'Create' | 'Update',
    issuer: string,
    stackStatus: () => Promise<string>,
  ): Promise<{ logged: [string, unknown][]; answer: CloudFormationCustomResourceResponse }> {
    const logged: [string, unknown][] = [];
    let answer: CloudFormationCustomResourceResponse | undefined;
    const handler = createHandler({
      net,
      stackStatus,
      respond: async (_url, body) => {
        answer = body;
      },
      log: (message, details) => logged.push([message, details]),
    });
    await handler(event(requestType, issuer));
    return { logged, answer: answer as CloudFormationCustomResourceResponse };
  }

  test('a passing check logs each check and the answer with its data', async () => {
    const { logged, answer } = await logsOf('Create', ISSUER, async () => 'CREATE_IN_PROGRESS');
    expect(answer.Status).toBe('SUCCESS');
    expect(answer.PhysicalResourceId).toBe('wso2-issuer-check');
    expect(logged.some(([message]) => /^ok .+: .+/.test(message))).toBe(true);
    expect(logged.at(-1)).toEqual(['answering SUCCESS', answer.Data]);
  });

  test('a failing update logs the stack status it read, or why it could not', async () => {
    const wrong = 'http://is.example.com/oauth2/token';
    const rolling = await logsOf('Update', wrong, async () => 'UPDATE_ROLLBACK_IN_PROGRESS');
    expect(rolling.logged).toContainEqual(['stack status', 'UPDATE_ROLLBACK_IN_PROGRESS']);
    const unknown = await logsOf('Update', wrong, async () => {
      throw new Error('AccessDenied');
    });
    expect(unknown.logged).toContainEqual(['could not read the stack status', 'AccessDenied']);
    expect(unknown.logged.at(-1)).toEqual(['answering FAILED', unknown.answer.Reason]);
  });
});
