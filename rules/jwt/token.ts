import { MalformedTokenError, TokenMissingError } from './errors';
import { show } from './show';

/** A JWT split and decoded, not yet trusted. */
export interface DecodedToken {
  /** The compact JWS, exactly as received (without any `Bearer ` prefix). */
  readonly compact: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

const BEARER = /^bearer\s+/i;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Reads the token from the identity source's value (the Authorization header by default).
 * API Gateway accepts the bare token or `Bearer <token>`.
 * @throws TokenMissingError when there is no value, or only `Bearer`.
 */
export function extractToken(
  identitySourceValue: string | readonly string[] | undefined,
  identitySource = '$request.header.Authorization',
): string {
  const value = Array.isArray(identitySourceValue) ? identitySourceValue[0] : identitySourceValue;
  const trimmed = typeof value === 'string' ? value.trim() : '';
  const token = BEARER.test(trimmed) ? trimmed.replace(BEARER, '') : /^bearer$/i.test(trimmed) ? '' : trimmed;
  if (token === '') {
    throw new TokenMissingError(`no token in the identity source ${identitySource}`);
  }
  return token;
}

/**
 * Splits a compact JWS and decodes its header and payload, checking only the shape.
 * @throws MalformedTokenError saying which part is wrong (never echoing the token).
 */
export function decodeToken(token: string): DecodedToken {
  const parts = token.split('.');
  if (parts.length !== 3) {
    const hint = parts.length === 1 ? ' (an opaque token? the issuer must issue JWT access tokens)' : '';
    throw new MalformedTokenError(`the token is not a JWT: expected 3 dot-separated parts, got ${parts.length}${hint}`);
  }
  const header = decodePart(parts[0], 'header');
  const payload = decodePart(parts[1], 'payload');
  // An empty signature is a shape `alg: none` tokens have: let the header check reject it
  // for its algorithm, which says more than "malformed".
  if (!BASE64URL.test(parts[2])) {
    throw new MalformedTokenError('the token signature is not base64url');
  }
  return { compact: token, header, payload };
}

function decodePart(part: string, name: 'header' | 'payload'): Record<string, unknown> {
  if (part === '' || !BASE64URL.test(part)) {
    throw new MalformedTokenError(`the token ${name} is not base64url`);
  }
  const bytes = Buffer.from(part, 'base64url');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedTokenError(`the token ${name} is not valid UTF-8`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedTokenError(`the token ${name} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedTokenError(`the token ${name} must be a JSON object, got ${show(parsed, 40)}`);
  }
  return parsed as Record<string, unknown>;
}
