import { DEFAULT_ENVIRONMENT, OVERRIDE_KEYS } from '../../lib/config';
import { runDoctorCli, type DoctorDeps } from '../../tools/doctor/doctor';
import { routesOf, type RoutesTemplate, synthesizedRoutes, type SynthesizedRoute } from '../../tools/doctor/routes';
import { isEnvironmentName, readSharedSynthesis, SYNTHESIZE_IN_TEST_FILE } from './shared-template-files';

export interface DoctorRun {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
  /** The line of the check titled `title`, and its fix line if any, trimmed of padding. */
  line(title: string): { verdict: string; detail: string; fix?: string };
}

/** `issuerUrl`, `audiences` and their per-issuer forms (`issuerUrl.partner`): no route depends on them. */
const ISSUER_SETTING = new RegExp(`^(${OVERRIDE_KEYS.issuerUrl}|${OVERRIDE_KEYS.audiences})(\\.[a-z0-9-]+)?$`);

/**
 * The route list the doctor reads from its synth. Issuer and audience overrides change what an
 * authorizer accepts, not which routes it guards, so with no other override the list comes from
 * the run's shared synthesis of the environment (templates.ts); routes.test.ts checks that the
 * doctor's own synth gives the same list. Otherwise it is synthesized, once per overrides per file.
 */
const routeCache = new Map<string, SynthesizedRoute[]>();
const cachedRoutes = (overrides: Record<string, string>): SynthesizedRoute[] => {
  const { env = DEFAULT_ENVIRONMENT, ...others } = overrides;
  if (
    !SYNTHESIZE_IN_TEST_FILE &&
    isEnvironmentName(env) &&
    Object.keys(others).every((key) => ISSUER_SETTING.test(key))
  ) {
    return routesOf({ Resources: readSharedSynthesis(env).template.Resources as RoutesTemplate['Resources'] });
  }
  const key = JSON.stringify(overrides);
  const routes = routeCache.get(key) ?? synthesizedRoutes(overrides);
  routeCache.set(key, routes);
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
