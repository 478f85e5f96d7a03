/**
 * How Node runs this project's TypeScript (`node --require ./tools/cli/register-typescript.cjs`):
 * tsx's CommonJS hook, as `--require tsx/cjs` registers it, except for the files of aws-cdk-lib,
 * constructs and cdk-nag, which Node loads itself.
 *
 * Why: tsx reads every .js file a process loads and, when the text mentions import or export
 * (every compiled CommonJS module does: `exports.`), runs an ES module lexer over it, looking for
 * ESM syntax to convert. Those three packages are CommonJS (no "type": "module"), and they are most
 * of what a synth loads: left to Node, a synth of dev took 0.78 s of CPU instead of 1.2 s (same
 * template). What aws-cdk-lib bundles in its own node_modules goes to Node with it: packages it
 * loads with require(), whose entry points for require() are CommonJS. Other packages still go
 * through tsx, which converts ESM-only ones (jose) on every Node 20 release, not only those whose
 * require() loads ES modules.
 */
'use strict';

const Module = require('node:module');
const { sep } = require('node:path');

const loadedByNode = Module._extensions['.js'];
require('tsx/cjs');
const loadedByTsx = Module._extensions['.js'];

const COMMONJS_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag'].map(
  (name) => `${sep}node_modules${sep}${name}${sep}`,
);

Module._extensions['.js'] = function loadJavaScript(module, filename) {
  const load = COMMONJS_PACKAGES.some((folder) => filename.includes(folder)) ? loadedByNode : loadedByTsx;
  return load.call(this, module, filename);
};
