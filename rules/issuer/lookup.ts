import { lookup } from 'node:dns/promises';
import type { LookupOutcome } from './net';

/**
 * dns.lookup (what node:https uses) bounded by a timeout: a resolver that never answers must
 * not hang the doctor. The lookup itself cannot be cancelled; the timer is unref'd and the
 * CLI exits when it is done, so a late answer is simply dropped.
 */
export async function lookupWithTimeout(host: string, timeoutMs = 1500): Promise<LookupOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LookupOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ error: `no DNS answer within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  const answer = lookup(host, { all: true }).then(
    (addresses): LookupOutcome => ({ addresses: [...new Set(addresses.map((entry) => entry.address))] }),
    (error: NodeJS.ErrnoException): LookupOutcome => ({ error: error.code ?? error.message }),
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
