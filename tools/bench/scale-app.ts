/**
 * Child process of item 4: synthesizes the dev stack exactly as bin/app.ts composes it, but with
 * a generated route table of N routes, and prints one JSON line with its timings.
 *
 *   node --import tsx bench/scale-app.ts <routes> <outdir>
 *
 * The production table (lib/api-routes.ts) is not edited: the array is refilled in this process
 * only, before the stack reads it. Built-in CloudFormation validation stays on, as in `cdk synth`.
 */
import { App } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { API_ROUTES } from '../../lib/api-routes';
import { readCdkJsonContext } from '../../lib/config';
import { addEnvironmentStack } from '../../lib/environment-stack';
import type { ApiRoute } from '../../lib/wso2-jwt-http-api';

const started = performance.now();
const count = Number(process.argv[2]);
const outdir = process.argv[3];
if (!Number.isInteger(count) || count < 1 || !outdir) {
  console.error('usage: scale-app.ts <routes >= 1> <outdir>');
  process.exit(2);
}

/** The real first route, then a mix: every 10th public, every 5th with its own scope. */
export function benchRoutes(n: number): ApiRoute[] {
  const routes: ApiRoute[] = [API_ROUTES[0]];
  for (let i = 1; i < n; i += 1) {
    const path = `/bench/r${i}/{id}`;
    if (i % 10 === 0) routes.push({ method: HttpMethod.GET, path, public: true });
    else if (i % 5 === 0) routes.push({ method: HttpMethod.POST, path, scopes: ['reports:read'] });
    else routes.push({ method: HttpMethod.GET, path });
  }
  return routes;
}

(API_ROUTES as ApiRoute[]).splice(0, API_ROUTES.length, ...benchRoutes(count));

const app = new App({ context: readCdkJsonContext(), outdir });
const stack = addEnvironmentStack(app);
const constructed = performance.now();
const assembly = app.synth();
const synthesized = performance.now();
const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string }> };
const resources = Object.values(template.Resources);
console.log(
  JSON.stringify({
    routes: count,
    resources: resources.length,
    routeResources: resources.filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route').length,
    loadMs: started,
    constructMs: constructed - started,
    synthMs: synthesized - constructed,
  }),
);
