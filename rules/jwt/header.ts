import { MissingKidError, UnsupportedAlgorithmError } from './errors';
import { SUPPORTED_ALGORITHMS, type SupportedAlgorithm } from './limits';
import { show } from './show';

export interface CheckedHeader {
  readonly alg: SupportedAlgorithm;
  readonly kid: string;
}

/**
 * API Gateway only supports RSA signatures and picks the key by `kid`.
 * @throws UnsupportedAlgorithmError for any other `alg` (`none`, HS256, ES256, PS256...).
 * @throws MissingKidError when `kid` is absent or not a non-empty string.
 */
export function checkHeader(header: Record<string, unknown>): CheckedHeader {
  const { alg, kid } = header;
  if (typeof alg !== 'string' || !(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new UnsupportedAlgorithmError(
      `header alg ${show(alg, 40)} is not supported: API Gateway accepts ${SUPPORTED_ALGORITHMS.join(', ')} only`,
      typeof alg === 'string' ? alg.slice(0, 40) : show(alg, 40),
    );
  }
  if (typeof kid !== 'string' || kid === '') {
    throw new MissingKidError(
      `header kid is ${kid === undefined ? 'missing' : `not a non-empty string (got ${show(kid, 40)})`}: API Gateway ` +
        `needs it to pick the issuer's key`,
    );
  }
  return { alg: alg as SupportedAlgorithm, kid };
}
