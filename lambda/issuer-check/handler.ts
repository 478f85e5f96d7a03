/**
 * The deploy-time issuer check: a Lambda-backed CloudFormation custom resource that runs the
 * doctor's issuer checks from inside AWS, the way API Gateway will fetch the issuer, and
 * answers CloudFormation itself (FAILED with the doctor's lines when a check fails).
 *
 * It never blocks a stack going back: Delete answers SUCCESS without touching the network,
 * and a failing check during a rollback (the Update carries the *old* issuer, which may be
 * retired) answers SUCCESS with the finding as a warning, so the stack cannot end in
 * UPDATE_ROLLBACK_FAILED because of it.
 */
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { CheckResult } from '../../rules/issuer/check-result';
import { runIssuerChecks } from '../../rules/issuer/issuer-checks';
import { createIssuerNet } from '../../rules/issuer/issuer-net';
import type { IssuerNet } from '../../rules/issuer/net';
import { fitMessage } from './response-size';
import { type RetriedFetch, withOneRetry } from './retry';
import { createStackStatusReader, isRollingBack, type StackStatusReader } from './stack-status';

const PHYSICAL_ID = 'wso2-issuer-check';

export interface IssuerCheckDeps {
  readonly net: IssuerNet;
  /** The stack's status, read only when a check fails on an Update. */
  readonly stackStatus: StackStatusReader;
  /** PUTs the response to CloudFormation's pre-signed URL. */
  readonly respond: (responseUrl: string, body: CloudFormationCustomResourceResponse) => Promise<void>;
  readonly log: (message: string, details?: unknown) => void;
  /**
   * Only for tests on loopback: go on past a private host and a self-signed certificate
   * (both still fail). In AWS the check runs as API Gateway fetches: neither is set.
   */
  readonly localOnly?: { readonly allowPrivate: boolean; readonly extraCa: boolean };
  /** Pause before the one retry of a fetch. @default RETRY_DELAY_MS */
  readonly retryDelayMs?: number;
}

type Base = Pick<CloudFormationCustomResourceResponse, 'StackId' | 'RequestId' | 'LogicalResourceId'> & {
  readonly PhysicalResourceId: string;
};

/** What the checks concluded, before it is fitted into CloudFormation's 4,096 bytes. */
interface Finding {
  readonly passed: boolean;
  /** Starts the message: what was checked and the verdict. */
  readonly header: string;
  /** Failures first, then warnings: the order in which they are kept when space runs out. */
  readonly lines: readonly string[];
}

export function createHandler(deps: IssuerCheckDeps) {
  return async (event: CloudFormationCustomResourceEvent): Promise<void> => {
    const base: Base = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : PHYSICAL_ID,
    };
    const response = await answer(event, base, deps);
    deps.log(`answering ${response.Status}`, response.Reason ?? response.Data);
    await deps.respond(event.ResponseURL, response);
  };
}

async function answer(
  event: CloudFormationCustomResourceEvent,
  base: Base,
  deps: IssuerCheckDeps,
): Promise<CloudFormationCustomResourceResponse> {
  // Deleting never depends on the issuer (nor on anything else): a stack must stay removable.
  if (event.RequestType === 'Delete') return { ...base, Status: 'SUCCESS' };
  let finding: Finding;
  try {
    finding = await check(event.ResourceProperties.Issuer, deps);
  } catch (error) {
    // Whatever went wrong, CloudFormation gets an answer rather than a two-minute wait.
    finding = { passed: false, header: 'WSO2 issuer check could not run: ', lines: [(error as Error).message] };
  }
  if (finding.passed) return success(base, finding);
  if (event.RequestType === 'Update') {
    const rollback = await rollbackStatus(event.StackId, deps);
    if (rollback.rollingBack) {
      return success(base, { ...finding, header: `not blocking ${rollback.status}: ${finding.header}` });
    }
    if (rollback.unknown) {
      return failure(base, { ...finding, lines: [...finding.lines, rollback.unknown] });
    }
  }
  return failure(base, finding);
}

