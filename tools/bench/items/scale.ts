/**
 * Item 4: synth time and resource count at 1, 50 and 250 routes over five functions and two
 * HTTP targets (tools/bench/scale-table.ts). Each sample is a fresh process
 * (tools/bench/scale-app.ts) so every size pays the same start-up; sizes are interleaved round-robin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, ms, msSpread, summarize, timeProcessOk } from '../support/measure';
import { childEnv, ROOT, tempDir } from '../support/project';
import type { Row } from '../support/report';
import { TYPESCRIPT_NODE_ARGS } from '../../cli/node-args';

interface Sample {
  routes: number;
  resources: number;
  routeResources: number;
  functions: number;
  integrations: number;
  httpIntegrations: number;
  constructMs: number;
  synthMs: number;
  wallMs: number;
  cpuMs?: number;
}

/** The node options of cdk.json's app command (`node <options> bin/app.ts`), so samples run as synth does. */
export function appNodeOptions(): string[] {
  const app = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { app: string }).app.trim().split(/\s+/);
  if (app[0] !== 'node') return [...TYPESCRIPT_NODE_ARGS];
  return app.slice(1, -1);
}

export async function benchScale(sizes: readonly number[], runs: number): Promise<Row[]> {
  const samples = new Map<number, Sample[]>(sizes.map((size) => [size, []]));
  const nodeOptions = appNodeOptions();
  log(`scale: node ${nodeOptions.join(' ')} tools/bench/scale-app.ts <routes>`);
  for (let run = 0; run < runs; run += 1) {
    // Rotate the order each round so no size always runs first.
    const order = sizes.map((_, i) => sizes[(i + run) % sizes.length]);
    for (const size of order) {
      const result = await timeProcessOk(
        process.execPath,
        [...nodeOptions, join(ROOT, 'tools', 'bench', 'scale-app.ts'), String(size), tempDir(`scale-${size}`)],
        { cwd: ROOT, env: childEnv() },
      );
      const line = result.stdout.trim().split('\n').pop() ?? '';
      const sample = { ...(JSON.parse(line) as Omit<Sample, 'wallMs'>), wallMs: result.ms, cpuMs: result.cpuMs };
      samples.get(size)?.push(sample);
      log(
        `scale ${size} routes: ${sample.resources} resources, process ${ms(sample.wallMs)} (in-process synth ` +
          `${ms(sample.synthMs)})`,
      );
    }
  }
  const rows: Row[] = [];
  let previous: { routes: number; resources: number } | undefined;
  for (const size of sizes) {
    const list = samples.get(size) ?? [];
    const wall = summarize(list.map((sample) => sample.wallMs));
    const construct = summarize(list.map((sample) => sample.constructMs));
    const synth = summarize(list.map((sample) => sample.synthMs));
    const resources = list[0].resources;
    const cpu = list.every((sample) => sample.cpuMs !== undefined)
      ? summarize(list.map((sample) => sample.cpuMs as number))
      : undefined;
    const growth = previous
      ? `; +${((resources - previous.resources) / (size - previous.routes)).toFixed(2)} resources per added route`
      : '';
    const { functions, integrations, httpIntegrations } = list[0];
    const targets =
      `${functions} functions, ${integrations - httpIntegrations} function + ` +
      `${httpIntegrations} HTTP integrations`;
    rows.push({
      item: '4',
      measure:
        `synth dev with ${size} route${size === 1 ? '' : 's'} ` +
        '(round-robin over 5 functions + 2 HTTP targets): wall time, resources',
      result: `${ms(wall.median)}, ${resources} resources (${targets})`,
      spread: msSpread(wall),
      goal: size === 250 ? '< 500 resources (CloudFormation)' : '',
      verdict: size === 250 ? (resources < 500 ? 'met' : 'missed') : 'info',
      note:
        `${cpu ? `CPU ${ms(cpu.median)} (${ms(cpu.min)}–${ms(cpu.max)}); ` : ''}in-process: construct ` +
        `${ms(construct.median)}, ` +
        `app.synth() ${ms(synth.median)} (bundling, validation, cdk-nag)${growth}`,
      data: {
        wall,
        cpu,
        construct,
        synth,
        resources,
        routeResources: list[0].routeResources,
        functions,
        integrations,
        httpIntegrations,
      },
    });
    previous = { routes: size, resources };
  }
  return rows;
}
