/**
 * The published surface, proven: `npm pack` (which builds through `prepack`), the tarball installed
 * into a throwaway CDK app outside the repository, offline, with the peer dependencies satisfied by
 * this repository's own aws-cdk-lib and constructs; the app, written in TypeScript against the
 * package's declarations, is compiled and synthesized without esbuild on its PATH.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { externalModulesOf } from '../../lib/bundled-function';

const ROOT = realpathSync(join(__dirname, '..', '..'));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string };
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const ISSUER = 'https://is.example.com/t/acme.com/oauth2/token';
const ASGARDEO_ISSUER = 'https://api.asgardeo.io/t/acme/oauth2/token';

/** What a team writes: the construct in front of its own function, and the package's reference stack. */
const CONSUMER_APP = `
import { App, Stack } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { issuerUrlForAsgardeo, issuerUrlForWso2, Wso2JwtApiStack, Wso2JwtHttpApi } from '${PACKAGE.name}';
import type { Wso2JwtHttpApiProps } from '${PACKAGE.name}';

// aws-cdk-lib's CloudFormation schema validation costs seconds; the snapshot test runs it on this construct.
const app = new App({ outdir: 'cdk.out', builtinCloudFormationValidation: false });
const stack = new Stack(app, 'OrdersApi');
const handler = new LambdaFunction(stack, 'Orders', {
  runtime: Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
});
new Wso2JwtHttpApi(stack, 'Api', {
  issuerUrl: issuerUrlForWso2({ host: 'is.example.com', tenant: 'acme.com' }),
  audiences: ['orders-client'],
  handler,
  routes: [
    { method: HttpMethod.GET, path: '/orders' },
    { method: HttpMethod.POST, path: '/orders', scopes: ['orders:write'] },
    { method: HttpMethod.GET, path: '/health', public: true },
  ],
});

// The package's own functions (the demo API and the deploy-time issuer check) come pre-bundled.
new Wso2JwtApiStack(app, 'Reference', {
  issuerUrl: issuerUrlForAsgardeo({ org: 'acme' }),
  audiences: ['reference-client'],
  // Its own route table: the default one may name backends that only this repository's cdk.json configures.
  routes: [{ method: HttpMethod.GET, path: '/hello' }],
  logRetentionDays: 7,
  alarms: { periodMinutes: 5, api5xxErrors: 1, lambdaErrors: 1, lambdaThrottles: 1, authRejections: 100 },
});

// @ts-expect-error the declarations type the props: a route without a method does not compile
export const untyped: Wso2JwtHttpApiProps['routes'] = [{ path: '/orders' }];
app.synth();
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    // aws-cdk-lib's own declarations need @types/node, which this app does not install.
    skipLibCheck: true,
    types: [],
    outDir: 'build',
  },
  files: ['app.ts', 'docs-example.ts'],
};

/** docs/library.md's ten lines: compiled with the app (not run: its entry file is the reader's). */
function docsExample(): string {
  const page = readFileSync(join(ROOT, 'docs', 'library.md'), 'utf8');
  const block = /## The ten lines\s+```ts\n([\s\S]*?)```/.exec(page);
  if (!block) throw new Error('docs/library.md has no ```ts block under "## The ten lines"');
  return block[1];
}

let work: string;
let appDir: string;
let installed: string;
let tarball: string;
const templates: Record<string, Template> = {};
const rawTemplates: Record<
  string,
  { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }
> = {};

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(
      `${[command, ...args].join(' ')} (in ${cwd}) exited ${result.status ?? result.signal}:\n` +
        `${result.stdout}\n${result.stderr}`.trim(),
    );
  }
  return result.stdout;
}

