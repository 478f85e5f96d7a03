import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ApiRoute } from './wso2-jwt-http-api';

/**
 * The API's routes; their order does not matter (logical ids follow target and issuer names).
 * A route without `target` reaches the shared function (lambda/api, its handler in
 * lambda/api/routes.ts); `target` names a function folder `lambda/<name>/handler.ts` or an
 * HTTP backend of the environment (`httpTargets` in cdk.json). A route without `issuer` trusts
 * the environment's default issuer; protected routes without `scopes` get its default scopes.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.GET, path: '/hello' },
  { method: HttpMethod.GET, path: '/health', public: true },
  { method: HttpMethod.GET, path: '/me' },
  { method: HttpMethod.GET, path: '/reports', scopes: ['reports:read'] },
  // A function of its own (lambda/orders).
  { method: HttpMethod.GET, path: '/orders', target: 'orders' },
  { method: HttpMethod.GET, path: '/orders/{id}', target: 'orders' },
  // The same function, for tokens of the second issuer (a WSO2 tenant in dev).
  { method: HttpMethod.GET, path: '/partner/orders', target: 'orders', issuer: 'partner', scopes: ['api:access'] },
  // An existing HTTP backend (httpTargets.legacy), told who the caller is through headers.
  { method: HttpMethod.ANY, path: '/legacy/{proxy+}', target: 'legacy' },
];
