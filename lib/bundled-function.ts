import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Architecture, Code, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * How every function of this project is bundled: one source of truth for the esbuild run of
 * `cdk synth`, of `npm run build` (the package's bundles) and of npm start's rebundle.
 */
export const LAMBDA_BUNDLE = {
  target: 'node24',
  format: 'cjs',
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

/** esbuild's build options (the subset this project sets), without a type import of esbuild. */
export interface LambdaBundleOptions {
  readonly entryPoints: string[];
  readonly outfile: string;
  readonly bundle: true;
  readonly platform: 'node';
  readonly target: string;
  readonly format: 'cjs';
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly external: string[];
  readonly logLevel: 'warning';
}

/**
 * The esbuild options for `lambda/<folder>` written to `outfile`: self-contained but for
 * LAMBDA_EXTERNAL_MODULES, minified, with a source map beside it.
 * @param entry the handler file @default lambda/<folder>/handler.ts
 */
export function lambdaBundleOptions(
  folder: string,
  outfile: string,
  entry: string = join(__dirname, '..', 'lambda', folder, LAMBDA_SOURCE_FILE),
): LambdaBundleOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    external: externalModulesOf(folder),
    logLevel: 'warning',
  };
}

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
 * moves under a deployed stack), arm64, JSON logs, and its code: in this repository a bundle
 * esbuild makes at synth (never Docker) with lambdaBundleOptions, in the installed package the
 * bundle `npm run build` made with the same options.
 * @param folder the function's folder under `lambda/`, holding `handler.ts`
 * @param entry another handler file, bundled with the folder's externals @default lambda/<folder>/handler.ts
 */
export function bundledFunctionProps(folder: string, entry?: string): NodejsFunctionProps {
  const location = entry !== undefined ? { entry } : lambdaCodeLocation(folder);
  if (!location) {
    throw new Error(
      `lambda/${folder} holds no function: neither ${LAMBDA_SOURCE_FILE} (source) nor ${LAMBDA_BUNDLE_FILE} (bundle)`,
    );
  }
  return {
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    loggingFormat: LoggingFormat.JSON,
    environment: { NODE_OPTIONS: '--enable-source-maps' },
    handler: 'index.handler',
    code: 'bundleDir' in location ? Code.fromAsset(location.bundleDir) : bundledAtSynth(folder, location.entry),
  };
}

/**
 * The function's code as an asset bundled by esbuild's API in the synthesizing process. What
 * NodejsFunction's own bundling would run through `npx esbuild` (one npm start-up per function,
 * about half a second each); the asset hash is the bundle's, as NodejsFunction's is.
 */
function bundledAtSynth(folder: string, entry: string): Code {
  return Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling below bundles or throws, so Docker is never asked.
      image: DockerImage.fromRegistry('local-esbuild-only'),
      local: new EsbuildBundling(folder, entry),
    },
  });
}

/**
 * esbuild's buildSync with lambdaBundleOptions. A class with the entry as a field, not an object
 * literal: CDK keys its asset cache on the JSON of the bundling options, where a function is
 * invisible, so two entries in one folder would otherwise share the first one's bundle.
 */
class EsbuildBundling implements ILocalBundling {
  constructor(
    readonly folder: string,
    readonly entry: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    let esbuild: { buildSync(options: LambdaBundleOptions): unknown };
    try {
      // Loaded here: the installed package deploys its pre-built bundles and needs no esbuild.
      esbuild = require('esbuild');
    } catch (error) {
      throw new Error(
        `bundling ${this.entry} needs esbuild: npm install --save-dev esbuild ` +
          `(${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      );
    }
    esbuild.buildSync(lambdaBundleOptions(this.folder, join(outputDir, LAMBDA_BUNDLE_FILE), this.entry));
    return true;
  }
}