/** No node_modules/.bin on the PATH: the consumer's synth cannot fall back on this repository's esbuild. */
function pathWithoutPackageBins(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes('node_modules'))
    .join(delimiter);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'wso2-jwt-packed-'));
  const packDir = join(work, 'pack');
  appDir = join(work, 'app');
  mkdirSync(packDir);
  mkdirSync(appDir);
  const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };

  run('npm', ['pack', '--pack-destination', packDir], ROOT, npmEnv);
  const packed = readdirSync(packDir).filter((file) => file.endsWith('.tgz'));
  expect(packed).toHaveLength(1);
  tarball = join(packDir, packed[0]);

  // The peers come from this repository's node_modules: no registry, and one copy of each, so
  // the consumer's constructs and the package's are the same classes.
  const peers = Object.fromEntries(
    ['aws-cdk-lib', 'constructs'].map((name) => [name, `file:${realpathSync(join(ROOT, 'node_modules', name))}`]),
  );
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, dependencies: peers }, null, 2),
  );
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], appDir, npmEnv);
  installed = join(appDir, 'node_modules', PACKAGE.name);

  writeFileSync(join(appDir, 'app.ts'), CONSUMER_APP);
  writeFileSync(join(appDir, 'docs-example.ts'), docsExample());
  writeFileSync(join(appDir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
  run(process.execPath, [TSC, '-p', '.'], appDir);
  run(process.execPath, [join('build', 'app.js')], appDir, { ...process.env, PATH: pathWithoutPackageBins() });

  for (const stack of ['OrdersApi', 'Reference']) {
    const json = JSON.parse(readFileSync(join(appDir, 'cdk.out', `${stack}.template.json`), 'utf8'));
    rawTemplates[stack] = json;
    templates[stack] = Template.fromJSON(json);
  }
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('is installed outside the repository', () => {
    expect(relative(ROOT, work).startsWith('..')).toBe(true);
  });

  it('ships the entry point, its declarations and the pre-bundled Lambda code, not the sources', () => {
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' }).map((file) =>
      file.split('\\').join('/'),
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/lib/wso2-jwt-http-api.d.ts',
        'dist/lambda/api/index.js',
        'dist/lambda/issuer-check/index.js',
        'package.json',
      ]),
    );
    const typescriptSources = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
    expect(typescriptSources).toEqual([]);
    expect(files.filter((file) => /^(test|tools|bin|lambda|lib|rules)\//.test(file))).toEqual([]);
  });

  it('brings no copy of its peers: the app has one aws-cdk-lib and one constructs, and no esbuild', () => {
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    expect(readdirSync(join(appDir, 'node_modules')).sort()).toEqual(
      ['.package-lock.json', 'aws-cdk-lib', 'constructs', PACKAGE.name].sort(),
    );
  });
});

describe('a CDK app using the installed construct', () => {
  it("compiles, with docs/library.md's ten lines, against the shipped declarations", () => {
    // tsc exited 0 in beforeAll (a type error or an unused @ts-expect-error would have failed it).
    expect(existsSync(join(appDir, 'build', 'docs-example.js'))).toBe(true);
    expect(existsSync(join(appDir, 'build', 'app.js'))).toBe(true);
  });

  it('has one JWT authorizer for the WSO2 issuer and the app audience', () => {
    const template = templates.OrdersApi;
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: ['orders-client'] },
    });
  });

  it('has the routes of its table, protected ones behind the authorizer with their scopes', () => {
    const template = templates.OrdersApi;
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 3);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /orders',
      AuthorizationType: 'JWT',
      AuthorizerId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /orders',
      AuthorizationType: 'JWT',
      AuthorizationScopes: ['orders:write'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'NONE' });
  });

  it("integrates the team's own function, which the package leaves as it was given", () => {
    const template = templates.OrdersApi;
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Code: { ZipFile: Match.stringLikeRegexp('statusCode: 200') },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });
});

describe("the package's own Lambda code, from the installed package", () => {
  it('deploys the demo API function and the issuer check from the bundles the package ships', () => {
    const template = templates.Reference;
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: ASGARDEO_ISSUER, Audience: ['reference-client'] },
    });
    template.hasResourceProperties('Custom::Wso2IssuerCheck', { Issuer: ASGARDEO_ISSUER });
    const functions = Object.values(rawTemplates.Reference.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
      });
    }
  });

  it('stages each bundle as shipped, self-contained: its handler loads with no node_modules to resolve from', () => {
    const assets = readdirSync(join(appDir, 'cdk.out')).filter((entry) => entry.startsWith('asset.'));
    expect(assets).toHaveLength(2);
    for (const folder of ['api', 'issuer-check']) {
      const shipped = readFileSync(join(installed, 'dist', 'lambda', folder, 'index.js'), 'utf8');
      const asset = assets.find(
        (entry) => readFileSync(join(appDir, 'cdk.out', entry, 'index.js'), 'utf8') === shipped,
      );
      expect(asset).toBeDefined();
      // Loaded from a folder with no node_modules above it: anything not bundled would not resolve,
      // but for what the nodejs24.x runtime provides (LAMBDA_EXTERNAL_MODULES), stubbed here.
      const bare = join(work, `bare-${folder}`);
      mkdirSync(bare);
      for (const external of externalModulesOf(folder)) {
        mkdirSync(join(bare, 'node_modules', external), { recursive: true });
        writeFileSync(join(bare, 'node_modules', external, 'index.js'), 'module.exports = {};\n');
      }
      copyFileSync(join(appDir, 'cdk.out', String(asset), 'index.js'), join(bare, 'index.js'));
      const loaded = run(process.execPath, ['-e', "process.stdout.write(typeof require('./index.js').handler)"], bare);
      expect(loaded).toBe('function');
    }
  });
});
