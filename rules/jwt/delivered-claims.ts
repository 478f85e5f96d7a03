import type { Claims } from './claims';

/**
 * Claims as API Gateway hands them to a payload-2.0 Lambda in
 * `requestContext.authorizer.jwt.claims`: every value a string; numbers as their decimal
 * text ("1764403600"), arrays flattened to "[a b]", booleans as "true"/"false", objects as JSON.
 * The handler must cope with this, so the local gateway delivers exactly this shape.
 */
export function claimsAsDelivered(claims: Claims): Record<string, string> {
  // fromEntries defines own properties: a claim named `__proto__` is delivered, not dropped
  // by the prototype setter an assignment would call.
  return Object.fromEntries(
    Object.entries(claims)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name, value]) => [name, deliveredValue(value)]),
  );
}

/** Strings as they are, arrays flattened; numbers, booleans and objects as their JSON text. */
function deliveredValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(itemText).join(' ')}]`;
  return JSON.stringify(value);
}

/** An array item as API Gateway flattens it: objects as JSON, everything else as text. */
function itemText(item: unknown): string {
  return typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item);
}
