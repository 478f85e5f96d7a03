/**
 * API Gateway HTTP API request parameter mapping (the `RequestParameters` of an HTTP proxy
 * integration), as the developer guide's "Transform API requests and responses for HTTP APIs"
 * describes it: keys `append|overwrite|remove:header.<name>`, `append|overwrite|remove:querystring.<name>`
 * and `overwrite:path`; values `$request.header.<name>`, `$request.querystring.<name>`,
 * `$request.path`, `$request.path.<name>`, `$context.<variable>`, `$stageVariables.<name>`, a
 * static string, or `${...}` expressions inside a static string. Reserved headers cannot be mapped.
 * Values are always taken from the caller's request as received, never from an earlier mapping.
 */

import { RESERVED_MAPPING_HEADERS } from '../../rules/route-targets';

export type MappingAction = 'append' | 'overwrite' | 'remove';
export type MappingTarget =
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'querystring'; readonly name: string }
  | { readonly kind: 'path' };

export interface RequestParameterMapping {
  /** The key as written in the template, e.g. `overwrite:header.x-wso2-sub`. */
  readonly key: string;
  readonly action: MappingAction;
  readonly target: MappingTarget;
  /** The value as written in the template, e.g. `$context.authorizer.claims.sub`. */
  readonly value: string;
}

/** A mapping API Gateway would refuse at deploy time; the message names the key and the value. */
export class ParameterMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterMappingError';
  }
}

const RESERVED_HEADERS = new Set(RESERVED_MAPPING_HEADERS.filter((name) => !name.endsWith('*')));
const RESERVED_HEADER_PREFIXES = RESERVED_MAPPING_HEADERS.filter((name) => name.endsWith('*')).map((name) =>
  name.slice(0, -1),
);
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const KEY = /^(append|overwrite|remove):(header|querystring)\.(.+)$/;
// The value expressions the developer guide lists (`$request.body` is not served locally).
const EXPRESSION_KINDS = [
  /request\.header\.[^.\s${}]+/,
  /request\.querystring\.[^\s${}]+/,
  /request\.path(\.[^.\s${}]+)?/,
  /context\.[A-Za-z0-9._]+/,
  /stageVariables\.[A-Za-z0-9_]+/,
];
const EXPRESSION = new RegExp(`^(${EXPRESSION_KINDS.map((kind) => kind.source).join('|')})$`);

/** True for a header name API Gateway refuses to map. */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || RESERVED_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * Reads and checks an integration's RequestParameters.
 * @param where names the integration in error messages, e.g. `integration ApiBackend1234`.
 * @throws ParameterMappingError for a key or value API Gateway would refuse.
 */
export function parseRequestParameters(raw: unknown, where: string): RequestParameterMapping[] {
  if (raw === undefined) return [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ParameterMappingError(`${where}: RequestParameters must be an object, got ${JSON.stringify(raw)}`);
  return Object.entries(raw).map(([key, value]): RequestParameterMapping => {
    if (typeof value !== 'string')
      throw new ParameterMappingError(
        `${where}: request parameter ${JSON.stringify(key)} must map to a string, got ${JSON.stringify(value)}`,
      );
    checkValue(value, `${where}: request parameter ${JSON.stringify(key)}`);
    if (key === 'overwrite:path') return { key, action: 'overwrite', target: { kind: 'path' }, value };
    const match = KEY.exec(key);
    if (!match)
      throw new ParameterMappingError(
        `${where}: request parameter key ${JSON.stringify(key)} is not append|overwrite|remove:header.<name>, ` +
          'append|overwrite|remove:querystring.<name> or overwrite:path',
      );
    const action = match[1] as MappingAction;
    const kind = match[2] as 'header' | 'querystring';
    const name = match[3];
    if (kind === 'header') {
      if (!HEADER_NAME.test(name))
        throw new ParameterMappingError(
          `${where}: ${JSON.stringify(key)} names an invalid header ${JSON.stringify(name)}`,
        );
      if (isReservedHeader(name))
        throw new ParameterMappingError(
          `${where}: ${JSON.stringify(key)} maps the reserved header ${JSON.stringify(name)}, ` +
            'which API Gateway refuses',
        );
      return { key, action, target: { kind, name: name.toLowerCase() }, value };
    }
    return { key, action, target: { kind, name }, value };
  });
}

function checkValue(value: string, where: string): void {
  const expressions = value.startsWith('$') && !value.startsWith('${') ? [value.slice(1)] : bracedExpressions(value);
  for (const expression of expressions) {
    if (expression.startsWith('request.body'))
      throw new ParameterMappingError(
        `${where}: ${JSON.stringify(value)} maps the request body, which the local gateway does not serve`,
      );
    if (!EXPRESSION.test(expression))
      throw new ParameterMappingError(
        `${where}: ${JSON.stringify(value)} is not a mapping expression API Gateway knows`,
      );
  }
}

function bracedExpressions(value: string): string[] {
  return [...value.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]);
}

