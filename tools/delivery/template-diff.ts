#!/usr/bin/env node
/**
 * The template diff a pull request shows for every environment, offline (no AWS credentials):
 * two synthesized cloud assemblies in, Markdown out.
 *
 *   node --require ./tools/cli/register-typescript.cjs tools/delivery/template-diff.ts \
 *     --base cdk.out.base --head cdk.out.head [--with-cdk-diff]
 *
 * Per stack it lists, by logical id, the resources added, removed, replaced (same logical id,
 * another type) and modified (with the top-level properties that changed); a changed logical
 * id shows as one removed and one added, which CloudFormation carries out as a replacement.
 * Whether a *property* change replaces a resource is CloudFormation's rule per property:
 * `--with-cdk-diff` appends `cdk diff --template` (the CLI's own resource spec, still offline),
 * which marks those.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, stripVTControlCharacters } from 'node:util';

export class TemplateDiffError extends Error {}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly [attribute: string]: unknown;
}

export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  /** For `replaced`: the type before. */
  readonly oldType?: string;
  /** For `modified`: the top-level properties (and resource attributes) that differ. */
  readonly changed?: readonly string[];
}

export interface StackDiff {
  readonly stackName: string;
  /** The stack is new (absent from the base) or gone (absent from the head). */
  readonly stack: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly added: readonly ResourceChange[];
  readonly removed: readonly ResourceChange[];
  readonly replaced: readonly ResourceChange[];
  readonly modified: readonly ResourceChange[];
  readonly outputs: { readonly added: string[]; readonly removed: string[]; readonly modified: string[] };
}

/** The stacks of a cloud assembly (`cdk synth -o <dir>`), by name, with their template file. */
export function stacksOf(assemblyDir: string): Map<string, string> {
  const manifestFile = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new TemplateDiffError(
      `${assemblyDir} is not a cloud assembly (no manifest.json): run cdk synth -o ${assemblyDir}`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  const stacks = new Map<string, string>();
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    stacks.set(artifact.properties.stackName ?? id, join(assemblyDir, artifact.properties.templateFile));
  }
  return stacks;
}

