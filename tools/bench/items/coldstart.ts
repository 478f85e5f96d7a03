/**
 * Item 2: cold-start proxy. A fresh `node` that loads the bundle and handles one event, against
 * a fresh `node` that loads an empty module, both through the same driver and interleaved.
 * Both get the function's NODE_OPTIONS (`--enable-source-maps`); a second pair runs without it.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, log, ms, msSpread, ratioSpread, timeProcessOk } from '../support/measure';
import { childEnv, ROOT, tempDir } from '../support/project';
import type { Row } from '../support/report';

const GOAL = 1.2;

/** Loads argv[2]; given an event file too, calls its handler once and checks for a 200. */
const DRIVER = `'use strict';
const mod = require(process.argv[2]);
if (process.argv[3]) {
  const event = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
  Promise.resolve(mod.handler(event)).then((result) => {
    if (!result || result.statusCode !== 200) { console.error(JSON.stringify(result)); process.exitCode = 1; }
  });
}
`;

/** A payload-2.0 event for GET /me as API Gateway delivers it (claims from the test fixture). */
function meEvent(): unknown {
  const fixture = JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'api-gateway-delivered-claims.json'), 'utf8'),
  ) as {
    claims: Record<string, string>;
    scopes: string[];
  };
  return {
    version: '2.0',
    routeKey: 'GET /me',
    rawPath: '/me',
    rawQueryString: '',
    headers: { authorization: 'Bearer <redacted>', host: 'example.execute-api.eu-west-1.amazonaws.com' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'example',
      authorizer: { jwt: { claims: fixture.claims, scopes: fixture.scopes } },
      domainName: 'example.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'example',
      http: { method: 'GET', path: '/me', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'bench' },
      requestId: 'bench-request',
      routeKey: 'GET /me',
      stage: '$default',
      time: '29/Nov/2025:06:00:00 +0000',
      timeEpoch: 1764396000000,
    },
    isBase64Encoded: false,
  };
}

export async function benchColdStart(bundlePath: string, runs: number): Promise<Row[]> {
  const dir = tempDir('coldstart');
  copyFileSync(bundlePath, join(dir, 'index.js'));
  if (existsSync(`${bundlePath}.map`)) copyFileSync(`${bundlePath}.map`, join(dir, 'index.js.map'));
  writeFileSync(join(dir, 'empty.js'), '');
  writeFileSync(join(dir, 'driver.js'), DRIVER);
  writeFileSync(join(dir, 'event.json'), JSON.stringify(meEvent()));
  const env = childEnv();
  const node = process.execPath;
  const rows: Row[] = [];
  for (const flags of [['--enable-source-maps'], []]) {
    const label = flags.length
      ? "with the function's NODE_OPTIONS=--enable-source-maps"
      : 'without --enable-source-maps';
    const run = (args: string[]) => async () =>
      (await timeProcessOk(node, [...flags, join(dir, 'driver.js'), ...args], { cwd: dir, env })).ms;
    // One unmeasured pair first: the page cache, not node, would otherwise pay for the first read.
    await run([join(dir, 'index.js'), join(dir, 'event.json')])();
    await run([join(dir, 'empty.js')])();
    const comparison = await interleave(
      runs,
      run([join(dir, 'index.js'), join(dir, 'event.json')]),
      run([join(dir, 'empty.js')]),
    );
    log(`cold start ${label}: bundle ${ms(comparison.a.median)}, empty ${ms(comparison.b.median)}`);
    const ratio = comparison.ratio.median;
    const primary = flags.length > 0;
    rows.push({
      item: '2',
      measure: `cold-start proxy: node + bundle + 1 event (GET /me) / node + empty module, ${label}`,
      result: ratio.toFixed(2),
      spread: ratioSpread(comparison.ratio),
      goal: primary ? `≤ ${GOAL}` : '',
      verdict: primary ? (ratio <= GOAL ? 'met' : 'missed') : 'info',
      note:
        `bundle ${ms(comparison.a.median)} (${msSpread(comparison.a)}); empty ${ms(comparison.b.median)} ` +
        `(${msSpread(comparison.b)})`,
      data: comparison,
    });
  }
  return rows;
}
