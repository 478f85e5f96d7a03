/**
 * The issuer check's transport: the PUT of its answer to CloudFormation's response URL (https in
 * AWS), the DescribeStacks answers it cannot use, what the deployed handler logs, and the log of a
 * retried fetch. Loopback servers only, each closed by its test.
 */
import { listenOnLoopback } from '../../support/loopback';
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import { generate } from 'selfsigned';
import { createHandler, handler, putResponse } from '../../../lambda/issuer-check/handler';
import { createStackStatusReader } from '../../../lambda/issuer-check/stack-status';
import type { FetchOutcome, IssuerNet } from '../../../rules/issuer/net';

const BODY: CloudFormationCustomResourceResponse = {
  Status: 'SUCCESS',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1',
  RequestId: 'request-1',
  LogicalResourceId: 'IssuerCheck',
  PhysicalResourceId: 'wso2-issuer-check',
  Data: { Summary: 'passed: é' },
};

interface Received {
  readonly request: IncomingMessage;
  readonly raw: Buffer;
}

/** Starts `server` on loopback; `answer` decides each response (it may leave one unanswered). */
async function serve(
  server: Server,
  answer: (response: ServerResponse) => void,
): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ request, raw: Buffer.concat(chunks) });
      answer(response);
    });
  });
  const { port, close } = await listenOnLoopback(server);
  return { port, received, close };
}

const withStatus = (status: number) => (response: ServerResponse) => {
  response.statusCode = status;
  response.end();
};

