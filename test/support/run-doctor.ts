import { runDoctorCli, type DoctorDeps } from '../../tools/doctor/doctor';
import { synthesizedRoutes, type SynthesizedRoute } from '../../tools/doctor/routes';

export interface DoctorRun {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
  /** The line of the check titled `title`, and its fix line if any, trimmed of padding. */
  line(title: string): { verdict: string; detail: string; fix?: string };
}

// Synthesizing the stack costs about a second: once per overrides per test file is enough.
const routeCache = new Map<string, SynthesizedRoute[]>();
const cachedRoutes = (overrides: Record<string, string>): SynthesizedRoute[] => {
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
