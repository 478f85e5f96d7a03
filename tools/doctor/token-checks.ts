/**
 * The checks of one token, each run on its own so that one failure does not hide the next
 * (an expired token with the wrong audience shows both). The rules themselves come from the
 * shared module through TokenRules; this file only orders them, words them and adds fixes.
 */
import { decideRoute, type TokenJudgement } from '../../rules/jwt';
import { redactToken } from './args';
import { FIX } from '../../rules/issuer/fixes';
import type { Jwk } from '../../rules/issuer/issuer-checks';
import type { CheckResult, RouteOutcome } from './report';
import type { SynthesizedRoute } from './routes';

/** A rule's answer: undefined when it passes, else why not (the rules module's message). */
export type RuleAnswer = undefined | { readonly message: string };

/** The shared rules (authorizer-rules/), one call per rule of reference section 1. */
export interface TokenRules {
  decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | { error: string };
  algorithm(header: Record<string, unknown>): RuleAnswer;
  /** Picks the JWKS key for the header's kid: `missing-kid`, `unknown-kid` and `mismatch` say why not. */
  key(
    header: Record<string, unknown>,
    keys: readonly Jwk[],
  ): Promise<{ key: Jwk } | { reason: 'missing-kid' | 'unknown-kid' | 'mismatch'; message: string }>;
  signature(token: string, key: Jwk): Promise<RuleAnswer>;
  issuer(payload: Record<string, unknown>, issuerUrl: string): RuleAnswer;
  audience(payload: Record<string, unknown>, audiences: readonly string[]): RuleAnswer;
  times(payload: Record<string, unknown>, nowSeconds: number): RuleAnswer;
}

export interface TokenCheckOptions {
  readonly token: string;
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
  /** Undefined when the JWKS could not be fetched. */
  readonly jwks: { readonly keys: readonly Jwk[] } | undefined;
  readonly routes: readonly SynthesizedRoute[];
  readonly rules: TokenRules;
  readonly nowSeconds: number;
}

export async function runTokenChecks(
  options: TokenCheckOptions,
): Promise<{ checks: CheckResult[]; routes: RouteOutcome[] }> {
  const { token, rules } = options;
  const checks: CheckResult[] = [];
  const add = (check: CheckResult) => checks.push(check);
  const skip = (id: string, title: string, detail: string) => add({ id, title, verdict: 'skip', detail });

  const decoded = rules.decode(token);
  if ('error' in decoded) {
    const opaque = looksOpaque(token);
    add({
      id: 'token.format',
      title: 'token format',
      verdict: 'fail',
      detail: opaque
        ? `${redactToken(token)} is an opaque token, not a JWT: API Gateway answers 401 to it`
        : `${redactToken(token)} is not a JWT (${decoded.error})`,
      fix: opaque ? FIX.opaqueToken : FIX.malformedToken,
    });
    const why = 'the token is not a JWT';
    for (const [id, title] of TOKEN_CHECKS) skip(id, title, why);
    return {
      checks,
      routes: options.routes.map((route) =>
        outcome(route, route.protected ? { status: 401, reason: why } : { status: 200, reason: 'public route' }),
      ),
    };
  }
  const { header, payload } = decoded;
  add({
    id: 'token.format',
    title: 'token format',
    verdict: 'ok',
    detail: `JWT ${redactToken(token)}, typ ${String(header.typ ?? '(none)')}`,
  });

  // Header: RSA algorithm, then a kid the JWKS knows.
  const algProblem = rules.algorithm(header);
  add(
    algProblem
      ? { id: 'token.alg', title: 'token alg', verdict: 'fail', detail: algProblem.message, fix: FIX.algNotRsa }
      : { id: 'token.alg', title: 'token alg', verdict: 'ok', detail: `${String(header.alg)} (RSA)` },
  );

  let key: Jwk | undefined;
  if (!options.jwks) {
    skip('token.kid', 'token kid', 'no JWKS to look the kid up in');
  } else {
    const found = await rules.key(header, options.jwks.keys);
    if ('key' in found) {
      key = found.key;
      add({ id: 'token.kid', title: 'token kid', verdict: 'ok', detail: `${String(header.kid)} is in the JWKS` });
    } else {
      add({
        id: 'token.kid',
        title: 'token kid',
        verdict: 'fail',
        detail: found.message,
        fix:
          found.reason === 'missing-kid'
            ? FIX.kidMissing
            : found.reason === 'unknown-kid'
              ? FIX.kidUnknown
              : FIX.algNotRsa,
      });
    }
  }

  if (!key || algProblem) {
    skip(
      'token.signature',
      'token signature',
      !options.jwks ? 'no JWKS' : algProblem ? 'the algorithm is not RSA' : "no JWKS key for the token's kid",
    );
  } else {
    const bad = await rules.signature(token, key);
    add(
      bad
        ? { id: 'token.signature', title: 'token signature', verdict: 'fail', detail: bad.message, fix: FIX.signature }
        : {
            id: 'token.signature',
            title: 'token signature',
            verdict: 'ok',
            detail: `verifies with JWKS key ${String(key.kid)}`,
          },
    );
  }

  // Claims, each on its own.
  const issProblem = rules.issuer(payload, options.issuerUrl);
  add(
    issProblem
      ? {
          id: 'token.iss',
          title: 'token iss',
          verdict: 'fail',
          detail: `token iss ${JSON.stringify(payload.iss ?? null)}, configured ${JSON.stringify(options.issuerUrl)}`,
          fix: FIX.issMismatch,
        }
      : { id: 'token.iss', title: 'token iss', verdict: 'ok', detail: 'equals the configured issuer' },
  );

  const audProblem = rules.audience(payload, options.audiences);
  const audSource =
    payload.aud !== undefined
      ? `aud ${JSON.stringify(payload.aud)}`
      : `no aud; client_id ${JSON.stringify(payload.client_id ?? null)}`;
  add(
    audProblem
      ? {
          id: 'token.aud',
          title: 'token audience',
          verdict: 'fail',
          detail: `${audSource} is not among the audiences ${JSON.stringify(options.audiences)}`,
          fix: FIX.audMismatch,
        }
      : { id: 'token.aud', title: 'token audience', verdict: 'ok', detail: `${audSource} is among the audiences` },
  );

  const timeProblem = rules.times(payload, options.nowSeconds);
  add(timeCheck(payload, options.nowSeconds, timeProblem));

  // How API Gateway would answer each route.
  const firstFailure = checks.find((check) => check.verdict === 'fail');
  const invalid = firstFailure
    ? `${firstFailure.title}: ${firstFailure.detail}`
    : !key
      ? 'no signing key to verify the token with'
      : undefined;
  const judgement: TokenJudgement<string> = invalid ? { valid: false, why: invalid } : { valid: true, claims: payload };
  const routes = options.routes.map((route) => {
    const decision = decideRoute(route, judgement);
    if (decision.status === 401) return outcome(route, { status: 401, reason: decision.why });
    if (decision.status === 403) {
      return outcome(route, { status: 403, reason: `the token holds none of ${route.scopes.join(', ')}` });
    }
    const reason = !route.protected
      ? 'public route'
      : decision.scopes
        ? 'valid token with a required scope'
        : 'valid token';
    return outcome(route, { status: 200, reason });
  });

  // Scopes: which protected routes would still say 403.
  const forbidden = routes.filter((route) => route.status === 403);
  const tokenScopes = describeScopes(payload);
  if (invalid) {
    skip('token.scopes', 'token scopes', 'the token would get 401 before scopes count');
  } else if (forbidden.length > 0) {
    add({
      id: 'token.scopes',
      title: 'token scopes',
      verdict: 'warn',
      detail:
        `${tokenScopes}: 403 on ` +
        `${forbidden.map((route) => `${route.routeKey} (needs ${route.requires})`).join(', ')}`,
      fix: FIX.missingScope,
    });
  } else {
    add({
      id: 'token.scopes',
      title: 'token scopes',
      verdict: 'ok',
      detail: `${tokenScopes}: opens every protected route`,
    });
  }

  // An ID token passes the authorizer wherever no scope is required (reference 1.10).
  const idTokenSigns = ['at_hash', 'nonce', 'amr'].filter((claim) => payload[claim] !== undefined);
  const hasScope = payload.scope !== undefined || payload.scp !== undefined;
  if (!hasScope && idTokenSigns.length > 0) {
    // Named whatever else is wrong with this token: a valid ID token would open them all.
    const opened = options.routes
      .filter((route) => route.protected && route.scopes.length === 0)
      .map((route) => route.routeKey);
    add({
      id: 'token.kind',
      title: 'token kind',
      verdict: 'warn',
      detail: `looks like an ID token (no scope, has ${idTokenSigns.join(', ')})${
        opened.length
          ? `: it would still open ${opened.join(', ')} (protected routes that require no scope)`
          : ': every protected route requires a scope, so it gets 403'
      }`,
      fix: FIX.idToken,
    });
  } else {
    add({
      id: 'token.kind',
      title: 'token kind',
      verdict: 'ok',
      detail: hasScope ? 'access token (has scope)' : 'access token (no ID-token claims)',
    });
  }

  return { checks, routes };
}

