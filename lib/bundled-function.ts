import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { join } from 'node:path';

/**
 * What every function of this project shares: Node.js 24 pinned (not NODEJS_LATEST, which
 * moves under a deployed stack), arm64, JSON logs, and a local esbuild bundle (never
 * Docker) that is minified, source-mapped and self-contained.
 * @param folder the function's folder under `lambda/`, holding `handler.ts`
 */
export function bundledFunctionProps(folder: string): NodejsFunctionProps {
  return {
    entry: join(__dirname, '..', 'lambda', folder, 'handler.ts'),
    handler: 'handler',
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    loggingFormat: LoggingFormat.JSON,
    environment: { NODE_OPTIONS: '--enable-source-maps' },
    bundling: {
      minify: true,
      sourceMap: true,
      target: 'node24',
      format: OutputFormat.CJS,
      // Nothing is left to the runtime: the bundle has no dependencies to resolve.
      externalModules: [],
      forceDockerBundling: false,
      logLevel: LogLevel.WARNING,
    },
  };
}