/** What mapping values are read from: the caller's request as API Gateway received it. */
export interface MappingSource {
  /** Lower-case names; repeated headers already joined with commas. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The request path without the stage. */
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Context variables by name without `$context.`, e.g. `requestId`, `authorizer.claims.sub`. */
  readonly context: Readonly<Record<string, string>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
}

/**
 * The value a mapping sends, or undefined when an expression names something the request does
 * not have (no such header, claim or path parameter).
 */
export function evaluateMappingValue(value: string, source: MappingSource): string | undefined {
  if (value.startsWith('$') && !value.startsWith('${')) return lookup(value.slice(1), source);
  let missing = false;
  const result = value.replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
    const found = lookup(expression, source);
    if (found === undefined) missing = true;
    return found ?? '';
  });
  return missing && result === '' ? undefined : result;
}

function lookup(expression: string, source: MappingSource): string | undefined {
  const [root, kind, ...rest] = expression.split('.');
  if (root === 'request') {
    const name = rest.join('.');
    if (kind === 'header') return source.headers[name.toLowerCase()];
    if (kind === 'querystring') {
      const values = source.query.getAll(name);
      return values.length > 0 ? values.join(',') : undefined;
    }
    if (kind === 'path') return rest.length === 0 ? source.path : source.pathParameters[name];
    return undefined;
  }
  if (root === 'context') return source.context[[kind, ...rest].join('.')];
  if (root === 'stageVariables') return source.stageVariables?.[kind];
  return undefined;
}

/** The request the integration sends, before the mappings apply and after. */
export interface MappedRequest {
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  readonly query: Array<[string, string]>;
  /** Set when `overwrite:path` mapped a value. */
  readonly path?: string;
}

/**
 * Applies the mappings to the request that goes to the backend: `overwrite` replaces whatever the
 * caller sent under that name (so a caller cannot forge a mapped identity header), `append` adds
 * to it (header values joined with a comma, query values as a further parameter), `remove` drops it.
 * When an overwrite's value is missing, the caller's header is still dropped: a header the
 * gateway vouches for must never carry a caller's value.
 */
export function applyRequestParameters(
  mappings: readonly RequestParameterMapping[],
  source: MappingSource,
  request: MappedRequest,
): MappedRequest {
  const headers = { ...request.headers };
  let query = [...request.query];
  let path = request.path;
  const order: MappingAction[] = ['remove', 'overwrite', 'append'];
  for (const action of order) {
    for (const mapping of mappings.filter((candidate) => candidate.action === action)) {
      const value = action === 'remove' ? undefined : evaluateMappingValue(mapping.value, source);
      const target = mapping.target;
      if (target.kind === 'path') {
        if (value !== undefined) path = value;
        continue;
      }
      if (target.kind === 'header') {
        if (action === 'remove' || action === 'overwrite') delete headers[target.name];
        if (value === undefined) continue;
        headers[target.name] =
          action === 'append' && headers[target.name] !== undefined ? `${headers[target.name]},${value}` : value;
        continue;
      }
      if (action === 'remove' || action === 'overwrite') query = query.filter(([name]) => name !== target.name);
      if (value !== undefined) query.push([target.name, value]);
    }
  }
  return { headers, query, ...(path !== undefined && { path }) };
}
