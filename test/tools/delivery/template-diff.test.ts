import { App } from 'aws-cdk-lib';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addEnvironmentStack } from '../../../lib/environment-stack';
import { diffAssemblies, diffTemplates, toMarkdown } from '../../../tools/delivery/template-diff';
import { CDK_JSON_CONTEXT } from '../../support/synth';
import { TYPESCRIPT_NODE_ARGS } from '../../../tools/cli/node-args';

/** `cdk synth -c ... -o <dir>` in process (no bundling: asset hashes are not what is compared). */
function synthInto(dir: string, context: Record<string, unknown>): void {
  const app = new App({
    outdir: dir,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
  addEnvironmentStack(app, {}, { nagChecks: false });
  app.synth();
}

describe('the pull-request template diff, on two real synths', () => {
  const root = mkdtempSync(join(tmpdir(), 'template-diff-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('base without the issuer check and another issuer, head as configured: added and modified by logical id', () => {
    // GIVEN the base branch: prod with the check switched off and another issuer
    const environments = CDK_JSON_CONTEXT['wso2-jwt-http-api:environments'] as Record<string, Record<string, unknown>>;
    synthInto(join(root, 'base'), {
      env: 'prod',
      issuerUrl: 'https://is.example.net/oauth2/token',
      'wso2-jwt-http-api:environments': { ...environments, prod: { ...environments.prod, issuerCheck: false } },
    });
    synthInto(join(root, 'head'), { env: 'prod' });

    // WHEN
    const [diff] = diffAssemblies(join(root, 'base'), join(root, 'head'));

    // THEN
    expect(diff.stackName).toBe('Wso2JwtHttpApi-prod');
    expect(diff.stack).toBe('changed');
    // one check per public issuer: the default one and prod's partner issuer
    expect(diff.added.map((change) => change.type).sort()).toEqual(
      [
        'AWS::IAM::Policy',
        'AWS::IAM::Role',
        'AWS::Lambda::Function',
        'AWS::Logs::LogGroup',
        'Custom::Wso2IssuerCheck',
      ].flatMap((type) => [type, type]),
    );
    expect(diff.added.every((change) => change.logicalId.startsWith('IssuerCheck'))).toBe(true);
    expect(diff.removed).toEqual([]);
    expect(diff.replaced).toEqual([]);
    // the default authorizer trusts another issuer and, like the partner's, now waits for its check
    expect(diff.modified).toContainEqual({
      logicalId: 'ApiHttpApiWso2JwtAuthorizerC4A54B0E',
      type: 'AWS::ApiGatewayV2::Authorizer',
      changed: ['DependsOn', 'JwtConfiguration'],
    });
    expect(diff.modified).toContainEqual({
      logicalId: 'ApiHttpApiWso2JwtAuthorizerPartner82211C86',
      type: 'AWS::ApiGatewayV2::Authorizer',
      changed: ['DependsOn'],
    });
    expect(diff.outputs.modified).toEqual(['Issuer']);

    const markdown = toMarkdown([diff]);
    expect(markdown).toContain('### Wso2JwtHttpApi-prod: 10 added, ');
    expect(markdown).toContain(
      '| modified | `ApiHttpApiWso2JwtAuthorizerC4A54B0E` | ' +
        'AWS::ApiGatewayV2::Authorizer: DependsOn, JwtConfiguration |',
    );
    expect(markdown).toMatch(/\| added \| `IssuerCheckFunction[0-9A-F]{8}` \| AWS::Lambda::Function \|/);
  });

  test('the same synth twice: unchanged, no table', () => {
    const [diff] = diffAssemblies(join(root, 'head'), join(root, 'head'));
    expect(diff.stack).toBe('unchanged');
    expect(toMarkdown([diff])).toBe('### Wso2JwtHttpApi-prod: unchanged\n');
  });

  test('a type change at one logical id is a replacement; a new stack is all added', () => {
    const base = join(root, 'base.json');
    const head = join(root, 'head.json');
    writeFileSync(
      base,
      JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' }, Old: { Type: 'AWS::SNS::Topic' } } }),
    );
    writeFileSync(head, JSON.stringify({ Resources: { Queue: { Type: 'AWS::SNS::Topic' } } }));
    const diff = diffTemplates('S', base, head);
    expect(diff.replaced).toEqual([{ logicalId: 'Queue', type: 'AWS::SNS::Topic', oldType: 'AWS::SQS::Queue' }]);
    expect(diff.removed).toEqual([{ logicalId: 'Old', type: 'AWS::SNS::Topic' }]);
    expect(toMarkdown([diff])).toContain('| replaced | `Queue` | AWS::SQS::Queue -> AWS::SNS::Topic |');
    expect(diffTemplates('New', undefined, head).stack).toBe('added');
  });

  test('as the pull-request job runs it: Markdown plus cdk diff --template, ' +
    'with no AWS credentials at all', async () => {
    // GIVEN an environment stripped of every AWS_* variable and no shared config to fall back on
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    Object.assign(env, { AWS_CONFIG_FILE: join(root, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(root, 'none') });

    // WHEN
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        ...TYPESCRIPT_NODE_ARGS,
        'tools/delivery/template-diff.ts',
        '--base',
        join(root, 'base'),
        '--head',
        join(root, 'head'),
        '--with-cdk-diff',
      ],
      { env, timeout: 120000 },
    );

    // THEN the table, then cdk's own view of the same change (its replacement rules included)
    expect(stdout).toContain('| modified | `ApiHttpApiWso2JwtAuthorizerC4A54B0E` |');
    expect(stdout).toContain(
      '<details><summary>cdk diff Wso2JwtHttpApi-prod (replacement marks per property)</summary>',
    );
    expect(stdout).toMatch(/\[\+\] Custom::Wso2IssuerCheck IssuerCheck\/Resource IssuerCheck[0-9A-F]{8}/);
    expect(stdout).toContain('└─ [+] https://api.asgardeo.io/t/acme/oauth2/token');
  }, 150000);

  test('a folder that is not a cloud assembly is named', () => {
    expect(() => diffAssemblies(root, join(root, 'head'))).toThrow(
      `${root} is not a cloud assembly (no manifest.json): run cdk synth -o ${root}`,
    );
  });
});
