import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TYPESCRIPT_NODE_ARGS, TYPESCRIPT_NODE_COMMAND } from '../../../tools/cli/node-args';
import { testTempDir } from '../../support/temp-dir';

/**
 * tools/cli/register-typescript.cjs hands the files of aws-cdk-lib, constructs and cdk-nag to Node's
 * own loader and everything else to tsx. A spy loaded first stands in for Node's loader, so it sees
 * exactly the files the hook gives Node; the packages are stand-ins in a folder of the test's own.
 */
test('aws-cdk-lib, constructs and cdk-nag are loaded by Node, other JavaScript and TypeScript by tsx', () => {
  const dir = testTempDir('register-typescript-');
  const packages = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'aws-cdk-lib-extra', 'other'];
  for (const name of packages) {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'index.js'), `exports.name = ${JSON.stringify(name)};\n`);
  }
  writeFileSync(
    join(dir, 'spy.cjs'),
    [
      "const Module = require('node:module');",
      "const node = Module._extensions['.js'];",
      'globalThis.loadedByNode = [];',
      "Module._extensions['.js'] = function (module, filename) {",
      '  globalThis.loadedByNode.push(filename);',
      '  return node.call(this, module, filename);',
      '};',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'probe.ts'),
    [
      // What Node loaded before this file (the hook itself, tsx, esbuild) is not the question.
      'const loadedByNode = (globalThis as { loadedByNode?: string[] }).loadedByNode ?? [];',
      'loadedByNode.length = 0;',
      `const names: string[] = ${JSON.stringify(packages)}.map((name) => require(name).name);`,
      'const packageOf = (file: string) => file.split(/[\\\\/]node_modules[\\\\/]/)[1]?.split(/[\\\\/]/)[0] ?? file;',
      'process.stdout.write(JSON.stringify({ names, loadedByNode: loadedByNode.map(packageOf) }));',
    ].join('\n'),
  );

  const result = spawnSync(process.execPath, ['--require', './spy.cjs', ...TYPESCRIPT_NODE_ARGS, 'probe.ts'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
  });

  expect(result.error).toBeUndefined();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({
    names: packages,
    loadedByNode: ['aws-cdk-lib', 'constructs', 'cdk-nag'],
  });
});

test('the command package.json, cdk.json and the workflows write names the file TYPESCRIPT_NODE_ARGS loads', () => {
  const root = join(__dirname, '..', '..', '..');
  const file = relative(root, TYPESCRIPT_NODE_ARGS[1]).split(sep).join('/');
  expect(TYPESCRIPT_NODE_COMMAND).toBe(`node --require ./${file}`);
});
