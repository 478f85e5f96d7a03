/**
 * The checks of the issuer alone (no token): URL, host, TLS trust, discovery, issuer
 * equality, JWKS URI, JWKS fetch and its keys. The CLI and the deploy-time Lambda both run
 * these, so a deploy fails with the same words the doctor prints.
 */
import { isIP } from 'node:net';
import { isRecord } from '../is-record';
import { discoveryUrlFor, selectSigningKeys } from '../jwt';
import { show } from '../jwt/show';
import { isLocalOrPrivateHost, issuerUrlProblem, issuerUrlWarnings } from '../validation';
import { FIX, LOCAL_ONLY } from './fixes';
import type { FetchOutcome, IssuerNet, TlsTrustOutcome } from './net';
import type { CheckResult } from './check-result';

export interface IssuerCheckOptions {
  readonly issuerUrl: string;
  readonly net: IssuerNet;
  /** --allow-private: go on past a loopback/private host (still a fail). */
  readonly allowPrivate?: boolean;
  /** --ca-file given: go on past an untrusted certificate (still a fail). */
  readonly extraCa?: boolean;
  /**
   * Mention the doctor's --allow-private / --ca-file where they would help. Off in the
   * deploy-time Lambda, where no flag exists.
   * @default true
   */
  readonly flagHints?: boolean;
}

export interface Jwk {
  readonly kty?: unknown;
  readonly kid?: unknown;
  readonly use?: unknown;
  readonly alg?: unknown;
  readonly [name: string]: unknown;
}

export interface IssuerCheckOutcome {
  readonly checks: CheckResult[];
  /** The JWKS when it could be fetched (even if its keys are unusable), for the token checks. */
  readonly jwks?: { readonly keys: readonly Jwk[] };
}

const skip = (id: string, title: string, reason: string): CheckResult => ({
  id,
  title,
  verdict: 'skip',
  detail: reason,
});

/**
 * What one step hands the next: the value the later checks need, or why they cannot run
 * (the reason their `skip` lines show). Passing it explicitly keeps every step a plain
 * function of its inputs, as jose's verify steps are.
 */
type Gate<T> = { readonly pass: T } | { readonly blocked: string };

interface Step<T> {
  readonly check: CheckResult;
  readonly next: Gate<T>;
}

const pass = <T>(value: T): Gate<T> => ({ pass: value });
const block = <T>(reason: string): Gate<T> => ({ blocked: reason });

/**
 * Runs the steps in order, each on what the previous one let through; a step whose input is
 * blocked reports `skip` with the reason. The issuer's own TLS answer is reused for the JWKS
 * host when both are the same host.
 */
export async function runIssuerChecks(options: IssuerCheckOptions): Promise<IssuerCheckOutcome> {
  const urlStep = checkIssuerUrl(options.issuerUrl);
  const hostStep = await checkIssuerHost(urlStep.next, options);
  const tlsStep = await checkIssuerTls(hostStep.next, options);
  const discoveryStep = await checkDiscovery(tlsStep.next, options);
  const issuerStep = checkDiscoveryIssuer(discoveryStep.next, options.issuerUrl);
  const jwksUriStep = checkJwksUri(discoveryStep.next, options);
  const jwksTlsStep = await checkJwksTls(jwksUriStep.next, tlsStep.check, options);
  const jwksStep = await checkJwksDocument(jwksTlsStep.next, options.net);
  const keysStep = checkJwksKeys(jwksStep.next);

  const checks = [
    urlStep,
    hostStep,
    tlsStep,
    discoveryStep,
    issuerStep,
    jwksUriStep,
    jwksTlsStep,
    jwksStep,
    keysStep,
  ].map((step) => step.check);
  return { checks, ...('pass' in jwksStep.next && { jwks: jwksStep.next.pass }) };
}

/** 1. The URL itself: every later check depends on a URL it can parse. */
function checkIssuerUrl(issuerUrl: string): Step<URL> {
  const urlProblem = issuerUrlProblem(issuerUrl);
  if (urlProblem) {
    return {
      check: {
        id: 'issuer.url',
        title: 'issuer URL',
        verdict: 'fail',
        detail: `issuer ${urlProblem}`,
        fix:
          'use https://<host>[:port][/t/<tenant>]/oauth2/token (WSO2 IS) or ' +
          'https://api.asgardeo.io/t/<org>/oauth2/token',
      },
      next: block('the issuer URL is not usable'),
    };
  }
  const urlWarnings = issuerUrlWarnings(issuerUrl).filter((warning) => warning.includes('ends with'));
  const check: CheckResult =
    urlWarnings.length > 0
      ? { id: 'issuer.url', title: 'issuer URL', verdict: 'warn', detail: urlWarnings[0], fix: FIX.trailingSlash }
      : { id: 'issuer.url', title: 'issuer URL', verdict: 'ok', detail: 'https, no query or fragment' };
  return { check, next: pass(new URL(issuerUrl)) };
}

