import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler, putResponse } from '../../../lambda/issuer-check/handler';
import { createIssuerNet } from '../../../rules/issuer/issuer-net';
import type { IssuerNet } from '../../../rules/issuer/net';
import { startMisbehavingIdp, type MisbehavingIdp } from '../../support/misbehaving-idp';
import { fakeNet, ok } from '../../support/fake-issuer-net';

const ISSUER = 'https://is.example.com/oauth2/token';

/** A stand-in for CloudFormation's pre-signed response URL, on loopback. */
async function startResponseUrl(): Promise<{
  url: string;
  received: () => Promise<{ request: IncomingMessage; body: Record<string, unknown> }>;
  server: Server;
}> {
  let deliver: (value: { request: IncomingMessage; body: Record<string, unknown> }) => void;
  const arrived = new Promise<{ request: IncomingMessage; body: Record<string, unknown> }>(
    (resolve) => (deliver = resolve),
  );
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

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  responseUrl: string,
  issuer: unknown = ISSUER,
): CloudFormationCustomResourceEvent {
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

describe('the deploy-time issuer check handler', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  async function run(requestType: 'Create' | 'Update' | 'Delete', net: IssuerNet, issuer?: unknown) {
    const cfn = await startResponseUrl();
    servers.push(cfn.server);
    const handler = createHandler({
      net,
      stackStatus: async () => 'UPDATE_IN_PROGRESS',
      respond: putResponse,
      log: () => undefined,
    });
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

  test("a discovery issuer that differs: FAILED with the doctor's line, both values and the fix", async () => {
    // GIVEN discovery that names another issuer (a custom resident IdP entity id)
    const net = fakeNet({
      fetchDiscovery: async (issuer) =>
        ok(`${issuer}/.well-known/openid-configuration`, {
          issuer: 'https://is.example.com:9443/oauth2/token',
          jwks_uri: 'https://is.example.com/oauth2/jwks',
        }),
    });

    // WHEN
    const { body } = await run('Update', net);

    // THEN
    expect(body.Status).toBe('FAILED');
    expect(body.PhysicalResourceId).toBe('wso2-issuer-check');
    expect(body.Reason).toBe(
      'WSO2 issuer check failed for https://is.example.com/oauth2/token (npm run doctor -- -c env=<env> shows the ' +
        'same): ' +
        'fail discovery issuer: discovery says "https://is.example.com:9443/oauth2/token", configured ' +
        '"https://is.example.com/oauth2/token" ' +
        '(fix: make them equal: set issuerUrl in cdk.json to the discovery issuer, or change WSO2 IS: Identity ' +
        'Providers -> Resident -> Inbound Authentication Configuration -> OAuth2/OpenID Connect -> Identity ' +
        'Provider Entity Id)',
    );
  });

  test('a JWKS over the size limit fails the deploy', async () => {
    const net = fakeNet({
      fetchJwks: async (url) => ({
        url,
        status: 200,
        bytes: 150001,
        elapsedMs: 30,
        failure: { kind: 'too-large', message: 'more than 150000 bytes' },
      }),
    });
    const { body } = await run('Create', net);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(
      'fail JWKS: https://is.example.com/oauth2/jwks: more than 150000 bytes (fix: API Gateway reads at most 150000 ' +
        'bytes of JWKS',
    );
  });

  test('Delete always succeeds, whatever the issuer does: a stack must stay removable', async () => {
    const net = fakeNet({ lookup: async () => ({ error: 'ENOTFOUND' }) });
    const { body } = await run('Delete', net);
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'wso2-issuer-check' });
  });

  test("Update and Delete answer with the resource's own physical id: a new one means a replacement", async () => {
    const cfn = await startResponseUrl();
    servers.push(cfn.server);
    const handler = createHandler({
      net: fakeNet(),
      stackStatus: async () => 'DELETE_IN_PROGRESS',
      respond: putResponse,
      log: () => undefined,
    });
    await handler({
      ...event('Delete', cfn.url),
      PhysicalResourceId: 'issuer-check-v1',
    } as CloudFormationCustomResourceEvent);
    expect((await cfn.received()).body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'issuer-check-v1' });
  });

  test('an unexpected error still answers CloudFormation, FAILED with the message', async () => {
    const net = fakeNet({ fetchDiscovery: async () => Promise.reject(new Error('boom')) });
    const { body } = await run('Create', net);
    expect(body).toMatchObject({ Status: 'FAILED', Reason: 'WSO2 issuer check could not run: boom' });
  });

  test("a private issuer host fails without the doctor's flag hints, which mean nothing in AWS", async () => {
    // GIVEN a public-looking name that resolves to a private address
    const net = fakeNet({ lookup: async () => ({ addresses: ['10.0.0.5'] }) });
    const { body } = await run('Create', net);
    expect(body.Reason).toContain(
      'fail issuer host: is.example.com resolves to 10.0.0.5, loopback or private: API Gateway cannot reach it (fix: ',
    );
    expect(body.Reason).not.toContain('--allow-private');
  });

  test('a non-string Issuer property is refused by name', async () => {
    const { body } = await run('Create', fakeNet(), 42);
    expect(body).toMatchObject({
      Status: 'FAILED',
      Reason: 'WSO2 issuer check: property Issuer must be a string, got 42',
    });
  });

  describe('against a misbehaving issuer on loopback, with the real fetchers', () => {
    async function runAgainst(setUp: (idp: MisbehavingIdp) => void) {
      const idp = await startMisbehavingIdp();
      try {
        setUp(idp);
        const cfn = await startResponseUrl();
        servers.push(cfn.server);
        const handler = createHandler({
          net: createIssuerNet({ extraCa: idp.certPem }),
          stackStatus: async () => 'CREATE_IN_PROGRESS',
          respond: putResponse,
          log: () => undefined,
          localOnly: { allowPrivate: true, extraCa: true },
        });
        await handler(event('Create', cfn.url, idp.issuer));
        return { idp, ...(await cfn.received()) };
      } finally {
        await idp.close();
      }
    }

    test('a discovery document naming another issuer fails the deploy with both values', async () => {
      const { idp, body } = await runAgainst((server) => {
        server.faults = { discoveryIssuer: 'https://localhost:9443/oauth2/token' };
      });
      expect(body.Status).toBe('FAILED');
      expect(body.Reason).toContain(
        `fail discovery issuer: discovery says "https://localhost:9443/oauth2/token", configured "${idp.issuer}"`,
      );
    });

    test('a JWKS slower than 1500 ms fails the deploy, within bounded time', async () => {
      const started = Date.now();
      const { idp, body } = await runAgainst((server) => {
        server.faults = { jwksDelayMs: 6000 };
      });
      expect(body.Status).toBe('FAILED');
      expect(body.Reason).toContain(
        `fail JWKS: https://127.0.0.1:${idp.port}/oauth2/jwks: https://127.0.0.1:${idp.port}/oauth2/jwks did not ` +
          `answer completely within 1500 ms (API Gateway's limit)`,
      );
      expect(Date.now() - started).toBeLessThan(4500);
    });

    test('a healthy issuer passes every check that does not depend on being in AWS', async () => {
      const { body } = await runAgainst(() => undefined);
      // Loopback and self-signed are the only failures: both are about being local.
      expect(body.Status).toBe('FAILED');
      const failed = String(body.Reason)
        .split(' | ')
        .map((part) => part.replace(/^WSO2 issuer check failed for .*?: /, '').split(':')[0]);
      expect(failed).toEqual(['fail issuer host', 'fail issuer TLS', 'fail JWKS TLS']);
    });
  });
});
