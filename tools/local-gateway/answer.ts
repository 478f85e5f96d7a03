import type { RouteModel } from './cloud-assembly';
import type { RequestFacts } from './payload-v2';

/**
 * What the gateway answers to one request, with what its access-log line says about it.
 * Every step of a request either returns an Answer or hands on to the next step.
 */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer | string;
  /** `$context.authorizer.error`: why the authorizer rejected, when it did. */
  readonly authorizerError?: string;
  /** `$context.error.message` for gateway errors (not found, function error). */
  readonly errorMessage?: string;
  /** Close the connection after the answer (a request body was left unread). */
  readonly closeConnection?: boolean;
  /** What the function logged while answering: written under the request's access-log line. */
  readonly functionLogs?: readonly string[];
}

/** A matched and authorized request, as an integration (Lambda proxy, HTTP proxy...) receives it. */
export interface IntegrationRequest {
  readonly facts: RequestFacts;
  readonly route: RouteModel;
  readonly stageName: string;
  readonly pathParameters: Record<string, string> | undefined;
  /** Set on JWT routes: claims as API Gateway delivers them (strings) and the matched scopes. */
  readonly jwt?: { readonly claims: Record<string, string>; readonly scopes: string[] | null };
}

export type Integration = (request: IntegrationRequest) => Promise<Answer>;

export const jsonMessage = (message: string) => JSON.stringify({ message });

export function jsonAnswer(status: number, message: string, extra: Partial<Answer> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: jsonMessage(message), ...extra };
}
