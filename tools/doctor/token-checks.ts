/**
 * The checks of one token, each run on its own so that one failure does not hide the next
 * (an expired token with the wrong audience shows both). The rules themselves come from the
 * shared module through TokenRules; this file only orders them, words them and adds fixes.
 * Claims come from an untrusted token: every value is shown through `show` (cut when long)
 * and no step assumes a claim's type or magnitude.
 */
import { decideRoute, type TokenJudgement } from '../../rules/jwt';
import { redactToken } from './args';
import { FIX } from '../../rules/issuer/fixes';
import type { Jwk } from '../../rules/issuer/issuer-checks';
import { show } from '../../rules/jwt/show';
import type { CheckResult, RouteOutcome } from './report';
import type { SynthesizedRoute } from './routes';

/** A rule's answer: undefined when it passes, else why not (the rules module's message). */
export type RuleAnswer = undefined | { readonly message: string };

type Payload = Record<string, unknown>;

/** The shared rules (rules/jwt), one call per rule of reference section 1. */
export interface TokenRules {
  decode(token: string): { header: Record<string, unknown>; payload: Payload } | { error: string };
  algorithm(header: Record<string, unknown>): RuleAnswer;
  /** Picks the JWKS key for the header's kid: `missing-kid` and `unknown-kid` say why not. */
  key(
    header: Record<string, unknown>,
    keys: readonly Jwk[],
  ): Promise<{ key: Jwk } | { reason: 'missing-kid' | 'unknown-kid'; message: string }>;
  signature(token: string, key: Jwk): Promise<RuleAnswer>;
  issuer(payload: Payload, issuerUrl: string): RuleAnswer;
  audience(payload: Payload, audiences: readonly string[]): RuleAnswer;
  times(payload: Payload, nowSeconds: number): RuleAnswer;
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

export interface TokenCheckOutcome {
  readonly checks: CheckResult[];
  readonly routes: RouteOutcome[];
}

/**
 * Format, algorithm, kid, signature, iss, aud, lifetime; then how each route would answer,
 * the scopes and the token's kind. Each step is a function of its inputs alone.
 */
export async function runTokenChecks(options: TokenCheckOptions): Promise<TokenCheckOutcome> {
  const decoded = options.rules.decode(options.token);
  if ('error' in decoded) return notAJwt(options, decoded.error);
  const { header, payload } = decoded;

  const alg = algorithmStep(header, options.rules);
  const kid = await keyStep(header, options);
  const checks: CheckResult[] = [
    formatStep(options.token, header),
    alg,
    kid.check,
    await signatureStep(options, kid.key, alg, !options.jwks),
    issuerStep(payload, options),
    audienceStep(payload, options),
    lifetimeStep(payload, options.nowSeconds, options.rules.times(payload, options.nowSeconds)),
  ];
  const invalid = whyInvalid(checks, kid.key);
  const routes = routeOutcomes(payload, invalid, options);
  checks.push(scopesStep(payload, routes, invalid), kindStep(payload, options.routes));
  return { checks, routes };
}

/** Not a JWT: every later check is skipped and every protected route would say 401. */
function notAJwt(options: TokenCheckOptions, error: string): TokenCheckOutcome {
  const opaque = looksOpaque(options.token);
  const why = 'the token is not a JWT';
  const format: CheckResult = {
    id: 'token.format',
    title: 'token format',
    verdict: 'fail',
    detail: opaque
      ? `${redactToken(options.token)} is an opaque token, not a JWT: API Gateway answers 401 to it`
      : `${redactToken(options.token)} is not a JWT (${error})`,
    fix: opaque ? FIX.opaqueToken : FIX.malformedToken,
  };
  return {
    checks: [format, ...TOKEN_CHECKS.map(([id, title]) => skip(id, title, why))],
    routes: options.routes.map((route) =>
      outcome(route, route.protected ? { status: 401, reason: why } : { status: 200, reason: 'public route' }),
    ),
  };
}

function formatStep(token: string, header: Record<string, unknown>): CheckResult {
  const typ = typeof header.typ === 'string' ? header.typ : header.typ === undefined ? '(none)' : show(header.typ, 40);
  return { id: 'token.format', title: 'token format', verdict: 'ok', detail: `JWT ${redactToken(token)}, typ ${typ}` };
}

/** The header's algorithm: RS256, RS384 or RS512. */
function algorithmStep(header: Record<string, unknown>, rules: TokenRules): CheckResult {
  const problem = rules.algorithm(header);
  return problem
    ? { id: 'token.alg', title: 'token alg', verdict: 'fail', detail: problem.message, fix: FIX.algNotRsa }
    : { id: 'token.alg', title: 'token alg', verdict: 'ok', detail: `${String(header.alg)} (RSA)` };
}

/** A kid the JWKS knows, and the key it names. */
async function keyStep(
  header: Record<string, unknown>,
  options: TokenCheckOptions,
): Promise<{ check: CheckResult; key?: Jwk }> {
  const base = { id: 'token.kid', title: 'token kid' } as const;
  if (!options.jwks) return { check: skip(base.id, base.title, 'no JWKS to look the kid up in') };
  const found = await options.rules.key(header, options.jwks.keys);
  if ('key' in found) {
    return { check: { ...base, verdict: 'ok', detail: `${String(header.kid)} is in the JWKS` }, key: found.key };
  }
  const fix = found.reason === 'missing-kid' ? FIX.kidMissing : FIX.kidUnknown;
  return { check: { ...base, verdict: 'fail', detail: found.message, fix } };
}

/** The signature, with the key the kid named; only when there is one and the algorithm is RSA. */
async function signatureStep(
  options: TokenCheckOptions,
  key: Jwk | undefined,
  alg: CheckResult,
  noJwks: boolean,
): Promise<CheckResult> {
  const base = { id: 'token.signature', title: 'token signature' } as const;
  if (noJwks) return skip(base.id, base.title, 'no JWKS');
  if (alg.verdict === 'fail') return skip(base.id, base.title, 'the algorithm is not RSA');
  if (!key) return skip(base.id, base.title, "no JWKS key for the token's kid");
  const bad = await options.rules.signature(options.token, key);
  return bad
    ? { ...base, verdict: 'fail', detail: bad.message, fix: FIX.signature }
    : { ...base, verdict: 'ok', detail: `verifies with JWKS key ${String(key.kid)}` };
}

function issuerStep(payload: Payload, options: TokenCheckOptions): CheckResult {
  const base = { id: 'token.iss', title: 'token iss' } as const;
  if (!options.rules.issuer(payload, options.issuerUrl)) {
    return { ...base, verdict: 'ok', detail: 'equals the configured issuer' };
  }
  const got = payload.iss === undefined ? 'the token has no iss' : `token iss ${show(payload.iss)}`;
  return {
    ...base,
    verdict: 'fail',
    detail: `${got}, configured ${JSON.stringify(options.issuerUrl)}`,
    fix: FIX.issMismatch,
  };
}

/**
 * `aud` decides, `client_id` only counts when there is no `aud`. When the client id is listed
 * but `aud` holds something else (an identity provider that puts a resource indicator there),
 * the `aud` value is what the audiences lack.
 */
function audienceStep(payload: Payload, options: TokenCheckOptions): CheckResult {
  const base = { id: 'token.aud', title: 'token audience' } as const;
  const { audiences } = options;
  const source =
    payload.aud !== undefined ? `aud ${show(payload.aud)}` : `no aud; client_id ${show(payload.client_id ?? null)}`;
  if (!options.rules.audience(payload, audiences)) {
    return { ...base, verdict: 'ok', detail: `${source} is among the audiences` };
  }
  const listedClient = payload.aud !== undefined ? listedClientId(payload, audiences) : undefined;
  if (listedClient !== undefined) {
    return {
      ...base,
      verdict: 'fail',
      detail:
        `${source} is not among the audiences ${JSON.stringify(audiences)}: the client id ` +
        `${JSON.stringify(listedClient)} ` +
        'is listed, but API Gateway checks client_id only when the token has no aud',
      fix: FIX.audValueMissing,
    };
  }
  return {
    ...base,
    verdict: 'fail',
    detail: `${source} is not among the audiences ${JSON.stringify(audiences)}`,
    fix: FIX.audMismatch,
  };
}

/** The token's client id (`client_id`, else `azp`) when the audiences list it. */
function listedClientId(payload: Payload, audiences: readonly string[]): string | undefined {
  return [payload.client_id, payload.azp].find(
    (value): value is string => typeof value === 'string' && audiences.includes(value),
  );
}

function lifetimeStep(payload: Payload, now: number, problem: RuleAnswer): CheckResult {
  const base = { id: 'token.time', title: 'token lifetime' } as const;
  const exp = typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp : undefined;
  if (problem) {
    if (exp !== undefined && exp <= now) {
      return {
        ...base,
        verdict: 'fail',
        detail: `expired ${duration(now - exp)} ago (exp ${at(exp)})`,
        fix: FIX.expired,
      };
    }
    // A missing or non-numeric exp is the token's shape, not the issuer's clock.
    const clock = exp !== undefined;
    return { ...base, verdict: 'fail', detail: problem.message, fix: clock ? FIX.notYetValid : FIX.expClaim };
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

/** The first failed check, else no key: what makes every protected route 401. */
function whyInvalid(checks: readonly CheckResult[], key: Jwk | undefined): string | undefined {
  const firstFailure = checks.find((check) => check.verdict === 'fail');
  if (firstFailure) return `${firstFailure.title}: ${firstFailure.detail}`;
  return key ? undefined : 'no signing key to verify the token with';
}

/** How API Gateway would answer each route: the authorizer rules' one decision (decideRoute). */
function routeOutcomes(payload: Payload, invalid: string | undefined, options: TokenCheckOptions): RouteOutcome[] {
  const judgement: TokenJudgement<string> = invalid ? { valid: false, why: invalid } : { valid: true, claims: payload };
  return options.routes.map((route) => {
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
}

/** Which protected routes would still say 403. */
function scopesStep(payload: Payload, routes: readonly RouteOutcome[], invalid: string | undefined): CheckResult {
  const base = { id: 'token.scopes', title: 'token scopes' } as const;
  if (invalid) return skip(base.id, base.title, 'the token would get 401 before scopes count');
  const forbidden = routes.filter((route) => route.status === 403);
  const scopes = describeScopes(payload);
  if (forbidden.length === 0) return { ...base, verdict: 'ok', detail: `${scopes}: opens every protected route` };
  return {
    ...base,
    verdict: 'warn',
    detail: `${scopes}: 403 on ${forbidden.map((route) => `${route.routeKey} (needs ${route.requires})`).join(', ')}`,
    fix: FIX.missingScope,
  };
}

/** An ID token passes the authorizer wherever no scope is required (reference 1.10). */
function kindStep(payload: Payload, routes: readonly SynthesizedRoute[]): CheckResult {
  const base = { id: 'token.kind', title: 'token kind' } as const;
  const idTokenSigns = ['at_hash', 'nonce', 'amr'].filter((claim) => payload[claim] !== undefined);
  const hasScope = payload.scope !== undefined || payload.scp !== undefined;
  if (hasScope || idTokenSigns.length === 0) {
    return {
      ...base,
      verdict: 'ok',
      detail: hasScope ? 'access token (has scope)' : 'access token (no ID-token claims)',
    };
  }
  // Named whatever else is wrong with this token: a valid ID token would open them all.
  const opened = routes.filter((route) => route.protected && route.scopes.length === 0).map((route) => route.routeKey);
  const consequence = opened.length
    ? `: it would still open ${opened.join(', ')} (protected routes that require no scope)`
    : ': every protected route requires a scope, so it gets 403';
  return {
    ...base,
    verdict: 'warn',
    detail: `looks like an ID token (no scope, has ${idTokenSigns.join(', ')})${consequence}`,
    fix: FIX.idToken,
  };
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

function skip(id: string, title: string, detail: string): CheckResult {
  return { id, title, verdict: 'skip', detail };
}

/** WSO2's opaque tokens are UUIDs or long hex/base64 strings without dots. */
function looksOpaque(token: string): boolean {
  return !token.includes('.') && /^[A-Za-z0-9_-]{16,}$/.test(token);
}

/** A NumericDate as UTC, or a plain statement when no Date can hold it (exp: 1e300 is valid for API Gateway). */
function at(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds}, beyond any date` : date.toISOString().replace('.000Z', 'Z');
}

function duration(seconds: number): string {
  const whole = Math.floor(seconds);
  if (whole < 120) return `${whole} s`;
  if (whole < 7200) return `${Math.floor(whole / 60)} min`;
  if (whole < 1000 * 365 * 86400) return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
  return 'more than 1000 years';
}

function describeScopes(payload: Payload): string {
  const scope = payload.scope ?? payload.scp;
  if (scope === undefined) return 'no scope';
  return `scope ${show(Array.isArray(scope) ? scope.join(' ') : scope)}`;
}

function outcome(route: SynthesizedRoute, answer: { status: 200 | 401 | 403; reason: string }): RouteOutcome {
  const requires = !route.protected
    ? 'public'
    : route.scopes.length === 0
      ? 'any valid token'
      : `scope ${route.scopes.join(' or ')}`;
  return { routeKey: route.routeKey, requires, ...answer };
}
