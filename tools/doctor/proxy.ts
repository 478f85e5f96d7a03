/**
 * HTTPS_PROXY / NO_PROXY for the doctor: corporate networks reach a public issuer only
 * through a proxy. Node 20 has no built-in proxy support (NODE_USE_ENV_PROXY arrived in
 * Node 22.21 / 24.5), so `https-proxy-agent` opens the CONNECT tunnel and `proxy-from-env`
 * applies the usual variables (HTTPS_PROXY/https_proxy, ALL_PROXY, NO_PROXY with ports,
 * wildcards and leading dots) the way curl and most npm tools read them.
 */
import type { Agent } from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

export interface ProxyBinding {
  /** The tunnel agent for a URL, or undefined when it is reached directly. */
  readonly agentFor: (url: string) => Agent | undefined;
  /** The proxy a URL goes through, credentials removed (for reports), or undefined. */
  readonly proxyFor: (url: string) => string | undefined;
}

/** Reads the proxy variables at each call (process.env is read by proxy-from-env). */
export function proxyFromEnvironment(): ProxyBinding {
  const agents = new Map<string, Agent>();
  const proxyUrl = (url: string): string | undefined => getProxyForUrl(url) || undefined;
  return {
    agentFor(url) {
      const proxy = proxyUrl(url);
      if (proxy === undefined) return undefined;
      let agent = agents.get(proxy);
      if (!agent) {
        agent = new HttpsProxyAgent(proxy);
        agents.set(proxy, agent);
      }
      return agent;
    },
    proxyFor(url) {
      const proxy = proxyUrl(url);
      return proxy === undefined ? undefined : withoutCredentials(proxy);
    },
  };
}

/** A proxy URL as it may be shown: `user:password@` never printed. */
export function withoutCredentials(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(a proxy URL that does not parse)';
  }
}
