/**
 * The checks of the issuer alone (no token): URL, host, TLS trust, discovery, issuer
 * equality, JWKS URI, JWKS fetch and its keys. The CLI and the deploy-time Lambda both run
 * these, so a deploy fails with the same words the doctor prints.
 */
import { isIP } from 'node:net';
import { selectSigningKeys } from '../jwt';
import { show } from '../jwt/show';
import { isLocalOrPrivateHost, issuerUrlProblem, issuerUrlWarnings } from '../validation';
import { FIX, LOCAL_ONLY } from './fixes';
import type { FetchOutcome, IssuerNet, TlsTrustOutcome } from './net';
import type { CheckResult } from './check-result';

/** API Gateway's limits (reference, section 1.3). */
export const FETCH_TIMEOUT_MS = 1500;
export const JWKS_MAX_BYTES = 150000;

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

export async function runIssuerChecks(options: IssuerCheckOptions): Promise<IssuerCheckOutcome> {
  const { issuerUrl, net } = options;
  const checks: CheckResult[] = [];
  const add = (check: CheckResult): CheckResult => {
    checks.push(check);
    return check;
  };

  // 1. The URL itself.
  const urlProblem = issuerUrlProblem(issuerUrl);
  const urlWarnings = urlProblem ? [] : issuerUrlWarnings(issuerUrl).filter((warning) => warning.includes('ends with'));
  add(
    urlProblem
      ? {
          id: 'issuer.url',
          title: 'issuer URL',
          verdict: 'fail',
          detail: `issuer ${urlProblem}`,
          fix: 'use https://<host>[:port][/t/<tenant>]/oauth2/token (WSO2 IS) or https://api.asgardeo.io/t/<org>/oauth2/token',
        }
      : urlWarnings.length > 0
        ? { id: 'issuer.url', title: 'issuer URL', verdict: 'warn', detail: urlWarnings[0], fix: FIX.trailingSlash }
        : { id: 'issuer.url', title: 'issuer URL', verdict: 'ok', detail: 'https, no query or fragment' },
  );
  // Every later check depends on a URL it can parse.
  let blocked: string | undefined = urlProblem ? 'the issuer URL is not usable' : undefined;
  const url = urlProblem ? undefined : new URL(issuerUrl);

  // 2. The host: resolves, and to a public address.
  if (!url) {
    add(skip('issuer.host', 'issuer host', blocked!));
  } else {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const found = isIP(host) ? { addresses: [host] } : await net.lookup(host);
    if ('error' in found && found.viaProxy !== undefined) {
      // The proxy resolves the name; whether it is public cannot be told from here.
      add({
        id: 'issuer.host',
        title: 'issuer host',
        verdict: 'warn',
        detail: `${host} does not resolve here (${found.error}); it is reached through the proxy ${found.viaProxy}`,
        fix: FIX.hostBehindProxy,
      });
    } else if ('error' in found && dnsUnavailable(found.error)) {
      add({
        id: 'issuer.host',
        title: 'issuer host',
        verdict: 'fail',
        detail: `${host} could not be looked up: DNS is unavailable from here (${found.error})`,
        fix: FIX.dnsUnavailable,
      });
      blocked = `DNS is unavailable, so issuer host ${host} could not be looked up`;
    } else if ('error' in found) {
      add({
        id: 'issuer.host',
        title: 'issuer host',
        verdict: 'fail',
        detail: `${host} does not resolve (${found.error})`,
        fix: FIX.hostUnresolved,
      });
      blocked = `issuer host ${host} does not resolve`;
    } else {
      // An IP literal needs no resolving: say what it is rather than "x resolves to x".
      const addresses = isIP(host) ? host : found.addresses.join(', ');
      const named = isIP(host) ? `${host} is` : `${host} resolves to ${addresses},`;
      const isPrivate = isLocalOrPrivateHost(host) || found.addresses.some((address) => isLocalOrPrivateHost(address));
      if (!isPrivate) {
        add({
          id: 'issuer.host',
          title: 'issuer host',
          verdict: 'ok',
          detail: isIP(host) ? `${host} is a public address` : `${host} resolves to ${addresses}`,
        });
      } else if (options.allowPrivate) {
        add({
          id: 'issuer.host',
          title: 'issuer host',
          verdict: 'fail',
          detail: `${named} loopback or private (${LOCAL_ONLY})`,
          fix: FIX.hostPrivate,
        });
      } else {
        add({
          id: 'issuer.host',
          title: 'issuer host',
          verdict: 'fail',
          detail: `${named} loopback or private: API Gateway cannot reach it${options.flagHints === false ? '' : ' (--allow-private checks the rest locally)'}`,
          fix: FIX.hostPrivate,
        });
        blocked = `issuer host ${host} is loopback or private (--allow-private checks it locally)`;
      }
    }
  }

  // 3. TLS trust of the issuer's host, against Node's default CA store only.
  const issuerTls = blocked ? undefined : await net.tlsTrust(issuerUrl);
  const issuerTlsCheck = tlsCheck('tls.issuer', 'issuer TLS', issuerTls, blocked, options.extraCa);
  add(issuerTlsCheck);
  if (!blocked && issuerTls?.reachable && !issuerTls.trusted && !options.extraCa) {
    blocked = "the issuer's certificate is not trusted (--ca-file checks the rest locally)";
  }

  // 4. Discovery document.
  const discoveryUrl = `${issuerUrl}/.well-known/openid-configuration`;
  let discovery: FetchOutcome | undefined;
  if (blocked) {
    add(skip('discovery', 'discovery', blocked));
  } else {
    discovery = await net.fetchDiscovery(issuerUrl);
    add(fetchCheck('discovery', 'discovery', discovery, 'discovery'));
  }
  const doc = discovery && !discovery.failure && isRecord(discovery.body) ? discovery.body : undefined;
  const noDoc = blocked ?? (doc ? undefined : `no discovery document at ${discoveryUrl}`);

  // 5. Its issuer equals ours, character for character.
  if (!doc) {
    add(skip('discovery.issuer', 'discovery issuer', noDoc!));
  } else if (doc.issuer === issuerUrl) {
    add({ id: 'discovery.issuer', title: 'discovery issuer', verdict: 'ok', detail: 'equals the configured issuer' });
  } else {
    add({
      id: 'discovery.issuer',
      title: 'discovery issuer',
      verdict: 'fail',
      detail: `discovery says ${show(doc.issuer ?? null)}, configured ${JSON.stringify(issuerUrl)}`,
      fix: FIX.issuerMismatch,
    });
  }

  // 6. jwks_uri: https, reachable from the internet.
  let jwksUrl: URL | undefined;
  let jwksBlocked = noDoc;
  if (doc) {
    const raw = doc.jwks_uri;
    let parsed: URL | undefined;
    try {
      parsed = typeof raw === 'string' ? new URL(raw) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      add({
        id: 'jwks.uri',
        title: 'jwks_uri',
        verdict: 'fail',
        detail: `discovery has no usable jwks_uri, got ${show(raw ?? null)}`,
        fix: FIX.jwksUriNotHttps,
      });
      jwksBlocked = 'no usable jwks_uri';
    } else if (parsed.protocol !== 'https:') {
      add({
        id: 'jwks.uri',
        title: 'jwks_uri',
        verdict: 'fail',
        detail: `${show(raw, 200)} is not https`,
        fix: FIX.jwksUriNotHttps,
      });
      jwksBlocked = 'jwks_uri is not https';
    } else if (parsed.host !== url!.host && isLocalOrPrivateHost(parsed.hostname)) {
      add({
        id: 'jwks.uri',
        title: 'jwks_uri',
        verdict: 'fail',
        detail: `${show(raw, 200)} is on a loopback or private host${options.allowPrivate ? ` (${LOCAL_ONLY})` : ''}`,
        fix: FIX.hostPrivate,
      });
      if (!options.allowPrivate) jwksBlocked = 'jwks_uri is on a loopback or private host';
    } else {
      add({ id: 'jwks.uri', title: 'jwks_uri', verdict: 'ok', detail: String(raw) });
    }
    jwksUrl = jwksBlocked === undefined ? parsed : undefined;
  } else {
    add(skip('jwks.uri', 'jwks_uri', noDoc!));
  }

  // 7. TLS trust of the JWKS host (the same answer when it is the issuer's host).
  if (!jwksUrl) {
    add(skip('tls.jwks', 'JWKS TLS', jwksBlocked!));
  } else if (jwksUrl.host === url!.host) {
    add({
      ...issuerTlsCheck,
      id: 'tls.jwks',
      title: 'JWKS TLS',
      detail: `same host as the issuer: ${issuerTlsCheck.detail}`,
    });
  } else {
    const jwksTls = await net.tlsTrust(jwksUrl.href);
    add(tlsCheck('tls.jwks', 'JWKS TLS', jwksTls, undefined, options.extraCa));
    if (jwksTls.reachable && !jwksTls.trusted && !options.extraCa) {
      jwksBlocked = 'the JWKS certificate is not trusted (--ca-file checks the rest locally)';
      jwksUrl = undefined;
    }
  }

  // 8. The JWKS itself: 200 JSON within 1500 ms and 150000 bytes.
  let jwks: { keys: readonly Jwk[] } | undefined;
  if (!jwksUrl) {
    add(skip('jwks', 'JWKS', jwksBlocked!));
  } else {
    const fetched = await net.fetchJwks(jwksUrl.href);
    const keys = isRecord(fetched.body) && Array.isArray(fetched.body.keys) ? (fetched.body.keys as Jwk[]) : undefined;
    if (!fetched.failure && !keys) {
      add({
        id: 'jwks',
        title: 'JWKS',
        verdict: 'fail',
        detail: `${jwksUrl.href} answered JSON without a "keys" list`,
        fix: FIX.jwksUnreachable,
      });
    } else {
      add(fetchCheck('jwks', 'JWKS', fetched, 'jwks'));
    }
    if (!fetched.failure && keys) jwks = { keys: keys.filter(isRecord) };
  }

  // 9. At least one key API Gateway can use: RSA, for signing, with a kid.
  if (!jwks) {
    add(skip('jwks.keys', 'JWKS keys', jwksBlocked ?? 'no JWKS'));
  } else {
    add(keysCheck(jwks.keys));
  }

  return { checks, ...(jwks && { jwks }) };
}

function tlsCheck(
  id: string,
  title: string,
  tls: TlsTrustOutcome | undefined,
  blocked: string | undefined,
  extraCa: boolean | undefined,
): CheckResult {
  if (!tls) return skip(id, title, blocked!);
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
    detail: `certificate${leaf} not trusted by Node's default CA store (${tls.reason ?? 'untrusted'}): API Gateway will refuse it${extraCa ? `; trusted with --ca-file (${LOCAL_ONLY})` : ''}`,
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
      detail: `${fetched.url}: ${fetched.status ?? 200} JSON, ${fetched.bytes ?? '?'} bytes in ${Math.round(fetched.elapsedMs)} ms`,
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