/** 2. The host: resolves, and to a public address. */
async function checkIssuerHost(gate: Gate<URL>, options: IssuerCheckOptions): Promise<Step<URL>> {
  const id = 'issuer.host';
  const title = 'issuer host';
  if ('blocked' in gate) return { check: skip(id, title, gate.blocked), next: gate };
  const host = gate.pass.hostname.replace(/^\[|\]$/g, '');
  const found = isIP(host) ? { addresses: [host] } : await options.net.lookup(host);
  if ('error' in found && found.viaProxy !== undefined) {
    // The proxy resolves the name; whether it is public cannot be told from here.
    return {
      check: {
        id,
        title,
        verdict: 'warn',
        detail: `${host} does not resolve here (${found.error}); it is reached through the proxy ${found.viaProxy}`,
        fix: FIX.hostBehindProxy,
      },
      next: gate,
    };
  }
  if ('error' in found && dnsUnavailable(found.error)) {
    return {
      check: {
        id,
        title,
        verdict: 'fail',
        detail: `${host} could not be looked up: DNS is unavailable from here (${found.error})`,
        fix: FIX.dnsUnavailable,
      },
      next: block(`DNS is unavailable, so issuer host ${host} could not be looked up`),
    };
  }
  if ('error' in found) {
    return {
      check: {
        id,
        title,
        verdict: 'fail',
        detail: `${host} does not resolve (${found.error})`,
        fix: FIX.hostUnresolved,
      },
      next: block(`issuer host ${host} does not resolve`),
    };
  }
  // An IP literal needs no resolving: say what it is rather than "x resolves to x".
  const addresses = isIP(host) ? host : found.addresses.join(', ');
  const named = isIP(host) ? `${host} is` : `${host} resolves to ${addresses},`;
  const isPrivate = isLocalOrPrivateHost(host) || found.addresses.some((address) => isLocalOrPrivateHost(address));
  if (!isPrivate) {
    return {
      check: {
        id,
        title,
        verdict: 'ok',
        detail: isIP(host) ? `${host} is a public address` : `${host} resolves to ${addresses}`,
      },
      next: gate,
    };
  }
  if (options.allowPrivate) {
    return {
      check: {
        id,
        title,
        verdict: 'fail',
        detail: `${named} loopback or private (${LOCAL_ONLY})`,
        fix: FIX.hostPrivate,
      },
      next: gate,
    };
  }
  const hint = options.flagHints === false ? '' : ' (--allow-private checks the rest locally)';
  return {
    check: {
      id,
      title,
      verdict: 'fail',
      detail: `${named} loopback or private: API Gateway cannot reach it${hint}`,
      fix: FIX.hostPrivate,
    },
    next: block(`issuer host ${host} is loopback or private (--allow-private checks it locally)`),
  };
}

/** 3. TLS trust of the issuer's host, against Node's default CA store only. */
async function checkIssuerTls(gate: Gate<URL>, options: IssuerCheckOptions): Promise<Step<URL>> {
  if ('blocked' in gate) return { check: tlsCheck('tls.issuer', 'issuer TLS', gate), next: gate };
  const tls = await options.net.tlsTrust(options.issuerUrl);
  const check = tlsCheck('tls.issuer', 'issuer TLS', { tls }, options.extraCa);
  if (tls.reachable && !tls.trusted && !options.extraCa) {
    return { check, next: block("the issuer's certificate is not trusted (--ca-file checks the rest locally)") };
  }
  return { check, next: gate };
}

interface Discovered {
  readonly url: URL;
  readonly doc: Record<string, unknown>;
}

/** 4. The discovery document: 200 JSON within API Gateway's limits. */
async function checkDiscovery(gate: Gate<URL>, options: IssuerCheckOptions): Promise<Step<Discovered>> {
  if ('blocked' in gate) return { check: skip('discovery', 'discovery', gate.blocked), next: gate };
  const discovery = await options.net.fetchDiscovery(options.issuerUrl);
  const check = fetchCheck('discovery', 'discovery', discovery, 'discovery');
  if (discovery.failure || !isRecord(discovery.body)) {
    return { check, next: block(`no discovery document at ${discoveryUrlFor(options.issuerUrl)}`) };
  }
  return { check, next: pass({ url: gate.pass, doc: discovery.body }) };
}