function readTemplate(file: string | undefined): {
  Resources: Record<string, Resource>;
  Outputs: Record<string, unknown>;
} {
  if (!file) return { Resources: {}, Outputs: {} };
  const template = JSON.parse(readFileSync(file, 'utf8'));
  return { Resources: template.Resources ?? {}, Outputs: template.Outputs ?? {} };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Compares two templates resource by resource (logical ids are the identity CloudFormation uses). */
export function diffTemplates(
  stackName: string,
  baseFile: string | undefined,
  headFile: string | undefined,
): StackDiff {
  const base = readTemplate(baseFile);
  const head = readTemplate(headFile);
  const added: ResourceChange[] = [];
  const removed: ResourceChange[] = [];
  const replaced: ResourceChange[] = [];
  const modified: ResourceChange[] = [];
  for (const [logicalId, resource] of Object.entries(head.Resources)) {
    const before = base.Resources[logicalId];
    if (!before) added.push({ logicalId, type: resource.Type });
    else if (before.Type !== resource.Type) replaced.push({ logicalId, type: resource.Type, oldType: before.Type });
    else {
      const changed = changedKeys(before, resource);
      if (changed.length > 0) modified.push({ logicalId, type: resource.Type, changed });
    }
  }
  for (const [logicalId, resource] of Object.entries(base.Resources)) {
    if (!head.Resources[logicalId]) removed.push({ logicalId, type: resource.Type });
  }
  const outputs = {
    added: Object.keys(head.Outputs).filter((key) => !(key in base.Outputs)),
    removed: Object.keys(base.Outputs).filter((key) => !(key in head.Outputs)),
    modified: Object.keys(head.Outputs).filter(
      (key) => key in base.Outputs && !same(base.Outputs[key], head.Outputs[key]),
    ),
  };
  const anyChange =
    added.length + removed.length + replaced.length + modified.length + Object.values(outputs).flat().length > 0;
  return {
    stackName,
    stack: !baseFile ? 'added' : !headFile ? 'removed' : anyChange ? 'changed' : 'unchanged',
    added,
    removed,
    replaced,
    modified,
    outputs,
  };
}

function changedKeys(before: Resource, after: Resource): string[] {
  const keys = new Set<string>();
  const properties = new Set([...Object.keys(before.Properties ?? {}), ...Object.keys(after.Properties ?? {})]);
  for (const key of properties) {
    if (!same(before.Properties?.[key], after.Properties?.[key])) keys.add(key);
  }
  const attributes = new Set([...Object.keys(before), ...Object.keys(after)].filter((key) => key !== 'Properties'));
  for (const key of attributes) {
    if (key !== 'Type' && !same(before[key], after[key])) keys.add(key);
  }
  return [...keys].sort();
}

export function diffAssemblies(baseDir: string, headDir: string): StackDiff[] {
  const base = stacksOf(baseDir);
  const head = stacksOf(headDir);
  const names = [...new Set([...head.keys(), ...base.keys()])].sort();
  return names.map((name) => diffTemplates(name, base.get(name), head.get(name)));
}

/** Markdown for a job summary: one section per stack, a table of what changes. */
export function toMarkdown(diffs: readonly StackDiff[]): string {
  const lines: string[] = [];
  for (const diff of diffs) {
    lines.push(`### ${diff.stackName}: ${diff.stack === 'changed' ? summary(diff) : diff.stack}`, '');
    const rows: string[] = [
      ...diff.replaced.map((change) => `| replaced | \`${change.logicalId}\` | ${change.oldType} -> ${change.type} |`),
      ...diff.removed.map((change) => `| removed | \`${change.logicalId}\` | ${change.type} |`),
      ...diff.added.map((change) => `| added | \`${change.logicalId}\` | ${change.type} |`),
      ...diff.modified.map(
        (change) => `| modified | \`${change.logicalId}\` | ${change.type}: ${(change.changed ?? []).join(', ')} |`,
      ),
      ...diff.outputs.added.map((key) => `| output added | \`${key}\` | |`),
      ...diff.outputs.removed.map((key) => `| output removed | \`${key}\` | |`),
      ...diff.outputs.modified.map((key) => `| output modified | \`${key}\` | |`),
    ];
    if (rows.length > 0) lines.push('| change | logical id | type / properties |', '|---|---|---|', ...rows, '');
  }
  return lines.join('\n');
}

function summary(diff: StackDiff): string {
  const counts = [
    [diff.replaced.length, 'replaced'],
    [diff.removed.length, 'removed'],
    [diff.added.length, 'added'],
    [diff.modified.length, 'modified'],
  ] as const;
  return counts
    .filter(([count]) => count > 0)
    .map(([count, what]) => `${count} ${what}`)
    .join(', ')
    .concat(
      diff.outputs.added.length + diff.outputs.removed.length + diff.outputs.modified.length > 0
        ? ' (outputs changed)'
        : '',
    )
    .replace(/^ \(/, '(');
}

const CDK_CLI = require.resolve('aws-cdk/bin/cdk');

/** `cdk diff` of the head assembly against the base template: offline, with the CLI's replacement rules. */
function cdkDiff(headDir: string, stackName: string, baseTemplate: string): string {
  // cdk writes the diff to stderr; both streams are kept, in that order.
  // The project's own CLI run by node directly: what `npx cdk` runs, without an npm start-up first.
  const run = spawnSync(
    process.execPath,
    [CDK_CLI, 'diff', '--app', headDir, '--template', baseTemplate, '--no-change-set', stackName],
    { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', CDK_DISABLE_VERSION_CHECK: '1' }, timeout: 120000 },
  );
  return `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`;
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      'with-cdk-diff': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.base || !values.head)
    throw new TemplateDiffError('--base <cdk.out dir> and --head <cdk.out dir> are both required');
  const diffs = diffAssemblies(values.base, values.head);
  process.stdout.write(`${toMarkdown(diffs)}\n`);
  if (values['with-cdk-diff']) {
    const base = stacksOf(values.base);
    for (const diff of diffs.filter((entry) => entry.stack === 'changed')) {
      const baseTemplate = base.get(diff.stackName);
      if (!baseTemplate) continue;
      const text = stripVTControlCharacters(cdkDiff(values.head, diff.stackName, baseTemplate));
      process.stdout.write(
        `<details><summary>cdk diff ${diff.stackName} (replacement marks per property)</summary>\n\n` +
          `\`\`\`\n${text.trim()}\n\`\`\`\n</details>\n\n`,
      );
    }
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof TemplateDiffError) && !(error instanceof TypeError)) throw error;
    console.error(`Error: ${error.message}`);
    process.exitCode = 2;
  }
}
