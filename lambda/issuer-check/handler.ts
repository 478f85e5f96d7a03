/**
 * The deploy-time issuer check: a Lambda-backed CloudFormation custom resource that runs the
 * doctor's issuer checks from inside AWS, the way API Gateway will fetch the issuer, and
 * answers CloudFormation itself (FAILED with the doctor's lines when a check fails).
 */
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { runIssuerChecks } from '../../rules/issuer/issuer-checks';
import { createIssuerNet } from '../../rules/issuer/issuer-net';
import type { IssuerNet } from '../../rules/issuer/net';
import type { CheckResult } from '../../rules/issuer/check-result';

/** CloudFormation's whole response must stay under 4096 bytes. */
const MAX_REASON_CHARS = 3000;
const PHYSICAL_ID = 'wso2-issuer-check';

export interface IssuerCheckDeps {
  readonly net: IssuerNet;
  /** PUTs the response to CloudFormation's pre-signed URL. */
  readonly respond: (responseUrl: string, body: CloudFormationCustomResourceResponse) => Promise<void>;
  readonly log: (message: string, details?: unknown) => void;
  /**
   * Only for tests on loopback: go on past a private host and a self-signed certificate
   * (both still fail). In AWS the check runs as API Gateway fetches: neither is set.
   */
  readonly localOnly?: { readonly allowPrivate: boolean; readonly extraCa: boolean };
}

export function createHandler(deps: IssuerCheckDeps) {
  return async (event: CloudFormationCustomResourceEvent): Promise<void> => {
    const base = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : PHYSICAL_ID,
    };
    let response: CloudFormationCustomResourceResponse;
    try {
      response = { ...base, ...(await judge(event, deps)) };
    } catch (error) {
      // Whatever went wrong, CloudFormation gets an answer rather than a two-minute wait.
      response = { ...base, Status: 'FAILED', Reason: `WSO2 issuer check could not run: ${(error as Error).message}` };
    }
    deps.log(`answering ${response.Status}`, response.Reason);
    await deps.respond(event.ResponseURL, response);
  };
}

type Verdict =
  | { readonly Status: 'SUCCESS'; readonly Data?: Record<string, string> }
  | { readonly Status: 'FAILED'; readonly Reason: string };

async function judge(event: CloudFormationCustomResourceEvent, deps: IssuerCheckDeps): Promise<Verdict> {
  // Deleting never depends on the issuer: a stack must always be removable.
  if (event.RequestType === 'Delete') return { Status: 'SUCCESS' };
  const issuerUrl = event.ResourceProperties.Issuer as unknown;
  if (typeof issuerUrl !== 'string')
    return {
      Status: 'FAILED',
      Reason: `WSO2 issuer check: property Issuer must be a string, got ${JSON.stringify(issuerUrl)}`,
    };

  const { checks } = await runIssuerChecks({ issuerUrl, net: deps.net, flagHints: false, ...deps.localOnly });
  for (const check of checks) deps.log(`${check.verdict} ${check.title}: ${check.detail}`);
  const failed = checks.filter((check) => check.verdict === 'fail');
  if (failed.length === 0) {
    const warned = checks.filter((check) => check.verdict === 'warn');
    return {
      Status: 'SUCCESS',
      Data: { Summary: warned.length ? `passed with warnings: ${warned.map(line).join(' | ')}` : 'passed' },
    };
  }
  return {
    Status: 'FAILED',
    Reason: truncate(
      `WSO2 issuer check failed for ${issuerUrl} (npm run doctor -- -c env=<env> shows the same): ` +
        `${failed.map(line).join(' | ')}`,
    ),
  };
}

/** The doctor's line for one check, fix included. */
export function line(check: CheckResult): string {
  return `${check.verdict} ${check.title}: ${check.detail}${check.fix ? ` (fix: ${check.fix})` : ''}`;
}

function truncate(text: string): string {
  return text.length <= MAX_REASON_CHARS ? text : `${text.slice(0, MAX_REASON_CHARS - 3)}...`;
}

/** PUT with an empty content type, as CloudFormation's pre-signed S3 URL expects. */
export function putResponse(responseUrl: string, body: CloudFormationCustomResourceResponse): Promise<void> {
  const payload = JSON.stringify(body);
  const url = new URL(responseUrl);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(payload) }, timeout: 10000 },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) < 300
            ? resolve()
            : reject(new Error(`CloudFormation answered HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('CloudFormation response URL did not answer within 10 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

export const handler = createHandler({
  net: createIssuerNet(),
  respond: putResponse,
  log: (message, details) => console.log(JSON.stringify({ message, ...(details !== undefined && { details }) })),
});
