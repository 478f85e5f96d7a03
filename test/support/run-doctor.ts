import { DEFAULT_ENVIRONMENT, OVERRIDE_KEYS } from '../../lib/config';
import { runDoctorCli, type DoctorDeps } from '../../tools/doctor/doctor';
import { routesOf, type RoutesTemplate, synthesizedRoutes, type SynthesizedRoute } from '../../tools/doctor/routes';
import { readSharedSynthesis, SYNTHESIZE_IN_TEST_FILE } from './shared-template-files';

export interface DoctorRun {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
  /** The line of the check titled `title`, and its fix line if any, trimmed of padding. */
  line(title: string): { verdict: string; detail: string; fix?: string };
}

/** `issuerUrl` (`issuerUrl.partner` for one issuer) and `audiences`: no route depends on them. */
const ISSUER_SETTING = new RegExp(`^(${OVERRIDE_KEYS.issuerUrl}(\\.[a-z0-9-]+)?|${OVERRIDE_KEYS.audiences})$`);

/**
 * The route list the doctor reads from its synth, once per overrides per test file. Issuer and
 * audience overrides change what an authorizer accepts, not which routes it guards, so for dev with
 * no other override the list comes from the run's shared synthesis (templates.ts): routes.test.ts
 * checks that the doctor's own synth of dev gives the same list. Otherwise it is synthesized.
 */
const routeCache = new Map<string, SynthesizedRoute[]>();
const cachedRoutes = (overrides: Record<string, string>): SynthesizedRoute[] => {
  const key = JSON.stringify(overrides);
  let routes = routeCache.get(key);
  if (routes === undefined) {
    const { env = DEFAULT_ENVIRONMENT, ...others } = overrides;
    const sharedDev =
      !SYNTHESIZE_IN_TEST_FILE && env === 'dev' && Object.keys(others).every((name) => ISSUER_SETTING.test(name));
    routes = sharedDev
      ? routesOf({ Resources: readSharedSynthesis('dev').template.Resources as RoutesTemplate['Resources'] })
      : synthesizedRoutes(overrides);
    routeCache.set(key, routes);
  }
  return routes;
};

/** Runs the doctor in-process, as `npm run doctor -- <argv>` would, capturing its output. */
export async function runDoctor(
  argv: readonly string[],
  options: { stdin?: string; deps?: DoctorDeps } = {},
): Promise<DoctorRun> {
  let stdout = '';
  let stderr = '';
  const code = await runDoctorCli(
    argv,
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readStdin: async () => options.stdin ?? '',
      stdinIsTty: options.stdin === undefined,
    },
    { routes: cachedRoutes, ...options.deps },
  );
  return {
    code,
    stdout,
    stderr,
    line(title) {
      const lines = stdout.split('\n');
      const index = lines.findIndex((text) =>
        new RegExp(`^(ok|warn|fail|skip) +${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  `).test(text),
      );
      if (index < 0) throw new Error(`no line for ${JSON.stringify(title)} in:\n${stdout}`);
      const line = lines[index];
      const verdict = line.slice(0, line.indexOf(' '));
      const detail = line.slice(verdict.length).trimStart().slice(title.length).trim();
      const next = lines[index + 1]?.trim() ?? '';
      return { verdict, detail, ...(next.startsWith('fix: ') && { fix: next.slice(5) }) };
    },
  };
}

/**
 * Flags that point both of the dev environment's issuers (the default and `partner`) at one local
 * issuer and trust its certificate: the doctor checks every issuer of an environment.
 */
export function localIssuerArgs(issuer: string, caFile: string): string[] {
  return ['-c', `issuerUrl=${issuer}`, '-c', `issuerUrl.partner=${issuer}`, '--allow-private', '--ca-file', caFile];
}
