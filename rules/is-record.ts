/** A JSON object (not null, not an array): what a config section, a JWKS or a discovery document must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
