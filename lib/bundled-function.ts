import { Architecture, Code, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How every function of this project is bundled: one source of truth for the esbuild run that
 * NodejsFunction does in this repository and for the one `npm run build` does for the package.
 */
export const LAMBDA_BUNDLE = {
  target: 'node24',
  format: OutputFormat.CJS,
  minify: true,
  sourceMap: true,
} as const;

/**
 * Packages a function leaves to the nodejs24.x runtime, by function folder; every other package is
 * bundled. The deploy-time issuer check's one AWS SDK client (~510 KB minified) comes from the
 * runtime, which AWS patches. Used by NodejsFunction here and by `npm run build`, so the packaged
 * bundle and the one `cdk synth` stages are the same.
 */
export const LAMBDA_EXTERNAL_MODULES: Readonly<Record<string, readonly string[]>> = {
  'issuer-check': ['@aws-sdk/client-cloudformation'],
};

/** What `lambda/<folder>` leaves to the runtime (nothing for most functions). */
export function externalModulesOf(folder: string): string[] {
  return [...(Object.hasOwn(LAMBDA_EXTERNAL_MODULES, folder) ? LAMBDA_EXTERNAL_MODULES[folder] : [])];
}

/** The file each function folder holds in the source tree, and the one the package ships instead. */
export const LAMBDA_SOURCE_FILE = 'handler.ts';
export const LAMBDA_BUNDLE_FILE = 'index.js';

/**
 * Where a function's code comes from. In this repository (lib/ next to lambda/) the handler's
 * TypeScript source is there and local esbuild bundles it at synth, as always. In the installed
 * package (dist/lib/ next to dist/lambda/) only the bundle `npm run build` made is there, so a
 * consumer needs neither esbuild nor the handlers' own dependencies.
 * @returns undefined when the folder has neither
 */
export function lambdaCodeLocation(
  folder: string,
  libDir: string = __dirname,
): { entry: string } | { bundleDir: string } | undefined {
  const functionDir = join(libDir, '..', 'lambda', folder);
  const entry = join(functionDir, LAMBDA_SOURCE_FILE);
  if (existsSync(entry)) return { entry };
  if (existsSync(join(functionDir, LAMBDA_BUNDLE_FILE))) return { bundleDir: functionDir };
  return undefined;
}

/** Whether `lambda/<folder>` holds a function, as source here or as a bundle in the installed package. */
export function hasLambdaFunction(folder: string, libDir: string = __dirname): boolean {
  return lambdaCodeLocation(folder, libDir) !== undefined;
}

/**
 * What every function of this project shares: Node.js 24 pinned (not NODEJS_LATEST, which
 * moves under a deployed stack), arm64, JSON logs, and a local esbuild bundle (never
 * Docker) that is minified, source-mapped and self-contained but for LAMBDA_EXTERNAL_MODULES.
 * @param folder the function's folder under `lambda/`, holding `handler.ts`
 */
export function bundledFunctionProps(folder: string): NodejsFunctionProps {
  // A folder with neither gets the source path, as before: NodejsFunction names the missing entry file.
  const location = lambdaCodeLocation(folder) ?? { entry: join(__dirname, '..', 'lambda', folder, LAMBDA_SOURCE_FILE) };
  const common = {
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    loggingFormat: LoggingFormat.JSON,
    environment: { NODE_OPTIONS: '--enable-source-maps' },
  };
  if ('bundleDir' in location) {
    // Already bundled with LAMBDA_BUNDLE: NodejsFunction deploys it as it is.
    return { ...common, code: Code.fromAsset(location.bundleDir), handler: 'index.handler' };
  }
  return {
    ...common,
    entry: location.entry,
    handler: 'handler',
    bundling: {
      minify: LAMBDA_BUNDLE.minify,
      sourceMap: LAMBDA_BUNDLE.sourceMap,
      target: LAMBDA_BUNDLE.target,
      format: LAMBDA_BUNDLE.format,
      // Only what LAMBDA_EXTERNAL_MODULES names is left to the runtime.
      externalModules: externalModulesOf(folder),
      forceDockerBundling: false,
      logLevel: LogLevel.WARNING,
    },
  };
}
