import { rmSync } from 'node:fs';
import { type RunningGateway, startGateway } from '../../../tools/local-gateway/server';
import { writeMisbehavingAssembly } from '../../fixtures/misbehaving-assembly';

// API Gateway's answers for HTTP APIs (docs/local-tools.md, "Fidelity notes").
const FUNCTION_ERROR = { status: 500, body: { message: 'Internal Server Error' } };
const INTEGRATION_TIMEOUT = { status: 503, body: { message: 'Service Unavailable' } };

describe('functions run in isolated runtimes, like Lambda execution environments', () => {
  let outDir: string;
  let gateway: RunningGateway;
  const functionLines: string[] = [];
  const accessLines: { path: string; status: number; errorMessage?: string }[] = [];
  const order: string[] = [];

  beforeAll(async () => {
    outDir = writeMisbehavingAssembly({
      sleeps: { timeoutSeconds: 1 },
      oom: { memorySizeMb: 64, timeoutSeconds: 20 },
    });
    gateway = await startGateway({
      cdkOutDir: outDir,
      port: 0,
      runtimesPerFunction: 2,
      region: 'eu-west-1',
      accessLog: (entry) => {
        accessLines.push(entry);
        order.push(`access ${entry.path}`);
      },
      functionLog: (line) => {
        functionLines.push(line);
        order.push(`function ${line}`);
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  type Body = { pid: number; invocations: number; env: Record<string, string>; tz: string };
  const get = async (path: string) => {
    const response = await fetch(`${gateway.url}${path}`);
    return { status: response.status, body: (await response.json()) as Body };
  };

  test('a warm runtime is reused: module state survives between invocations', async () => {
    const first = await get('/ok');
    const second = await get('/ok');
    expect(first.status).toBe(200);
    expect(second.body.pid).toBe(first.body.pid);
    expect(second.body.invocations).toBe(first.body.invocations + 1);
    expect(first.body.pid).not.toBe(process.pid);
  });

  test.each(['throws', 'uncaught', 'unhandledRejection', 'exits'])(
    '%s: the request gets API Gateway 500 answer, the next request is served by a fresh runtime',
    async (name) => {
      expect(await get(`/${name}`)).toEqual(FUNCTION_ERROR);
      expect(await get(`/${name}`)).toEqual(FUNCTION_ERROR);
      expect((await get('/ok')).status).toBe(200);
    },
  );

  test('a crashed runtime is replaced: the next invocation runs in a new process', async () => {
    const before = await get('/pid');
    expect((await get('/pid')).body.pid).toBe(before.body.pid);
    expect(await get('/pid?exit')).toEqual(FUNCTION_ERROR);
    const line = accessLines.findLast((entry) => entry.path === '/pid');
    expect(line?.errorMessage).toBe('Runtime.ExitError: the runtime exited (exit status 3)');
    const after = await get('/pid');
    expect(after.status).toBe(200);
    expect(after.body.pid).not.toBe(before.body.pid);
  });

  test('out of memory beyond MemorySize is a function error, not a gateway crash', async () => {
    expect(await get('/oom')).toEqual(FUNCTION_ERROR);
    expect((await get('/ok')).status).toBe(200);
  }, 30_000);

  test('a handler sleeping past its Timeout gets the function error answer and blocks no one else', async () => {
    const started = Date.now();
    const sleeping = get('/sleeps');
    // Meanwhile another function answers at once.
    const other = await get('/ok');
    expect(other.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await sleeping).toEqual(FUNCTION_ERROR);
    const line = accessLines.findLast((entry) => entry.path === '/sleeps');
    expect(line?.errorMessage).toBe('Task timed out after 1.00 seconds');
  });

  test('only the template environment plus the variables Lambda defines', async () => {
    const { body } = await get('/env');
    expect(body.env).toMatchObject({
      FIXTURE_VARIABLE: 'from-the-template',
      AWS_LAMBDA_FUNCTION_NAME: 'EnvFunction',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      _HANDLER: 'index.env',
      TZ: ':UTC',
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: 'INFO',
    });
    expect(body.tz).toBe('UTC');
    // Nothing of the gateway's (or the test runner's) own environment, not even its IPC channel.
    expect(Object.keys(body.env).sort()).toEqual([
      'AWS_DEFAULT_REGION',
      'AWS_EXECUTION_ENV',
      'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_LAMBDA_FUNCTION_VERSION',
      'AWS_LAMBDA_INITIALIZATION_TYPE',
      'AWS_LAMBDA_LOG_FORMAT',
      'AWS_LAMBDA_LOG_GROUP_NAME',
      'AWS_LAMBDA_LOG_LEVEL',
      'AWS_LAMBDA_LOG_STREAM_NAME',
      'AWS_REGION',
      'FIXTURE_VARIABLE',
      'LAMBDA_TASK_ROOT',
      'LANG',
      'PATH',
      'TZ',
      '_HANDLER',
      '_X_AMZN_TRACE_ID',
    ]);
  });

  test(
    'each console call is one JSON line in Lambda format, under the access-log line, ' + 'filtered by level',
    async () => {
      const before = functionLines.length;
      expect((await get('/logs')).status).toBe(200);
      const lines = functionLines.slice(before).map((line) => JSON.parse(line));
      expect(lines).toHaveLength(3);
      const requestId = lines[0].requestId;
      expect(lines.map(({ level, message }) => [level, message])).toEqual([
        ['INFO', "one line { user: 'alice' }"],
        ['WARN', { structured: true }],
        ['ERROR', `failed Error: boom${lines[2].message.slice('failed Error: boom'.length)}`],
      ]);
      expect(lines[2]).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
      for (const line of lines) {
        expect(line.requestId).toBe(requestId);
        expect(Number.isNaN(Date.parse(line.timestamp))).toBe(false);
      }
      const accessIndex = order.lastIndexOf('access /logs');
      expect(order.slice(accessIndex + 1, accessIndex + 4).every((entry) => entry.startsWith('function '))).toBe(true);
    },
  );

  test('several invocations at once are served by several runtimes (up to the cap)', async () => {
    const answers = await Promise.all([get('/ok'), get('/ok'), get('/ok'), get('/ok')]);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const pids = new Set(answers.map((answer) => answer.body.pid));
    expect(pids.size).toBeGreaterThanOrEqual(1);
    expect(pids.size).toBeLessThanOrEqual(2);
  });
});

describe('an integration that outlasts its TimeoutInMillis', () => {
  test('gets API Gateway 503 while the function keeps its own Timeout', async () => {
    const outDir = writeMisbehavingAssembly({ sleeps: { timeoutSeconds: 5, integrationTimeoutMs: 300 } });
    const gateway = await startGateway({ cdkOutDir: outDir, port: 0, accessLog: () => undefined });
    try {
      const response = await fetch(`${gateway.url}/sleeps`);
      expect({ status: response.status, body: await response.json() }).toEqual(INTEGRATION_TIMEOUT);
    } finally {
      await gateway.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
