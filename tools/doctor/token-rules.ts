/**
 * Binds the doctor's token checks to the shared rules module (authorizer-rules/): each rule
 * called on its own, its error message passed through, so the doctor says what the local
 * gateway would do, for the same reason.
 */
import type { JWK } from 'jose';
import {
  checkAudience,
  checkHeader,
  checkIssuer,
  checkTimes,
  decodeToken,
  MissingKidError,
  staticKeySource,
  SUPPORTED_ALGORITHMS,
  UnknownKidError,
  UnsupportedAlgorithmError,
  verifySignature,
  type SupportedAlgorithm,
} from '../../rules/jwt';
import type { Jwk } from '../../rules/issuer/issuer-checks';
import type { RuleAnswer, TokenRules } from './token-checks';

/** Runs one throwing rule and turns its error into an answer. */
function answer(rule: () => unknown): RuleAnswer {
  try {
    rule();
    return undefined;
  } catch (error) {
    return { message: (error as Error).message };
  }
}

export const tokenRules: TokenRules = {
  decode(token) {
    try {
      const { header, payload } = decodeToken(token);
      return { header, payload };
    } catch (error) {
      return { error: (error as Error).message };
    }
  },
  algorithm(header) {
    try {
      checkHeader(header);
      return undefined;
    } catch (error) {
      // The kid has its own line: only the algorithm is judged here.
      if (error instanceof MissingKidError) return undefined;
      if (error instanceof UnsupportedAlgorithmError) return { message: error.message };
      throw error;
    }
  },
  async key(header, keys) {
    let kid: string;
    try {
      // The algorithm has its own line: judge the kid as if the algorithm were fine.
      kid = checkHeader({ ...header, alg: SUPPORTED_ALGORITHMS[0] }).kid;
    } catch (error) {
      return { reason: 'missing-kid', message: (error as Error).message };
    }
    try {
      return { key: (await staticKeySource({ keys }).getSigningKey(kid)) as Jwk };
    } catch (error) {
      // A static key source fails in one way only: no usable key has this kid.
      if (error instanceof UnknownKidError) return { reason: 'unknown-kid', message: error.message };
      throw error;
    }
  },
  async signature(token, key) {
    try {
      await verifySignature(token, String(decodeToken(token).header.alg) as SupportedAlgorithm, key as JWK);
      return undefined;
    } catch (error) {
      return { message: (error as Error).message };
    }
  },
  issuer: (payload, issuerUrl) => answer(() => checkIssuer(payload, issuerUrl)),
  audience: (payload, audiences) => answer(() => checkAudience(payload, audiences)),
  times: (payload, now) => answer(() => checkTimes(payload, now)),
};
