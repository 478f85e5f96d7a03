/**
 * Binds the doctor's token checks to the shared rules module (authorizer-rules/): each rule
 * called on its own, its error message passed through.
 */
import type { TokenRules } from './token-checks';

const notMerged = (): never => {
  throw new Error('the token rules of authorizer-rules/ are not merged yet');
};

export const tokenRules: TokenRules = {
  decode: notMerged,
  algorithm: notMerged,
  key: notMerged,
  signature: notMerged,
  issuer: notMerged,
  audience: notMerged,
  times: notMerged,
  scopes: notMerged,
};
