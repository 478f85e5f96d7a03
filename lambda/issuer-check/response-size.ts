/**
 * CloudFormation refuses a custom resource response over 4,096 bytes ("The total size of the
 * response body can't exceed 4096 bytes", custom resource response objects reference).
 * The limit is on the JSON as sent, in bytes: a non-ASCII issuer or JSON escapes count more
 * than their characters.
 */
import type { CloudFormationCustomResourceResponse } from 'aws-lambda';

export const MAX_RESPONSE_BYTES = 4096;
const SEPARATOR = ' | ';
const ELLIPSIS = '...';

export function responseBytes(response: CloudFormationCustomResourceResponse): number {
  // UTF-8, Buffer's default and the encoding CloudFormation receives.
  return Buffer.byteLength(JSON.stringify(response));
}

/**
 * The longest message that keeps the whole response within the limit: the header, then as
 * many whole lines as fit (the caller orders them, most useful first), then how many were
 * left for the function's log. When not even the first line fits whole, it is cut (on a
 * character boundary) rather than dropped.
 * @param render puts the message into the response (Reason or Data)
 */
export function fitMessage(
  header: string,
  lines: readonly string[],
  render: (message: string) => CloudFormationCustomResourceResponse,
  maxBytes = MAX_RESPONSE_BYTES,
): CloudFormationCustomResourceResponse {
  const compose = (kept: number): string => {
    const left = lines.length - kept;
    // Lines are left over only when at least one is kept (kept is 0 only for no lines at all).
    const more = left > 0 ? `${SEPARATOR}${left} more line(s) in the function's log` : '';
    return `${header}${lines.slice(0, kept).join(SEPARATOR)}${more}`;
  };
  const fits = (message: string) => responseBytes(render(message)) <= maxBytes;
  // At least one line is kept, whole or cut; with none to keep, the header alone is tried.
  for (let kept = lines.length; kept >= Math.min(1, lines.length); kept--) {
    const message = compose(kept);
    if (fits(message)) return render(message);
  }
  // Not even one whole line: cut the first, keeping its start (the check's name and value).
  const chars = Array.from(compose(Math.min(1, lines.length)));
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(`${chars.slice(0, mid).join('')}${ELLIPSIS}`)) low = mid;
    else high = mid - 1;
  }
  return render(`${chars.slice(0, low).join('')}${ELLIPSIS}`);
}
