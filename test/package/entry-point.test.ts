import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as entryPoint from '../../lib';
import {
  bundledFunctionProps,
  hasLambdaFunction,
  lambdaBundleOptions,
  lambdaCodeLocation,
} from '../../lib/bundled-function';
import { issuerUrlForAsgardeo, issuerUrlForWso2 } from '../../lib/issuer-urls';
import { functionFolders } from '../../tools/build/build-package';
import { testAppOutdir } from '../support/synth';
import { testTempDir } from '../support/temp-dir';

describe('the entry point', () => {
  // The published surface: removing a name breaks every app that imports it.
  it('exports the construct, the issuer helpers, the issuer check and the reference stack', () => {
    expect(Object.keys(entryPoint).sort()).toEqual(
      [
        'API_ROUTES',
        'ASGARDEO_HOST',
        'ApiAlarms',
        'DEFAULT_IDENTITY_HEADERS',
        'DEFAULT_ISSUER',
        'DEFAULT_TARGET_NAME',
        'Wso2JwtHttpApiError',
        'ISSUER_CHECK_RESOURCE_TYPE',
        'IssuerCheck',
        'Wso2JwtApiStack',
        'Wso2JwtHttpApi',
        'asgardeoIssuerUrl',
        'issuerUrlForAsgardeo',
        'issuerUrlForWso2',
        'wso2IssuerUrl',
      ].sort(),
    );
  });
});

describe('issuerUrlForWso2', () => {
  it.each<[Parameters<typeof issuerUrlForWso2>[0], string]>([
    [{ host: 'is.example.com' }, 'https://is.example.com/oauth2/token'],
    [{ host: 'is.example.com', port: 443, tenant: 'carbon.super' }, 'https://is.example.com/oauth2/token'],
    [{ host: 'IS.example.com', port: 9443, tenant: 'acme.com' }, 'https://is.example.com:9443/t/acme.com/oauth2/token'],
  ])('builds the issuer of %j', (settings, url) => {
    expect(issuerUrlForWso2(settings)).toBe(url);
  });

  it('names the bad field and its value', () => {
    expect(() => issuerUrlForWso2({ host: 'is.example.com', port: 0 })).toThrow(
      new Error('issuerUrlForWso2: port must be an integer from 1 to 65535, got 0'),
    );
    expect(() => issuerUrlForWso2({ host: 'https://is.example.com' })).toThrow(
      new Error(
        'issuerUrlForWso2: host must be a host name such as "is.example.com" (no scheme, port or path), ' +
          'got "https://is.example.com"',
      ),
    );
  });
});

describe('issuerUrlForAsgardeo', () => {
  it("builds the organization's issuer", () => {
    expect(issuerUrlForAsgardeo({ org: 'acme' })).toBe('https://api.asgardeo.io/t/acme/oauth2/token');
  });

  it('names the bad organization', () => {
    expect(() => issuerUrlForAsgardeo({ org: 'acme/evil' })).toThrow(
      new Error('issuerUrlForAsgardeo: org must be an Asgardeo organization name such as "acme", got "acme/evil"'),
    );
  });
});

describe('lambdaCodeLocation', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wso2-jwt-lambda-code-'));
    mkdirSync(join(root, 'lib'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('bundles the TypeScript source in this repository', () => {
    expect(lambdaCodeLocation('api')).toEqual({ entry: join(__dirname, '..', '..', 'lambda', 'api', 'handler.ts') });
  });

  it("deploys the build's bundle in an installed package, where the source is not shipped", () => {
    mkdirSync(join(root, 'lambda', 'api'), { recursive: true });
    writeFileSync(join(root, 'lambda', 'api', 'index.js'), 'exports.handler = async () => ({});');
    expect(lambdaCodeLocation('api', join(root, 'lib'))).toEqual({ bundleDir: join(root, 'lambda', 'api') });
  });

  it('finds nothing when the folder has neither', () => {
    expect(lambdaCodeLocation('orders', join(root, 'lib'))).toBeUndefined();
    expect(hasLambdaFunction('orders', join(root, 'lib'))).toBe(false);
    expect(hasLambdaFunction('api')).toBe(true);
  });
});

describe('bundledFunctionProps', () => {
  it('names the folder and both files it looked for when there is no function', () => {
    expect(() => bundledFunctionProps('no-such-function')).toThrow(
      new Error('lambda/no-such-function holds no function: neither handler.ts (source) nor index.js (bundle)'),
    );
  });

  it('bundles the source at synth in this repository, with the options npm run build uses', () => {
    const root = join(__dirname, '..', '..');
    expect(lambdaBundleOptions('issuer-check', '/out/index.js')).toEqual({
      entryPoints: [join(root, 'lambda', 'issuer-check', 'handler.ts')],
      outfile: '/out/index.js',
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      external: ['@aws-sdk/client-cloudformation'],
      logLevel: 'warning',
    });
    expect(bundledFunctionProps('api')).toMatchObject({ handler: 'index.handler', runtime: { name: 'nodejs24.x' } });
  });

  it('bundles two entries of one folder each into its own asset, with its own code', () => {
    // GIVEN two handlers side by side (Wso2JwtApiStack's functionEntries may name such files)
    const dir = testTempDir('two-entries-');
    writeFileSync(join(dir, 'a.ts'), "export const handler = async () => 'first-handler';\n");
    writeFileSync(join(dir, 'b.ts'), "export const handler = async () => 'second-handler';\n");
    const app = new App({
      outdir: testAppOutdir(),
      context: { 'aws:cdk:enable-asset-metadata': true },
      builtinCloudFormationValidation: false,
    });
    const stack = new Stack(app, 'TwoEntries');

    // WHEN
    new NodejsFunction(stack, 'A', bundledFunctionProps('orders', join(dir, 'a.ts')));
    new NodejsFunction(stack, 'B', bundledFunctionProps('orders', join(dir, 'b.ts')));
    const assembly = app.synth();

    // THEN each function's asset holds its own handler
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    const bundles = functions.map((fn) =>
      readFileSync(join(assembly.directory, String(fn.Metadata['aws:asset:path']), 'index.js'), 'utf8'),
    );
    expect(bundles.map((code) => /(first|second)-handler/.exec(code)?.[0]).sort()).toEqual([
      'first-handler',
      'second-handler',
    ]);
  });
});

describe('functionFolders', () => {
  it("bundles every folder of lambda/ that holds a handler, the package's own functions among them", () => {
    expect(functionFolders()).toEqual(expect.arrayContaining(['api', 'issuer-check']));
  });
});
