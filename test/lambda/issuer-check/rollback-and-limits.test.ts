import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { generateKeyPairSync } from 'node:crypto';
import { createHandler, type IssuerCheckDeps, putResponse } from '../../../lambda/issuer-check/handler';
import { MAX_RESPONSE_BYTES } from '../../../lambda/issuer-check/response-size';
import { createStackStatusReader } from '../../../lambda/issuer-check/stack-status';
import { createIssuerNet } from '../../../rules/issuer/issuer-net';
import type { IssuerNet } from '../../../rules/issuer/net';
import {
  type Answer,
  type LoopbackCloudFormation,
  type LoopbackIssuer,
  type ResponseUrl,
  startLoopbackCloudFormation,
  startLoopbackIssuer,
  startResponseUrl,
} from './loopback-servers';
import { testRsaKeyPair } from '../../support/test-keys';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Wso2JwtHttpApi-prod/5f1e-7a2b';
const rsaJwk = {
  ...testRsaKeyPair().publicKey.export({ format: 'jwk' }),
  kid: 'rsa-1',
  use: 'sig',
  alg: 'RS256',
};
const ecJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
/** 1 RSA + 120 EC keys: about 20 KB, far within API Gateway's 150,000 bytes. */
const JWKS_121 = {
  keys: [rsaJwk, ...Array.from({ length: 120 }, (_, index) => ({ ...ecJwk, kid: `ec-${index}`, alg: 'ES256' }))],
};

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  responseUrl: string,
  issuer: string,
): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
    ResponseURL: responseUrl,
    StackId: STACK_ID,
    RequestId: 'c7d1e3a0-request',
    LogicalResourceId: 'IssuerCheckResource4A1B2C3D',
    ResourceType: 'Custom::Wso2IssuerCheck',
    ResourceProperties: { ServiceToken: 'arn', Issuer: issuer, Audiences: ['client-a'] },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' };
  if (requestType === 'Delete') return { ...common, RequestType: 'Delete', PhysicalResourceId: 'wso2-issuer-check' };
  // On a rollback CloudFormation sends the old values as ResourceProperties, the failed new ones as Old.
  return {
    ...common,
    RequestType: 'Update',
    PhysicalResourceId: 'wso2-issuer-check',
    OldResourceProperties: { ServiceToken: 'arn', Issuer: 'https://new-is.example.com/oauth2/token', Audiences: [] },
  };
}

