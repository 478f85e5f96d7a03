import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler, putResponse } from '../lambda/issuer-check/handler';
import type { FetchOutcome, IssuerNet } from '../doctor/net';

const ISSUER = 'https://is.example.com/oauth2/token';

/** A stand-in for CloudFormation's pre-signed response URL, on loopback. */
async function startResponseUrl(): Promise<{ url: string; received: () => Promise<{ request: IncomingMessage; body: Record<string, unknown> }>; server: Server }> {
  let deliver: (value: { request: IncomingMessage; body: Record<string, unknown> }) => void;
  const arrived = new Promise<{ request: IncomingMessage; body: Record<string, unknown> }>((resolve) => (deliver = resolve));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.end();
      deliver({ request, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/cfn-response?X-Amz-Signature=abc`, received: () => arrived, server };
}

function event(requestType: 'Create' | 'Update' | 'Delete', responseUrl: string, issuer: unknown = ISSUER): CloudFormationCustomResourceEvent {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Wso2JwtHttpApi-prod/1',
    RequestId: 'request-1',
    LogicalResourceId: 'IssuerCheckEC21F2EB',
    ResourceType: 'Custom::Wso2IssuerCheck',
    ResourceProperties: { ServiceToken: 'arn', Issuer: issuer, Audiences: ['client-a'] },
    ...(requestType !== 'Create' && { PhysicalResourceId: 'wso2-issuer-check' }),
    ...(requestType === 'Update' && { OldResourceProperties: { ServiceToken: 'arn', Issuer: ISSUER, Audiences: [] } }),
  } as CloudFormationCustomResourceEvent;
}

const ok = (url: string, body: unknown): FetchOutcome => ({ url, status: 200, bytes: 300, elapsedMs: 42, body });

/** A healthy public issuer; `change` breaks one piece. */
function fakeNet(change: Partial<IssuerNet> = {}): IssuerNet {
  return {
    lookup: async () => ({ addresses: ['203.0.113.10'] }),
    tlsTrust: async () => ({ reachable: true, trusted: true, subject: 'CN=is.example.com', issuer: 'CN=Public CA' }),
    fetchDiscovery: async (issuer) => ok(`${issuer}/.well-known/openid-configuration`, { issuer, jwks_uri: 'https://is.example.com/oauth2/jwks' }),
    fetchJwks: async (uri) => ok(uri, { keys: [{ kty: 'RSA', kid: 'k1', use: 'sig', alg: 'RS256', n: 'x', e: 'AQAB' }] }),
    ...change,
  };
}

describe('the deploy-time issuer check handler', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  async function run(requestType: 'Create' | 'Update' | 'Delete', net: IssuerNet, issuer?: unknown) {
    const cfn = await startResponseUrl();
    servers.push(cfn.server);
    const handler = createHandler({ net, respond: putResponse, log: () => undefined });
    await handler(event(requestType, cfn.url, issuer));
    return cfn.received();
  }

  test('a healthy issuer: SUCCESS, PUT with an empty content type as S3 pre-signed URLs require', async () => {
    // WHEN
    const { request, body } = await run('Create', fakeNet());

    // THEN
    expect(request.method).toBe('PUT');
    expect(request.headers['content-type']).toBe('');
    expect(body).toEqual({
      Status: 'SUCCESS',
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Wso2JwtHttpApi-prod/1',
      RequestId: 'request-1',
      LogicalResourceId: 'IssuerCheckEC21F2EB',
      PhysicalResourceId: 'wso2-issuer-check',
      Data: { Summary: 'passed' },
    });
  });

  test('a discovery issuer that differs: FAILED with the doctor\'s line, both values and the fix', async () => {
    // GIVEN discovery that names another issuer (a custom resident IdP entity id)
    const net = fakeNet({ fetchDiscovery: async (issuer) => ok(`${issuer}/.well-known/openid-configuration`, { issuer: 'https://is.example.com:9443/oauth2/token', jwks_uri: 'https://is.example.com/oauth2/jwks' }) });

    // WHEN
    const { body } = await run('Update', net);

    // THEN
    expect(body.Status).toBe('FAILED');
    expect(body.PhysicalResourceId).toBe('wso2-issuer-check');
    expect(body.Reason).toBe(
      'WSO2 issuer check failed for https://is.example.com/oauth2/token (npm run doctor -- -c env=<env> shows the same): ' +
        'fail discovery issuer: discovery says "https://is.example.com:9443/oauth2/token", configured "https://is.example.com/oauth2/token" ' +
        '(fix: make them equal: set issuerUrl in cdk.json to the discovery issuer, or change WSO2 IS: Identity Providers -> Resident -> Inbound Authentication Configuration -> OAuth2/OpenID Connect -> Identity Provider Entity Id)',
    );
  });

  test('a JWKS over the size limit fails the deploy', async () => {
    const net = fakeNet({ fetchJwks: async (url) => ({ url, status: 200, bytes: 150001, elapsedMs: 30, failure: { kind: 'too-large', message: 'more than 150000 bytes' } }) });
    const { body } = await run('Create', net);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain('fail JWKS: https://is.example.com/oauth2/jwks: more than 150000 bytes (fix: API Gateway reads at most 150000 bytes of JWKS');
  });

  test('Delete always succeeds, whatever the issuer does: a stack must stay removable', async () => {
    const net = fakeNet({ lookup: async () => ({ error: 'ENOTFOUND' }) });
    const { body } = await run('Delete', net);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'wso2-issuer-check' });
  });

  test('an unexpected error still answers CloudFormation, FAILED with the message', async () => {
    const net = fakeNet({ fetchDiscovery: async () => Promise.reject(new Error('boom')) });
    const { body } = await run('Create', net);
    expect(body).toMatchObject({ Status: 'FAILED', Reason: 'WSO2 issuer check could not run: boom' });
  });

  test('a non-string Issuer property is refused by name', async () => {
    const { body } = await run('Create', fakeNet(), 42);
    expect(body).toMatchObject({ Status: 'FAILED', Reason: 'WSO2 issuer check: property Issuer must be a string, got 42' });
  });
});
