// Asset hashes change with the checkout path (source maps embed it) and with every
// dependency bump; a snapshot should only change when the infrastructure does.
const ASSET_HASH = /[0-9a-f]{64}/g;

export function test(value: unknown): boolean {
  return typeof value === 'string' && /[0-9a-f]{64}/.test(value);
}

export function serialize(
  value: string,
  _config: unknown,
  _indentation: string,
  _depth: number,
  _refs: unknown,
  printer: (v: unknown, ...rest: unknown[]) => string,
): string {
  return printer(value.replace(ASSET_HASH, '[ASSET HASH]'), _config, _indentation, _depth, _refs);
}