/** 5. Its issuer equals ours, character for character. */
function checkDiscoveryIssuer(gate: Gate<Discovered>, issuerUrl: string): Step<Discovered> {
  const base = { id: 'discovery.issuer', title: 'discovery issuer' } as const;
  if ('blocked' in gate) return { check: skip(base.id, base.title, gate.blocked), next: gate };
  const { doc } = gate.pass;
  if (doc.issuer === issuerUrl) {
    return { check: { ...base, verdict: 'ok', detail: 'equals the configured issuer' }, next: gate };
  }
  return {
    check: {
      ...base,
      verdict: 'fail',
      detail: `discovery says ${show(doc.issuer ?? null)}, configured ${JSON.stringify(issuerUrl)}`,
      fix: FIX.issuerMismatch,
    },
    next: gate,
  };
}

interface JwksTarget {
  readonly issuerHost: string;
  readonly jwksUrl: URL;
}

/** 6. jwks_uri: https, reachable from the internet. */
function checkJwksUri(gate: Gate<Discovered>, options: IssuerCheckOptions): Step<JwksTarget> {
  const id = 'jwks.uri';
  const title = 'jwks_uri';
  if ('blocked' in gate) return { check: skip(id, title, gate.blocked), next: gate };
  const raw = gate.pass.doc.jwks_uri;
  const parsed = parseUrl(raw);
  if (!parsed) {
    return {
      check: {
        id,
        title,
        verdict: 'fail',
        detail: `discovery has no usable jwks_uri, got ${show(raw ?? null)}`,
        fix: FIX.jwksUriNotHttps,
      },
      next: block('no usable jwks_uri'),
    };
  }
  if (parsed.protocol !== 'https:') {
    return {
      check: { id, title, verdict: 'fail', detail: `${show(raw, 200)} is not https`, fix: FIX.jwksUriNotHttps },
      next: block('jwks_uri is not https'),
    };
  }
  const target = pass({ issuerHost: gate.pass.url.host, jwksUrl: parsed });
  if (parsed.host !== gate.pass.url.host && isLocalOrPrivateHost(parsed.hostname)) {
    return {
      check: {
        id,
        title,
        verdict: 'fail',
        detail: `${show(raw, 200)} is on a loopback or private host${options.allowPrivate ? ` (${LOCAL_ONLY})` : ''}`,
        fix: FIX.hostPrivate,
      },
      next: options.allowPrivate ? target : block('jwks_uri is on a loopback or private host'),
    };
  }
  return { check: { id, title, verdict: 'ok', detail: `${raw}` }, next: target };
}

/** 7. TLS trust of the JWKS host (the issuer's answer when it is the same host). */
async function checkJwksTls(
  gate: Gate<JwksTarget>,
  issuerTlsCheck: CheckResult,
  options: IssuerCheckOptions,
): Promise<Step<URL>> {
  const id = 'tls.jwks';
  const title = 'JWKS TLS';
  if ('blocked' in gate) return { check: skip(id, title, gate.blocked), next: gate };
  const { issuerHost, jwksUrl } = gate.pass;
  if (jwksUrl.host === issuerHost) {
    return {
      check: { ...issuerTlsCheck, id, title, detail: `same host as the issuer: ${issuerTlsCheck.detail}` },
      next: pass(jwksUrl),
    };
  }
  const tls = await options.net.tlsTrust(jwksUrl.href);
  const check = tlsCheck(id, title, { tls }, options.extraCa);
  if (tls.reachable && !tls.trusted && !options.extraCa) {
    return { check, next: block('the JWKS certificate is not trusted (--ca-file checks the rest locally)') };
  }
  return { check, next: pass(jwksUrl) };
}

type Jwks = { readonly keys: readonly Jwk[] };

/** 8. The JWKS itself: 200 JSON with a `keys` list, within 1500 ms and 150000 bytes. */
async function checkJwksDocument(gate: Gate<URL>, net: IssuerNet): Promise<Step<Jwks>> {
  if ('blocked' in gate) return { check: skip('jwks', 'JWKS', gate.blocked), next: gate };
  const jwksUrl = gate.pass;
  const fetched = await net.fetchJwks(jwksUrl.href);
  const keys = isRecord(fetched.body) && Array.isArray(fetched.body.keys) ? (fetched.body.keys as Jwk[]) : undefined;
  const check: CheckResult =
    !fetched.failure && !keys
      ? {
          id: 'jwks',
          title: 'JWKS',
          verdict: 'fail',
          detail: `${jwksUrl.href} answered JSON without a "keys" list`,
          fix: FIX.jwksUnreachable,
        }
      : fetchCheck('jwks', 'JWKS', fetched, 'jwks');
  if (fetched.failure || !keys) return { check, next: block('no JWKS') };
  return { check, next: pass({ keys: keys.filter(isRecord) }) };
}

