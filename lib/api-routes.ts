import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ApiRoute } from './wso2-jwt-http-api';

/**
 * The API's routes: adding a route is one line here (and its handler in lambda/api/routes.ts).
 * Protected routes without `scopes` get the environment's default scopes.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  // Keep this route first: the shared integration and the Lambda permission take their
  // logical ids from the first route bound to them, so moving it would replace both.
  { method: HttpMethod.GET, path: '/hello' },
  { method: HttpMethod.GET, path: '/health', public: true },
  { method: HttpMethod.GET, path: '/me' },
  { method: HttpMethod.GET, path: '/reports', scopes: ['reports:read'] },
];