describe('the deploy-time issuer check, driven by CloudFormation-shaped events against loopback servers', () => {
  let issuer: LoopbackIssuer;
  let cfnResponse: ResponseUrl;
  const cloudFormations: LoopbackCloudFormation[] = [];

  beforeEach(async () => {
    issuer = await startLoopbackIssuer();
    cfnResponse = await startResponseUrl();
  });
  afterEach(async () => {
    await Promise.all([issuer.close(), cfnResponse.close(), ...cloudFormations.map((cfn) => cfn.close())]);
    cloudFormations.length = 0;
  });

  /** The real stack-status reader (AWS SDK), pointed at a loopback DescribeStacks. */
  async function stackIn(
    status: string,
  ): Promise<{ deps: Pick<IssuerCheckDeps, 'stackStatus'>; cfn: LoopbackCloudFormation }> {
    const cfn = await startLoopbackCloudFormation(status);
    cloudFormations.push(cfn);
    const stackStatus = createStackStatusReader({
      endpoint: cfn.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
    });
    return { deps: { stackStatus }, cfn };
  }

  /** The real fetchers on loopback; only loopback and the self-signed certificate are let past (still failing). */
  async function run(
    requestType: 'Create' | 'Update' | 'Delete',
    issuerUrl: string,
    stackStatus: IssuerCheckDeps['stackStatus'],
    net: IssuerNet = createIssuerNet({ extraCa: issuer.certPem }),
  ) {
    const logs: string[] = [];
    const handler = createHandler({
      net,
      stackStatus,
      respond: putResponse,
      log: (message) => logs.push(message),
      localOnly: { allowPrivate: true, extraCa: true },
      retryDelayMs: 10,
    });
    await handler(event(requestType, cfnResponse.url, issuerUrl));
    return { ...(await cfnResponse.received()), logs };
  }

  function healthyIssuer(issuerPath: string, jwks: unknown): string {
    const issuerUrl = `${issuer.origin}${issuerPath}`;
    issuer.routes = {
      [`${issuerPath}/.well-known/openid-configuration`]: {
        status: 200,
        body: { issuer: issuerUrl, jwks_uri: `${issuer.origin}/oauth2/jwks` },
      },
      '/oauth2/jwks': { status: 200, body: jwks },
    };
    return issuerUrl;
  }

  const failedChecks = (reason: unknown) =>
    String(reason)
      .split(' | ')
      .map((part) => part.replace(/^.*?: (?=fail |warn )/, '').split(':')[0]);

  test('Create against a broken issuer (no discovery document): FAILED, stops the deploy', async () => {
    // GIVEN an issuer answering 404 for discovery, as WSO2 IS before 5.8
    const issuerUrl = `${issuer.origin}/oauth2/token`;
    const { cfn, deps } = await stackIn('CREATE_IN_PROGRESS');

    // WHEN
    const { body } = await run('Create', issuerUrl, deps.stackStatus);

    // THEN FAILED with the discovery line, and no need to ask for the stack's status
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toContain(
      `fail discovery: ${issuerUrl}/.well-known/openid-configuration: ` +
        `${issuerUrl}/.well-known/openid-configuration answered HTTP 404, expected 200`,
    );
    expect(cfn.requests).toHaveLength(0);
  });

  test(
    'an ordinary Update to a broken issuer: FAILED, ' + 'after reading the stack status (UPDATE_IN_PROGRESS)',
    async () => {
      const issuerUrl = `${issuer.origin}/oauth2/token`;
      const { cfn, deps } = await stackIn('UPDATE_IN_PROGRESS');

      const { body } = await run('Update', issuerUrl, deps.stackStatus);

      expect(body.Status).toBe('FAILED');
      expect(failedChecks(body.Reason)).toEqual(['fail issuer host', 'fail issuer TLS', 'fail discovery']);
      // DescribeStacks on exactly this stack, by its id
      expect(cfn.requests.map((form) => [form.get('Action'), form.get('StackName')])).toEqual([
        ['DescribeStacks', STACK_ID],
      ]);
    },
  );

  test('an Update during a rollback (old issuer retired): SUCCESS with the finding as a warning', async () => {
    // GIVEN the old issuer, sent back by CloudFormation's rollback, is gone (discovery 404)
    const issuerUrl = `${issuer.origin}/oauth2/token`;
    const { cfn, deps } = await stackIn('UPDATE_ROLLBACK_IN_PROGRESS');

    // WHEN
    const { body } = await run('Update', issuerUrl, deps.stackStatus);

    // THEN the rollback goes on; the finding is kept, named as not blocking
    expect(body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'wso2-issuer-check' });
    expect(body.Reason).toBeUndefined();
    expect((body.Data as { Summary: string }).Summary).toMatch(
      new RegExp(
        '^not blocking UPDATE_ROLLBACK_IN_PROGRESS: WSO2 issuer check failed for ' +
          'https://127\\.0\\.0\\.1:\\d+/oauth2/token .*fail discovery: ',
      ),
    );
    expect(cfn.requests).toHaveLength(1);
  });

  test('an Update whose stack status cannot be read stays FAILED, and says why', async () => {
    const issuerUrl = `${issuer.origin}/oauth2/token`;
    const { body } = await run('Update', issuerUrl, async () => {
      throw new Error('User is not authorized to perform: cloudformation:DescribeStacks');
    });
    expect(body.Status).toBe('FAILED');
    expect(String(body.Reason)).toMatch(
      new RegExp(
        "\\| \\(could not read the stack's status to tell a rollback: " +
          'User is not authorized to perform: cloudformation:DescribeStacks\\)$',
      ),
    );
  });

  test('Delete never touches the network: no issuer request, no DescribeStacks, SUCCESS', async () => {
    // GIVEN a broken issuer and a stack being deleted
    const issuerUrl = `${issuer.origin}/oauth2/token`;
    const { cfn, deps } = await stackIn('DELETE_IN_PROGRESS');
    const touched: string[] = [];
    const touch = <T>(what: string, value: T): T => {
      touched.push(what);
      return value;
    };
    const spyNet: IssuerNet = {
      lookup: async (host) => touch(`lookup ${host}`, { error: 'ENOTFOUND' }),
      tlsTrust: async (url) => touch(`tls ${url}`, { reachable: false, trusted: false }),
      fetchDiscovery: async (url) => touch(`discovery ${url}`, { url, elapsedMs: 0 }),
      fetchJwks: async (url) => touch(`jwks ${url}`, { url, elapsedMs: 0 }),
    };

    // WHEN
    const { body } = await run('Delete', issuerUrl, deps.stackStatus, spyNet);

    // THEN
    expect(body).toEqual({
      Status: 'SUCCESS',
      StackId: STACK_ID,
      RequestId: 'c7d1e3a0-request',
      LogicalResourceId: 'IssuerCheckResource4A1B2C3D',
      PhysicalResourceId: 'wso2-issuer-check',
    });
    expect(touched).toEqual([]);
    expect(issuer.requests).toEqual([]);
    expect(cfn.requests).toEqual([]);
  });

  test('a JWKS of 1 RSA + 120 EC keys: the response stays within 4,096 bytes, failures kept whole first', async () => {
    // GIVEN the 20 KB JWKS the issue measured at a 4,379-byte response
    const issuerUrl = healthyIssuer('/oauth2/token', JWKS_121);
    expect(Buffer.byteLength(JSON.stringify(JWKS_121))).toBeGreaterThan(15000);

    // WHEN
    const { raw, body } = await run('Create', issuerUrl, async () => 'CREATE_IN_PROGRESS');

    // THEN the bytes sent fit; the three local-only failures come first and whole
    expect(raw.length).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(body.Status).toBe('FAILED');
    const parts = String(body.Reason).split(' | ');
    expect(failedChecks(body.Reason).slice(0, 3)).toEqual(['fail issuer host', 'fail issuer TLS', 'fail JWKS TLS']);
    expect(parts.slice(0, 3).every((part) => part.includes('(fix: '))).toBe(true);
  });

  /**
   * As in AWS: the issuer has a public name (is.example.com) and a trusted certificate; the
   * fetches really go over HTTPS to the loopback issuer, as if public DNS pointed there.
   */
  function publicNet(): IssuerNet {
    const real = createIssuerNet({ extraCa: issuer.certPem });
    const toLoopback = (url: string) => url.replace('//is.example.com:', '//127.0.0.1:');
    return {
      lookup: async () => ({ addresses: ['93.184.215.14'] }),
      tlsTrust: async () => ({ reachable: true, trusted: true, subject: 'CN=is.example.com', issuer: 'CN=Public CA' }),
      fetchDiscovery: (url) => real.fetchDiscovery(toLoopback(url)),
      fetchJwks: (url) => real.fetchJwks(toLoopback(url)),
    };
  }

  function publicIssuer(issuerPath: string, jwks: Answer | (() => Answer), discoveryIssuer?: string): string {
    const port = new URL(issuer.origin).port;
    const issuerUrl = `https://is.example.com:${port}${issuerPath}`;
    issuer.routes = {
      [`${issuerPath}/.well-known/openid-configuration`]: {
        status: 200,
        body: { issuer: discoveryIssuer ?? issuerUrl, jwks_uri: `https://is.example.com:${port}/oauth2/jwks` },
      },
      '/oauth2/jwks': jwks,
    };
    return issuerUrl;
  }

  test('the same JWKS on a healthy issuer: SUCCESS, and its warning Data also fits in 4,096 bytes', async () => {
    const issuerUrl = publicIssuer('/oauth2/token', { status: 200, body: JWKS_121 });

    const { raw, body } = await run('Create', issuerUrl, async () => 'CREATE_IN_PROGRESS', publicNet());

    expect(raw.length).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(body.Status).toBe('SUCCESS');
    const summary = (body.Data as { Summary: string }).Summary;
    expect(summary).toMatch(
      /^passed with warnings: warn JWKS keys: 1 RSA signing key\(s\) with kid: rsa-1; ignored by API Gateway: /,
    );
    expect(summary.endsWith('...')).toBe(true);
  });

  test('a non-ASCII issuer: the response is measured in bytes after JSON encoding, at most 4,096', async () => {
    // GIVEN a tenant name in Japanese (3 bytes a character) and discovery naming another issuer
    const tenant = 'テナント'.repeat(200);
    const issuerUrl = publicIssuer(
      `/t/${tenant}/oauth2/token`,
      { status: 200, body: { keys: [rsaJwk] } },
      'https://elsewhere.example.com/oauth2/token',
    );
    const naive = JSON.stringify({
      Status: 'FAILED',
      Reason:
        `WSO2 issuer check failed for ${issuerUrl} (npm run doctor -- -c env=<env> shows the same): ` +
        `fail discovery issuer: discovery says "https://elsewhere.example.com/oauth2/token", configured "${issuerUrl}"`,
      StackId: STACK_ID,
    });
    // fewer than 4,096 characters, more than 4,096 bytes: a cut by characters would not help
    expect(naive.length).toBeLessThan(MAX_RESPONSE_BYTES);
    expect(Buffer.byteLength(naive)).toBeGreaterThan(MAX_RESPONSE_BYTES);

    // WHEN
    const { raw, body } = await run('Create', issuerUrl, async () => 'CREATE_IN_PROGRESS', publicNet());

    // THEN cut on a character boundary, the failing check named first
    expect(raw.length).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(raw.length).toBeGreaterThan(MAX_RESPONSE_BYTES - 8);
    expect(body.Status).toBe('FAILED');
    expect(String(body.Reason)).toContain(
      `(npm run doctor -- -c env=<env> shows the same): fail discovery issuer: ` +
        `discovery says "https://elsewhere.example.com/oauth2/token", configured "https://is.example.com:`,
    );
    expect(String(body.Reason).endsWith('...')).toBe(true);
    expect(String(body.Reason)).not.toContain('\uFFFD');
  });

  test('one retry rescues a JWKS that answered 503 once: SUCCESS, with the retry as a warning', async () => {
    // GIVEN a JWKS whose first answer is a 503 (a node restarting behind the load balancer)
    let calls = 0;
    const issuerUrl = publicIssuer('/oauth2/token', () =>
      ++calls === 1 ? { status: 503, body: { error: 'unavailable' } } : { status: 200, body: { keys: [rsaJwk] } },
    );

    // WHEN
    const { body } = await run('Create', issuerUrl, async () => 'CREATE_IN_PROGRESS', publicNet());

    // THEN
    expect(issuer.requests.filter((path) => path === '/oauth2/jwks')).toHaveLength(2);
    expect(body.Status).toBe('SUCCESS');
    const jwks = `https://127.0.0.1:${new URL(issuer.origin).port}/oauth2/jwks`;
    expect(body.Data).toEqual({
      Summary:
        `passed with warnings: warn retried ${jwks} once (the retry answered): ` +
        `first attempt: ${jwks} answered HTTP 503, expected 200`,
    });
  });

  test('only one retry, and none for a 4xx: a JWKS that keeps failing still fails the deploy', async () => {
    const issuerUrl = publicIssuer('/oauth2/token', { status: 502, body: {} });
    const { body } = await run('Create', issuerUrl, async () => 'CREATE_IN_PROGRESS', publicNet());
    expect(issuer.requests.filter((path) => path === '/oauth2/jwks')).toHaveLength(2);
    expect(body.Status).toBe('FAILED');
    expect(String(body.Reason)).toContain('the retry failed too');

    issuer.requests.length = 0;
    const notFound = publicIssuer('/oauth2/token', { status: 404, body: {} });
    const second = await startResponseUrl();
    try {
      const handler = createHandler({
        net: publicNet(),
        stackStatus: async () => 'CREATE_IN_PROGRESS',
        respond: putResponse,
        log: () => undefined,
        retryDelayMs: 10,
      });
      await handler(event('Create', second.url, notFound));
      expect((await second.received()).body.Status).toBe('FAILED');
      expect(issuer.requests.filter((path) => path === '/oauth2/jwks')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
