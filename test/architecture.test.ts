/**
 * The layout is the architecture: what deploys (bin/, lib/), what runs in Lambda (lambda/),
 * the rules everything shares (rules/) and the local and operational tools (tools/).
 * Dependencies point one way; this test fails on an import that crosses a boundary.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { forbiddenImport, importSpecifiers, type Layer } from './support/boundaries';
import { longLines, MAX_LINE_WIDTH } from './support/line-width';
import { TYPESCRIPT_NODE_COMMAND } from '../tools/cli/node-args';
import { SHARED_SERVICES_USERS } from './support/shared-services';
import { VALIDATED_SYNTHESIS_READERS } from './support/test-sequencer';

const ROOT = join(__dirname, '..');
const SOURCE_FOLDERS = ['bin', 'lib', 'lambda', 'rules', 'tools'] as const;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

describe('import boundaries', () => {
  const violations: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    for (const file of sourceFiles(folder)) {
      for (const specifier of importSpecifiers(readFileSync(join(ROOT, file), 'utf8'))) {
        const target = specifier.startsWith('.')
          ? relative(ROOT, resolve(ROOT, dirname(file), specifier))
              .split(sep)
              .join('/')
          : undefined;
        const problem = forbiddenImport({ file, specifier, target, builtins: builtinModules });
        if (problem) violations.push(problem);
      }
    }
  }

  it('every source file imports only what its layer may import', () => {
    expect(violations).toEqual([]);
  });
});

describe('forbiddenImport', () => {
  const check = (file: string, specifier: string, target?: string) =>
    forbiddenImport({ file, specifier, target, builtins: builtinModules });

  it.each<[string, string, string]>([
    ['lambda/api/handler.ts', '../../tools/doctor/report', 'tools/doctor/report'],
    ['lambda/api/handler.ts', '../../lib/config', 'lib/config'],
    ['lambda/api/handler.ts', '../issuer-check/handler', 'lambda/issuer-check/handler'],
    ['rules/jwt/claims.ts', '../../lib/validation', 'lib/validation'],
    ['rules/jwt/claims.ts', '../../tools/cli/cli', 'tools/cli/cli'],
    ['lib/wso2-jwt-http-api.ts', '../tools/doctor/report', 'tools/doctor/report'],
    ['lib/wso2-jwt-http-api.ts', '../lambda/api/claims', 'lambda/api/claims'],
    ['tools/doctor/doctor.ts', '../../lambda/api/claims', 'lambda/api/claims'],
    ['bin/app.ts', '../tools/doctor/doctor', 'tools/doctor/doctor'],
  ])('refuses %s importing %s', (file, specifier, target) => {
    expect(check(file, specifier, target)).toBe(
      `${file} (${layerName(file)}) must not import ${specifier} (${layerName(target)})`,
    );
  });

  it.each<[string, string]>([
    ['rules/jwt/claims.ts', 'aws-cdk-lib'],
    ['rules/jwt/claims.ts', 'constructs'],
    ['lambda/api/handler.ts', 'aws-cdk-lib/aws-lambda'],
    ['lambda/api/handler.ts', 'cdk-nag'],
  ])('refuses %s importing the package %s', (file, specifier) => {
    expect(check(file, specifier)).toBe(`${file} (${layerName(file)}) must not import the package ${specifier}`);
  });

  it.each<[string, string, string | undefined]>([
    ['lambda/api/handler.ts', './claims', 'lambda/api/claims'],
    ['lambda/issuer-check/handler.ts', '../../rules/issuer/issuer-checks', 'rules/issuer/issuer-checks'],
    ['lambda/api/handler.ts', 'node:crypto', undefined],
    ['lambda/api/handler.ts', 'aws-lambda', undefined],
    ['rules/jwt/signature.ts', 'jose', undefined],
    ['rules/issuer/issuer-checks.ts', '../jwt', 'rules/jwt'],
    ['lib/config/issuer.ts', '../../rules/validation', 'rules/validation'],
    ['tools/doctor/doctor.ts', '../../lib/config', 'lib/config'],
    ['tools/doctor/doctor.ts', '../../rules/jwt', 'rules/jwt'],
    ['bin/app.ts', '../lib/environment-stack', 'lib/environment-stack'],
  ])('allows %s importing %s', (file, specifier, target) => {
    expect(check(file, specifier, target)).toBeUndefined();
  });
});

describe('importSpecifiers', () => {
  it('finds static, type-only, re-export, dynamic and require imports', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "export * from './d';",
      "import './e';",
      "const f = await import('./f');",
      "const g = require('./g');",
      'import {',
      '  h,',
      "} from './h';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['./a', '../b', './c', './d', './e', './f', './g', './h']);
  });
});

function layerName(file: string): Layer | 'outside' {
  const top = file.split('/')[0];
  return (['bin', 'lib', 'lambda', 'rules', 'tools'] as const).find((layer) => layer === top) ?? 'outside';
}

describe('how Node runs the TypeScript (tools/cli/node-args.ts)', () => {
  it("loads the project's own modules lazily with require: tsx's CommonJS hook does not see import()", () => {
    const dynamic = SOURCE_FOLDERS.flatMap(sourceFiles).filter((file) =>
      // `typeof import('./x')` is a type, not a load.
      /(?<!typeof )\bimport\(\s*['"`]\.{1,2}\//.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(dynamic).toEqual([]);
  });

  it('every npm script that runs a TypeScript file runs it as TYPESCRIPT_NODE_COMMAND, as cdk.json does', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const app = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { app: string }).app;
    const runsTypeScript = [...Object.values(scripts), app].filter((command) => /\.ts\b/.test(command));
    expect(
      runsTypeScript.filter(
        (command) => !command.replace(' --liftoff-only', '').includes(`${TYPESCRIPT_NODE_COMMAND} `),
      ),
    ).toEqual([]);
  });

  it('so does every workflow step that runs a tool', () => {
    const workflows = join(ROOT, '.github', 'workflows');
    const steps = readdirSync(workflows).flatMap((name) =>
      readFileSync(join(workflows, name), 'utf8')
        .split('\n')
        .filter((line) => /\btools\/\S+\.ts\b/.test(line) && !line.trim().startsWith('#'))
        .map((line) => `${name}: ${line.trim()}`),
    );
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.filter((step) => !step.includes(`${TYPESCRIPT_NODE_COMMAND} tools/`))).toEqual([]);
  });
});

describe('line width', () => {
  it(`keeps every line of code within ${MAX_LINE_WIDTH} characters (split long strings: Biome will not)`, () => {
    expect(longLines(ROOT)).toEqual([]);
  });
});

describe('the shared end-to-end services', () => {
  it('are started for every test file that uses them (SHARED_SERVICES_USERS)', () => {
    const SHARED_SERVICES_HELPER_CALL =
      /\b(sharedServices|sharedAssembly|assemblyWithIssuer|sharedIdpAndBackend|useLocalStack|startLocalStack)\(/;
    const users = sourceFiles('test')
      .filter((file) => file.endsWith('.test.ts'))
      .filter((file) => SHARED_SERVICES_HELPER_CALL.test(read(file)));
    expect(users.sort()).toEqual([...SHARED_SERVICES_USERS].sort());
  });
});

describe('cdk-nag in the synths that deploy', () => {
  it('is never switched off by cdk.json or a workflow (-c nagChecks=false is for npm start)', () => {
    const workflows = readdirSync(join(ROOT, '.github', 'workflows')).map((name) => `.github/workflows/${name}`);
    const files = ['cdk.json', 'package.json', ...workflows];
    expect(files.filter((file) => /\bnagChecks\b/.test(read(file)))).toEqual([]);
  });
});

describe("the shared synthesis's validated templates", () => {
  it('are read only by the files the test sequencer runs last (VALIDATED_SYNTHESIS_READERS)', () => {
    const readers = sourceFiles('test')
      .filter((file) => file.endsWith('.test.ts'))
      .filter((file) => /\bvalidatedSynthesisFor\(/.test(read(file)));
    expect(readers.sort()).toEqual([...VALIDATED_SYNTHESIS_READERS].sort());
  });
});

function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}
