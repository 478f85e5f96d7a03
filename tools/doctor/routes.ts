/**
 * The environment's routes and the scopes API Gateway will require on each, read from the
 * synthesized template: the same route table, default scopes and construct that `cdk synth`
 * uses, so the doctor cannot drift from what is deployed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCdkJsonContext } from '../../lib/config';

export interface SynthesizedRoute {
  /** e.g. `GET /reports`. */
  readonly routeKey: string;
  /** False for routes without the JWT authorizer. */
  readonly protected: boolean;
  /** AuthorizationScopes: the token needs one of them; empty means any valid token. */
  readonly scopes: readonly string[];
  /** The `Name` of the route's JWT authorizer (see authorizerNameFor); absent on public routes. */
  readonly authorizer?: string;
}

interface Resource {
  readonly Type: string;
  readonly Properties: {
    RouteKey?: string;
    AuthorizationType?: string;
    AuthorizationScopes?: string[];
    AuthorizerId?: { Ref?: string };
    Name?: string;
  };
}

/** A synthesized template's resources, as far as a route list reads them. */
export interface RoutesTemplate {
  readonly Resources: Record<string, Resource>;
}

/** Synthesizes the stack of the environment that `overrides` select and lists its routes. */
export function synthesizedRoutes(overrides: Record<string, string>): SynthesizedRoute[] {
  // Loaded here, not at the top: --help and a bad flag answer without loading aws-cdk-lib.
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { addEnvironmentStack } =
    require('../../lib/environment-stack') as typeof import('../../lib/environment-stack');
  const outdir = mkdtempSync(join(tmpdir(), 'doctor-synth-'));
  try {
    const app = new App({
      outdir,
      // The CloudFormation schema validation costs seconds and adds nothing to a route list.
      builtinCloudFormationValidation: false,
      context: {
        ...readCdkJsonContext(),
        ...overrides,
        // Routes do not need the Lambda bundles: skip esbuild for every stack.
        'aws:cdk:bundling-stacks': [],
        // The doctor reports the issuer itself: keep the synth's annotation report (and the
        // process.exitCode it may set) out of its output.
        '@aws-cdk/core:failSynthOnValidationErrors': false,
      },
    });
    // A route list is read, never deployed: cdk-nag's findings are cdk synth's business.
    const stack = addEnvironmentStack(app, {}, { nagChecks: false });
    return routesOf(app.synth().getStackByName(stack.stackName).template as RoutesTemplate);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The routes of a synthesized template, with the scopes and the authorizer each one requires. */
export function routesOf(template: RoutesTemplate): SynthesizedRoute[] {
  const resources = template.Resources;
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route')
    .map((resource) => {
      const authorizerId = resource.Properties.AuthorizerId?.Ref;
      const authorizer = authorizerId ? resources[authorizerId]?.Properties.Name : undefined;
      return {
        routeKey: resource.Properties.RouteKey ?? '',
        protected: resource.Properties.AuthorizationType === 'JWT',
        scopes: resource.Properties.AuthorizationScopes ?? [],
        ...(authorizer !== undefined && { authorizer }),
      };
    });
}