/** Ids and titles of every check after token.format, for skipping them all at once. */
const TOKEN_CHECKS: readonly (readonly [string, string])[] = [
  ['token.alg', 'token alg'],
  ['token.kid', 'token kid'],
  ['token.signature', 'token signature'],
  ['token.iss', 'token iss'],
  ['token.aud', 'token audience'],
  ['token.time', 'token lifetime'],
  ['token.scopes', 'token scopes'],
  ['token.kind', 'token kind'],
];

/** WSO2's opaque tokens are UUIDs or long hex/base64 strings without dots. */
function looksOpaque(token: string): boolean {
  return !token.includes('.') && /^[A-Za-z0-9_-]{16,}$/.test(token);
}

function timeCheck(
  payload: Record<string, unknown>,
  now: number,
  problem: { message: string } | undefined,
): CheckResult {
  const base = { id: 'token.time', title: 'token lifetime' } as const;
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
  const at = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  if (problem) {
    const expired = exp !== undefined && exp <= now;
    return {
      ...base,
      verdict: 'fail',
      detail: expired ? `expired ${duration(now - exp)} ago (exp ${at(exp)})` : problem.message,
      fix: expired ? FIX.expired : FIX.notYetValid,
    };
  }
  return {
    ...base,
    verdict: 'ok',
    detail:
      exp !== undefined
        ? `valid for another ${duration(exp - now)} (exp ${at(exp)}); nbf and iat in the past`
        : 'nbf and iat in the past',
  };
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function describeScopes(payload: Record<string, unknown>): string {
  const scope = payload.scope ?? payload.scp;
  if (scope === undefined) return 'no scope';
  return `scope ${JSON.stringify(Array.isArray(scope) ? scope.join(' ') : scope)}`;
}

function outcome(route: SynthesizedRoute, answer: { status: 200 | 401 | 403; reason: string }): RouteOutcome {
  const requires = !route.protected
    ? 'public'
    : route.scopes.length === 0
      ? 'any valid token'
      : `scope ${route.scopes.join(' or ')}`;
  return { routeKey: route.routeKey, requires, ...answer };
}
