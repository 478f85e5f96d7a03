import { type App, type Stack, Validations } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IConstruct } from 'constructs';

/** Apps that have the plugin already: a second one would report every finding twice. */
const appsWithNag = new WeakSet<App>();

/**
 * Runs cdk-nag's AwsSolutions pack as a policy-validation plugin: any finding that is not
 * acknowledged stops `cdk synth` (and any test that synthesizes) with a report.
 */
export function applyNagChecks(app: App): void {
  if (appsWithNag.has(app)) return;
  appsWithNag.add(app);
  // Loaded here, not at the top: a synth without the pack (npm start's, the doctor's) does not pay
  // the 0.2 s of loading its rules.
  const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/**
 * The stack's acknowledged findings, each on the one construct it is about and with the
 * reason it is accepted. Anything else the pack finds fails the synth.
 */
export function acknowledgeNagFindings(stack: Stack): void {
  // AwsSolutions-APIG4: "The API does not implement authorization", reported on every route
  // whose AuthorizationType is NONE. Those routes are public by design (GET /health, for
  // load balancers and the smoke test); every other route has the JWT authorizer.
  for (const route of cfnRoutesWithoutAuthorization(stack)) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        `Route "${route.routeKey}" is public by design (declared public: true in lib/api-routes.ts); it ` +
        `returns no caller data. Every other route uses the WSO2 JWT authorizer.`,
    });
  }
}

function cfnRoutesWithoutAuthorization(scope: IConstruct): CfnRoute[] {
  return scope.node
    .findAll()
    .filter((child): child is CfnRoute => child instanceof CfnRoute && (child.authorizationType ?? 'NONE') === 'NONE');
}