async function check(issuerUrl: unknown, deps: IssuerCheckDeps): Promise<Finding> {
  if (typeof issuerUrl !== 'string') {
    return {
      passed: false,
      header: 'WSO2 issuer check: ',
      lines: [`property Issuer must be a string, got ${JSON.stringify(issuerUrl)}`],
    };
  }
  const { net, retried } = withOneRetry(deps.net, deps.retryDelayMs);
  const { checks } = await runIssuerChecks({ issuerUrl, net, flagHints: false, ...deps.localOnly });
  for (const result of checks) deps.log(`${result.verdict} ${result.title}: ${result.detail}`);
  for (const retry of retried) deps.log('retried a fetch once', retry);
  const failed = checks.filter((result) => result.verdict === 'fail').map(line);
  const warned = [...checks.filter((result) => result.verdict === 'warn').map(line), ...retried.map(retryLine)];
  if (failed.length === 0) {
    return { passed: true, header: warned.length ? 'passed with warnings: ' : 'passed', lines: warned };
  }
  return {
    passed: false,
    header: `WSO2 issuer check failed for ${issuerUrl} (npm run doctor -- -c env=<env> shows the same): `,
    lines: [...failed, ...warned],
  };
}

async function rollbackStatus(
  stackId: string,
  deps: IssuerCheckDeps,
): Promise<{ rollingBack: boolean; status?: string; unknown?: string }> {
  try {
    const status = await deps.stackStatus(stackId);
    deps.log('stack status', status);
    return { rollingBack: isRollingBack(status), status };
  } catch (error) {
    // Not knowing is not a reason to let a broken issuer through on an ordinary update.
    const message = (error as Error).message;
    deps.log('could not read the stack status', message);
    return { rollingBack: false, unknown: `(could not read the stack's status to tell a rollback: ${message})` };
  }
}

function success(base: Base, finding: Finding): CloudFormationCustomResourceResponse {
  return fitMessage(finding.header, finding.lines, (message) => ({
    ...base,
    Status: 'SUCCESS',
    Data: { Summary: message },
  }));
}

function failure(base: Base, finding: Finding): CloudFormationCustomResourceResponse {
  return fitMessage(finding.header, finding.lines, (message) => ({ ...base, Status: 'FAILED', Reason: message }));
}

/** The doctor's line for one check, fix included. */
export function line(check: CheckResult): string {
  return `${check.verdict} ${check.title}: ${check.detail}${check.fix ? ` (fix: ${check.fix})` : ''}`;
}

function retryLine(retry: RetriedFetch): string {
  return (
    `warn retried ${retry.url} once (${retry.rescued ? 'the retry answered' : 'the retry failed too'}): ` +
    `first attempt: ${retry.firstFailure}`
  );
}

/** How long CloudFormation's response URL may take to answer the PUT. */
export const RESPONSE_TIMEOUT_MS = 10000;

/**
 * PUT with an empty content type and a content length, as CloudFormation's pre-signed S3 URL
 * expects (S3 refuses a chunked upload without a length).
 * @param timeoutMs only tests shorten it. @default RESPONSE_TIMEOUT_MS
 */
export function putResponse(
  responseUrl: string,
  body: CloudFormationCustomResourceResponse,
  timeoutMs = RESPONSE_TIMEOUT_MS,
  // For an https URL: tests pass an agent that trusts their self-signed stand-in; production, none.
  agent?: HttpsAgent,
): Promise<void> {
  const payload = JSON.stringify(body);
  const url = new URL(responseUrl);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(payload) },
        timeout: timeoutMs,
        ...(agent && { agent }),
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) < 300
            ? resolve()
            : reject(new Error(`CloudFormation answered HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`CloudFormation response URL did not answer within ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const handler = createHandler({
  net: createIssuerNet(),
  stackStatus: createStackStatusReader(),
  respond: putResponse,
  // JSON.stringify leaves out `details` when it is undefined.
  log: (message, details) => console.log(JSON.stringify({ message, details })),
});