describe('putResponse: the answer as CloudFormation receives it', () => {
  test('over https, as the real pre-signed URL is: one PUT, empty content type, exact length, the JSON', async () => {
    // GIVEN an https stand-in whose self-signed certificate this test alone trusts
    const tls = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const server = await serve(createHttpsServer({ key: tls.private, cert: tls.cert }), withStatus(200));
    // An agent of its own: https's global agent is shared by every test file of this jest worker.
    const agent = new HttpsAgent({ ca: tls.cert });
    try {
      // WHEN
      await putResponse(`https://127.0.0.1:${server.port}/cfn?X-Amz-Signature=abc`, BODY, undefined, agent);

      // THEN
      expect(server.received).toHaveLength(1);
      const [{ request, raw }] = server.received;
      expect(request.method).toBe('PUT');
      expect(request.url).toBe('/cfn?X-Amz-Signature=abc');
      expect(request.headers['content-type']).toBe('');
      expect(request.headers['content-length']).toBe(String(raw.length));
      expect(request.headers['transfer-encoding']).toBeUndefined();
      expect(JSON.parse(raw.toString('utf8'))).toEqual(BODY);
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  test.each([200, 204, 299])('HTTP %d is accepted', async (status) => {
    const server = await serve(createHttpServer(), withStatus(status));
    try {
      await expect(putResponse(`http://127.0.0.1:${server.port}/cfn`, BODY)).resolves.toBeUndefined();
    } finally {
      await server.close();
    }
  });

  test.each([300, 403, 500])('HTTP %d is an error naming the status', async (status) => {
    const server = await serve(createHttpServer(), withStatus(status));
    try {
      await expect(putResponse(`http://127.0.0.1:${server.port}/cfn`, BODY)).rejects.toThrow(
        new Error(`CloudFormation answered HTTP ${status}`),
      );
    } finally {
      await server.close();
    }
  });

  test('a URL that never answers is given up after the timeout, with an error saying so', async () => {
    // GIVEN a stand-in that reads the PUT and never answers
    const server = await serve(createHttpServer(), () => undefined);
    try {
      await expect(putResponse(`http://127.0.0.1:${server.port}/cfn`, BODY, 100)).rejects.toThrow(
        new Error('CloudFormation response URL did not answer within 100 ms'),
      );
    } finally {
      await server.close();
    }
  });

  test('a refused connection is an error, not a hang', async () => {
    const server = await serve(createHttpServer(), withStatus(200));
    const { port } = server;
    await server.close();
    await expect(putResponse(`http://127.0.0.1:${port}/cfn`, BODY, 2000)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describe('the stack status reader, when DescribeStacks has no status to give', () => {
  const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Wso2JwtHttpApi-prod/5f1e';
  const describeStacks = (result: string) => (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">` +
        `<DescribeStacksResult>${result}</DescribeStacksResult>` +
        `<ResponseMetadata><RequestId>1b2c</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    );
  };

  test.each([
    ['no Stacks element', ''],
    ['an empty list of stacks', '<Stacks></Stacks>'],
    [
      'a stack without a status',
      '<Stacks><member><StackName>s</StackName><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks>',
    ],
  ])('%s: an error naming the stack', async (_name, result) => {
    const server = await serve(createHttpServer(), describeStacks(result));
    try {
      const read = createStackStatusReader({
        endpoint: `http://127.0.0.1:${server.port}`,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
      });
      await expect(read(STACK_ID)).rejects.toThrow(new Error(`DescribeStacks returned no status for ${STACK_ID}`));
      expect(new URLSearchParams(server.received[0].raw.toString('utf8')).get('StackName')).toBe(STACK_ID);
    } finally {
      await server.close();
    }
  });
});

describe('the deployed handler (the wiring Lambda runs)', () => {
  const event = (requestType: 'Create' | 'Delete', responseUrl: string) =>
    ({
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
      ResponseURL: responseUrl,
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1',
      RequestId: 'request-1',
      LogicalResourceId: 'IssuerCheck',
      ResourceType: 'Custom::Wso2IssuerCheck',
      // A non-string issuer is refused before any network or AWS call.
      ResourceProperties: { ServiceToken: 'arn', Issuer: 42, Audiences: ['a'] },
      ...(requestType === 'Delete' && { PhysicalResourceId: 'wso2-issuer-check' }),
    }) as unknown as CloudFormationCustomResourceEvent;

  test('logs one JSON line per answer, with its reason, and PUTs the answer', async () => {
    const server = await serve(createHttpServer(), withStatus(200));
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
    try {
      await handler(event('Create', `http://127.0.0.1:${server.port}/cfn`));
      await handler(event('Delete', `http://127.0.0.1:${server.port}/cfn`));
    } finally {
      spy.mockRestore();
      await server.close();
    }
    const reason = 'WSO2 issuer check: property Issuer must be a string, got 42';
    expect(logged).toEqual([
      JSON.stringify({ message: 'answering FAILED', details: reason }),
      JSON.stringify({ message: 'answering SUCCESS' }),
    ]);
    const answers = server.received.map(({ raw }) => JSON.parse(raw.toString('utf8')));
    expect(answers.map((answer) => [answer.Status, answer.Reason])).toEqual([
      ['FAILED', reason],
      ['SUCCESS', undefined],
    ]);
  });
});

test('a retried fetch is logged with its URL, first failure and outcome', async () => {
  // GIVEN a healthy issuer whose JWKS answers 503 once
  const issuerUrl = 'https://is.example.com/oauth2/token';
  const jwksUri = 'https://is.example.com/oauth2/jwks';
  let jwksCalls = 0;
  const net: IssuerNet = {
    lookup: async () => ({ addresses: ['93.184.215.14'] }),
    tlsTrust: async () => ({ reachable: true, trusted: true, subject: 'CN=is.example.com', issuer: 'CN=Public CA' }),
    fetchDiscovery: async (url) => ({
      url: `${url}/.well-known/openid-configuration`,
      status: 200,
      bytes: 300,
      elapsedMs: 4,
      body: { issuer: url, jwks_uri: jwksUri },
    }),
    fetchJwks: async (url): Promise<FetchOutcome> =>
      ++jwksCalls === 1
        ? { url, status: 503, elapsedMs: 4, failure: { kind: 'status', message: `${url} answered HTTP 503` } }
        : {
            url,
            status: 200,
            bytes: 300,
            elapsedMs: 4,
            body: { keys: [{ kty: 'RSA', kid: 'k1', use: 'sig', alg: 'RS256', n: 'x', e: 'AQAB' }] },
          },
  };
  const logged: [string, unknown][] = [];
  const check = createHandler({
    net,
    stackStatus: async () => 'CREATE_IN_PROGRESS',
    respond: async () => undefined,
    log: (message, details) => logged.push([message, details]),
    retryDelayMs: 1,
  });

  // WHEN
  await check({
    RequestType: 'Create',
    ServiceToken: 'arn',
    ResponseURL: 'https://cloudformation-custom-resource-response.example.com/x',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1',
    RequestId: 'request-1',
    LogicalResourceId: 'IssuerCheck',
    ResourceType: 'Custom::Wso2IssuerCheck',
    ResourceProperties: { ServiceToken: 'arn', Issuer: issuerUrl },
  });

  // THEN
  expect(logged).toContainEqual([
    'retried a fetch once',
    { url: jwksUri, firstFailure: `${jwksUri} answered HTTP 503`, rescued: true },
  ]);
});
