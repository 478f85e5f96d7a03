import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextReaderFor, loadEnvironmentConfig } from '../../lib/config';

export interface DemoClient {
  readonly clientId: string;
  readonly secret: string;
  readonly grantTypes: readonly string[];
  readonly scopes: readonly string[];
}

export interface DemoUser {
  readonly username: string;
  readonly password: string;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly claims: Readonly<Record<string, string>>;
}

export interface DemoValues {
  readonly scopes: readonly string[];
  readonly tokenLifetimeSeconds: number;
  /** The demo client first: its id is the dev environment's audience. */
  readonly clients: readonly DemoClient[];
  readonly users: readonly DemoUser[];
  /** WSO2 tenants served beside the super tenant, each its own issuer with its own clients. */
  readonly tenants: readonly DemoTenant[];
}

/** A WSO2 tenant (`/t/<domain>/...`): same scopes and token lifetime, its own clients, no users, no tenants. */
export interface DemoTenant {
  readonly domain: string;
  readonly values: DemoValues;
}

// WSO2 tenant domains are DNS-like names; anything else could escape the /t/<domain>/ path.
const TENANT_DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export const DEMO_VALUES_FILE = join(__dirname, 'demo-values.json');

/**
 * The demo client's id: the `dev` environment's first audience, read through the same typed
 * loader `cdk synth` uses, so the API and the identity provider cannot disagree on it.
 */
export function demoClientId(environment = 'dev'): string {
  return loadEnvironmentConfig(contextReaderFor({ env: environment })).config.audiences[0];
}

/** Reads and checks demo-values.json; errors name the field and the bad value. */
export function loadDemoValues(file = DEMO_VALUES_FILE, clientId = demoClientId()): DemoValues {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // Annotated so that TypeScript narrows after each fail(...) call.
  const fail: (field: string, value: unknown) => never = (field, value) => {
    throw new Error(`${file}: ${field} is invalid, got ${JSON.stringify(value)}`);
  };
  const strings = (value: unknown, field: string): string[] =>
    Array.isArray(value) && value.every((item): item is string => typeof item === 'string')
      ? value
      : fail(field, value);
  const text = (value: unknown, field: string): string =>
    typeof value === 'string' && value !== '' ? value : fail(field, value);
  const scopes = strings(raw.scopes, 'scopes');
  const lifetime = raw.tokenLifetimeSeconds;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 1)
    fail('tokenLifetimeSeconds', lifetime);
  const client = (value: unknown, field: string, id?: string): DemoClient => {
    const c = (value ?? {}) as Record<string, unknown>;
    const clientId = text(id ?? c.clientId, `${field}.clientId`);
    const secret = text(c.secret, `${field}.secret`);
    const clientScopes = strings(c.scopes, `${field}.scopes`);
    const unknown = clientScopes.find((scope) => !scopes.includes(scope));
    if (unknown !== undefined) fail(`${field}.scopes (not in scopes)`, unknown);
    return {
      clientId,
      secret,
      grantTypes: strings(c.grantTypes, `${field}.grantTypes`),
      scopes: clientScopes,
    };
  };
  const clients = [
    client(raw.demoClient, 'demoClient', clientId),
    ...(Array.isArray(raw.clients) ? raw.clients : fail('clients', raw.clients)).map((c, i) =>
      client(c, `clients[${i}]`),
    ),
  ];
  const users = (Array.isArray(raw.users) ? raw.users : fail('users', raw.users)).map((value, i): DemoUser => {
    const u = (value ?? {}) as Record<string, unknown>;
    return {
      username: text(u.username, `users[${i}].username`),
      password: text(u.password, `users[${i}].password`),
      sub: text(u.sub, `users[${i}].sub`),
      scopes: strings(u.scopes, `users[${i}].scopes`),
      claims: (u.claims ?? {}) as Record<string, string>,
    };
  });
  const tenants = (
    raw.tenants === undefined ? [] : Array.isArray(raw.tenants) ? raw.tenants : fail('tenants', raw.tenants)
  ).map((value, i): DemoTenant => {
    const t = (value ?? {}) as Record<string, unknown>;
    if (typeof t.domain !== 'string' || !TENANT_DOMAIN.test(t.domain)) fail(`tenants[${i}].domain`, t.domain);
    return {
      domain: t.domain as string,
      values: {
        scopes,
        tokenLifetimeSeconds: lifetime as number,
        clients: [client(t.demoClient, `tenants[${i}].demoClient`)],
        users: [],
        tenants: [],
      },
    };
  });
  const domains = tenants.map((tenant) => tenant.domain);
  const repeated = domains.find((domain, i) => domains.indexOf(domain) !== i);
  if (repeated !== undefined) fail('tenants (a domain is repeated)', repeated);
  return { scopes, tokenLifetimeSeconds: lifetime as number, clients, users, tenants };
}
