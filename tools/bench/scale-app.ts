/**
 * Child process of item 4: synthesizes the dev stack exactly as bin/app.ts composes it, but with
 * a generated route table of N routes over five functions and two HTTP targets
 * (tools/bench/scale-table.ts), and prints one JSON line with its timings and resource counts.
 *
 *   node --require ./tools/cli/register-typescript.cjs tools/bench/scale-app.ts <routes> <outdir>
 *
 * Built-in CloudFormation validation stays on, as in `cdk synth`.
 */
import { App } from 'aws-cdk-lib';
import { readCdkJsonContext } from '../../lib/config';
import { addEnvironmentStack } from '../../lib/environment-stack';
import { scaleStackProps } from './scale-table';

const started = performance.now();
const count = Number(process.argv[2]);
const outdir = process.argv[3];
if (!Number.isInteger(count) || count < 1 || !outdir) {
  console.error('usage: scale-app.ts <routes >= 1> <outdir>');
  process.exit(2);
}

const app = new App({ context: readCdkJsonContext(), outdir });
const stack = addEnvironmentStack(app, scaleStackProps(count));
const constructed = performance.now();
const assembly = app.synth();
const synthesized = performance.now();
const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string }> };
const resources = Object.values(template.Resources);
const ofType = (type: string) => resources.filter((resource) => resource.Type === type).length;
console.log(
  JSON.stringify({
    routes: count,
    resources: resources.length,
    routeResources: ofType('AWS::ApiGatewayV2::Route'),
    functions: ofType('AWS::Lambda::Function'),
    integrations: ofType('AWS::ApiGatewayV2::Integration'),
    httpIntegrations: Object.values(template.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::ApiGatewayV2::Integration' &&
        (resource as { Properties?: { IntegrationType?: string } }).Properties?.IntegrationType === 'HTTP_PROXY',
    ).length,
    loadMs: started,
    constructMs: constructed - started,
    synthMs: synthesized - constructed,
  }),
);
