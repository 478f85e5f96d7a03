import { MAX_INTEGRATION_TIMEOUT_MS, MIN_INTEGRATION_TIMEOUT_MS } from '../../rules/route-targets';
import { parseRequestParameters, type RequestParameterMapping } from './parameter-mapping';

/** An HTTP proxy integration (`IntegrationType: HTTP_PROXY`) to a URL, as synthesized by HttpUrlIntegration. */
export interface HttpProxyTargetModel {
  readonly kind: 'http';
  /** The integration's logical id. */
  readonly logicalId: string;
  /** IntegrationUri, possibly with `{name}` path variables, e.g. `https://backend.example.com/{proxy}`. */
  readonly uri: string;
  /** IntegrationMethod: `ANY` forwards the caller's method. */
  readonly method: string;
  readonly requestParameters: readonly RequestParameterMapping[];
  /** TimeoutInMillis; HTTP APIs allow 50 to 30,000 ms and default to 30,000. */
  readonly timeoutMs: number;
  /**
   * Why this integration cannot be reached from a laptop (a VPC link, a URL known only at deploy
   * time): its routes answer 500 with this reason in the access log; the other routes are served.
   */
  readonly notServedLocally?: string;
}

/** The template holds an HTTP integration the gateway cannot serve; the message names it and the field. */
export class HttpTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpTargetError';
  }
}

/** What API Gateway uses when an integration names no TimeoutInMillis: the maximum. */
export const API_GATEWAY_DEFAULT_TIMEOUT_MS = MAX_INTEGRATION_TIMEOUT_MS;

/**
 * Reads an HTTP_PROXY integration's properties; what API Gateway would refuse (a relative URL, a
 * timeout out of range, a reserved header mapping) throws. A VPC link (ConnectionType VPC_LINK,
 * whose IntegrationUri is a listener or Cloud Map ARN) or a URL computed at deploy time cannot be
 * reached from a laptop: the model says so in `notServedLocally`.
 */
export function httpProxyTargetOf(
  logicalId: string,
  properties: Readonly<Record<string, unknown>>,
): HttpProxyTargetModel {
  const where = `integration ${logicalId}`;
  const common = {
    kind: 'http' as const,
    logicalId,
    method: methodOf(properties.IntegrationMethod, where),
    requestParameters: parseRequestParameters(properties.RequestParameters, where),
    timeoutMs: timeoutOf(properties.TimeoutInMillis, where),
  };
  const uri = properties.IntegrationUri;
  if (properties.ConnectionType === 'VPC_LINK')
    return {
      ...common,
      uri: JSON.stringify(uri),
      notServedLocally: `${where} is a private integration through a VPC link, which cannot be reached locally`,
    };
  if (typeof uri !== 'string')
    return {
      ...common,
      uri: JSON.stringify(uri),
      notServedLocally: `${where}: IntegrationUri ${JSON.stringify(uri)} is known only at deploy time`,
    };
  let parsed: URL;
  try {
    parsed = new URL(uri.replace(/\{[^}]+\}/g, 'x'));
  } catch {
    throw new HttpTargetError(`${where}: IntegrationUri ${JSON.stringify(uri)} is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new HttpTargetError(`${where}: IntegrationUri ${JSON.stringify(uri)} must be http:// or https://`);
  return { ...common, uri };
}

function methodOf(value: unknown, where: string): string {
  const method = value ?? 'ANY';
  if (typeof method !== 'string' || !/^[A-Z]+$/.test(method))
    throw new HttpTargetError(
      `${where}: IntegrationMethod must be an HTTP method or ANY, got ${JSON.stringify(method)}`,
    );
  return method;
}

function timeoutOf(value: unknown, where: string): number {
  const timeout = value ?? API_GATEWAY_DEFAULT_TIMEOUT_MS;
  if (
    typeof timeout !== 'number' ||
    !Number.isInteger(timeout) ||
    timeout < MIN_INTEGRATION_TIMEOUT_MS ||
    timeout > MAX_INTEGRATION_TIMEOUT_MS
  )
    throw new HttpTargetError(
      `${where}: TimeoutInMillis must be an integer ` +
        `from ${MIN_INTEGRATION_TIMEOUT_MS} to ${MAX_INTEGRATION_TIMEOUT_MS}, got ${JSON.stringify(timeout)}`,
    );
  return timeout;
}