/** 9. At least one key API Gateway can use: RSA, for signing, with a kid. */
function checkJwksKeys(gate: Gate<Jwks>): Step<Jwks> {
  if ('blocked' in gate) return { check: skip('jwks.keys', 'JWKS keys', gate.blocked), next: gate };
  return { check: keysCheck(gate.pass.keys), next: gate };
}

function parseUrl(raw: unknown): URL | undefined {
  return typeof raw === 'string' && URL.canParse(raw) ? new URL(raw) : undefined;
}

/** The TLS line: a skip with the reason when blocked, else the trust verdict. */
function tlsCheck(
  id: string,
  title: string,
  input: { readonly blocked: string } | { readonly tls: TlsTrustOutcome },
  extraCa?: boolean,
): CheckResult {
  if ('blocked' in input) return skip(id, title, input.blocked);
  const { tls } = input;
  if (!tls.reachable) return skip(id, title, `no TLS session (${tls.reason ?? 'unknown error'}): see the fetch below`);
  const leaf = tls.subject ? ` for ${tls.subject}` : '';
  if (tls.trusted)
    return {
      id,
      title,
      verdict: 'ok',
      detail: `certificate${leaf} trusted by Node's default CA store${tls.issuer ? ` (issued by ${tls.issuer})` : ''}`,
    };
  return {
    id,
    title,
    verdict: 'fail',
    detail:
      `certificate${leaf} not trusted by Node's default CA store (${tls.reason ?? 'untrusted'}): API Gateway ` +
      `will refuse it${extraCa ? `; trusted with --ca-file (${LOCAL_ONLY})` : ''}`,
    fix: FIX.tlsUntrusted,
  };
}

function fetchCheck(id: string, title: string, fetched: FetchOutcome, what: 'discovery' | 'jwks'): CheckResult {
  const failure = fetched.failure;
  if (!failure) {
    return {
      id,
      title,
      verdict: 'ok',
      detail:
        `${fetched.url}: ${fetched.status ?? 200} JSON, ${fetched.bytes ?? '?'} bytes in ` +
        `${Math.round(fetched.elapsedMs)} ms`,
    };
  }
  const fix = (() => {
    switch (failure.kind) {
      case 'timeout':
        return what === 'discovery' ? FIX.discoverySlow : FIX.jwksSlow;
      case 'too-large':
        return what === 'discovery' ? FIX.discoveryNotJson : FIX.jwksTooLarge;
      case 'tls':
        return FIX.tlsUntrusted;
      case 'status':
        return what === 'discovery' ? FIX.discoveryMissing : FIX.jwksUnreachable;
      case 'not-json':
        return what === 'discovery' ? FIX.discoveryNotJson : FIX.jwksUnreachable;
      default:
        if (fetched.viaProxy !== undefined) return FIX.proxyUnreachable;
        if (dnsUnavailable(failure.message)) return FIX.dnsUnavailable;
        return what === 'discovery' ? FIX.hostUnresolved : FIX.jwksUnreachable;
    }
  })();
  return { id, title, verdict: 'fail', detail: `${fetched.url}: ${failure.message}`, fix };
}

/** Which keys API Gateway can use, by the rules module's own selection (RSA, signing, kid). */
function keysCheck(keys: readonly Jwk[]): CheckResult {
  const base = { id: 'jwks.keys', title: 'JWKS keys' } as const;
  const { keys: usable, ignored } = selectSigningKeys({ keys });
  const ignoredText = ignored.map((key) => key.reason).join('; ');
  if (usable.size === 0) {
    const anyRsa = keys.some((key) => key.kty === 'RSA');
    return {
      ...base,
      verdict: 'fail',
      detail: `no RSA signing key with a kid${ignored.length ? `: ${ignoredText}` : ' (the JWKS is empty)'}`,
      fix: anyRsa ? FIX.keyWithoutKid : FIX.noRsaKey,
    };
  }
  const listed = `${usable.size} RSA signing key(s) with kid: ${[...usable.keys()].join(', ')}`;
  if (ignored.length === 0) return { ...base, verdict: 'ok', detail: listed };
  const nonRsa = keys.some((key) => key.kty !== 'RSA');
  return {
    ...base,
    verdict: 'warn',
    detail: `${listed}; ignored by API Gateway: ${ignoredText}`,
    fix: nonRsa ? FIX.nonRsaKeys : FIX.keyWithoutKid,
  };
}

/**
 * EAI_AGAIN (a temporary resolver failure: offline, no resolver) or no answer at all says
 * nothing about the issuer's name, unlike ENOTFOUND.
 */
function dnsUnavailable(error: string): boolean {
  return /\bEAI_AGAIN\b/.test(error) || error.startsWith('no DNS answer');
}
