import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ToolError } from '../cli/cli';
import { type HttpProxyTargetModel, HttpTargetError, httpProxyTargetOf } from './http-target';
import { type ApplicationLogLevel, isApplicationLogLevel } from './log-level';
import { ParameterMappingError } from './parameter-mapping';

/** One JWT authorizer of the API, from its AWS::ApiGatewayV2::Authorizer. */
export interface JwtAuthorizerModel {
  readonly logicalId: string;
  readonly name: string;
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly identitySource: string;
}

/** One Lambda function behind an integration, from its AWS::Lambda::Function and asset. */
export interface FunctionModel {
  readonly logicalId: string;
  /** The folder of the bundled asset in cdk.out. */
  readonly assetDir: string;
  /** e.g. `index.handler`. */
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  /** MemorySize in MB (Lambda's default 128), enforced as the runtime's heap limit. @default 128 */
  readonly memorySizeMb?: number;
  /** e.g. `nodejs24.x`, for AWS_EXECUTION_ENV. */
  readonly runtime?: string;
  /** LoggingConfig.LogFormat: `JSON` writes one JSON object per console call. @default 'Text' */
  readonly logFormat?: 'JSON' | 'Text';
  /** LoggingConfig.ApplicationLogLevel with the JSON log format; absent: every console call is written. */
  readonly applicationLogLevel?: ApplicationLogLevel;
}

export interface RouteModel {
  readonly logicalId: string;
  /** `GET /hello`, `ANY /files/{proxy+}` or `$default`. */
  readonly routeKey: string;
  readonly authorizer: JwtAuthorizerModel | undefined;
  /** The route's AuthorizationScopes. */
  readonly scopes: readonly string[];
  /** Set when the route's integration is a Lambda proxy (AWS_PROXY); exactly one of function and httpProxy is. */
  readonly function?: FunctionModel;
  /** Set when the route's integration is an HTTP proxy (HTTP_PROXY) to a URL. */
  readonly httpProxy?: HttpProxyTargetModel;
  readonly payloadFormatVersion: string;
  /** The integration's TimeoutInMillis (HTTP APIs: 50 ms to 30 s). @default 30000 */
  readonly integrationTimeoutMs?: number;
}

export interface CorsModel {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge: number | undefined;
}

export interface ApiModel {
  readonly stackName: string;
  readonly apiName: string;
  readonly stageName: string;
  readonly cors: CorsModel | undefined;
  readonly routes: readonly RouteModel[];
  readonly authorizers: readonly JwtAuthorizerModel[];
}

/** The cloud assembly does not hold what the gateway needs; the message says what and where. */
export class CloudAssemblyError extends ToolError {
  constructor(message: string) {
    super(message);
    this.name = 'CloudAssemblyError';
  }
}

type Resource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };

type Template = { Resources?: Record<string, Resource> };

/** The stack's template with what is needed to find things in it. */
interface StackTemplate {
  readonly cdkOutDir: string;
  readonly artifactId: string;
  readonly stackName: string;
  readonly resources: Readonly<Record<string, Resource>>;
  /** Asset folders by hash, from the stack's assets manifest. */
  readonly assets: ReadonlyMap<string, string>;
}

/**
 * Reads the synthesized stack from a cdk.out folder (manifest.json -> the stack's template ->
 * its HTTP API, stage, routes, authorizers, integrations and functions with their assets).
 * The TypeScript source is never read: what is served is what would be deployed.
 * @param stackName the stack's name; may be omitted when the assembly holds exactly one stack.
 */
export function loadApiModel(cdkOutDir: string, stackName?: string): ApiModel {
  const stack = readStackTemplate(cdkOutDir, stackName);
  const [apiId, api] = findApi(stack);
  const belongs = (resource: Resource) => refOf(resource.Properties?.ApiId) === apiId;
  const authorizers = readAuthorizers(stack, belongs);
  return {
    stackName: stack.stackName,
    apiName: String(api.Properties?.Name ?? apiId),
    stageName: readStageName(stack, apiId, belongs),
    cors: readCors(api),
    routes: readRoutes(stack, belongs, authorizers),
    authorizers,
  };
}

/** manifest.json -> the chosen stack's artifact -> its template and assets. */
function readStackTemplate(cdkOutDir: string, stackName: string | undefined): StackTemplate {
  const manifestFile = join(cdkOutDir, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new CloudAssemblyError(`${manifestFile} does not exist: synthesize first (npx cdk synth)`);
  const manifest = readJson(manifestFile) as {
    artifacts?: Record<string, { type: string; displayName?: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {}).filter(
    ([, artifact]) => artifact.type === 'aws:cloudformation:stack',
  );
  const names = stacks.map(([id, artifact]) => artifact.displayName ?? id);
  const chosen =
    stackName === undefined
      ? stacks.length === 1
        ? stacks[0]
        : undefined
      : stacks.find(([id, artifact]) => id === stackName || artifact.displayName === stackName);
  if (!chosen) {
    throw new CloudAssemblyError(
      stackName === undefined
        ? `${cdkOutDir} holds ${stacks.length} stacks (${names.join(', ')}): name one with --stack`
        : `stack ${JSON.stringify(stackName)} is not in ${cdkOutDir} (stacks: ${names.join(', ') || 'none'})`,
    );
  }
  const [artifactId, artifact] = chosen;
  const templateFile = join(cdkOutDir, artifact.properties?.templateFile ?? `${artifactId}.template.json`);
  const template = readJson(templateFile) as Template;
  return {
    cdkOutDir,
    artifactId,
    stackName: artifact.displayName ?? artifactId,
    resources: template.Resources ?? {},
    assets: readAssetSources(cdkOutDir, artifactId),
  };
}

function ofType(stack: StackTemplate, type: string): [string, Resource][] {
  return Object.entries(stack.resources).filter(([, resource]) => resource.Type === type);
}

function findApi(stack: StackTemplate): [string, Resource] {
  const apis = ofType(stack, 'AWS::ApiGatewayV2::Api');
  if (apis.length !== 1)
    throw new CloudAssemblyError(
      `stack ${stack.artifactId} must hold exactly one AWS::ApiGatewayV2::Api, found ${apis.length}`,
    );
  return apis[0];
}

function readStageName(stack: StackTemplate, apiId: string, belongs: (resource: Resource) => boolean): string {
  const stages = ofType(stack, 'AWS::ApiGatewayV2::Stage').filter(([, stage]) => belongs(stage));
  if (stages.length === 0)
    throw new CloudAssemblyError(`the API ${apiId} has no AWS::ApiGatewayV2::Stage: nothing would be served`);
  return String(stages[0][1].Properties?.StageName ?? '$default');
}

function readAuthorizers(stack: StackTemplate, belongs: (resource: Resource) => boolean): JwtAuthorizerModel[] {
  return ofType(stack, 'AWS::ApiGatewayV2::Authorizer')
    .filter(([, a]) => belongs(a))
    .map(([logicalId, a]) => readJwtAuthorizer(logicalId, a));
}

function readJwtAuthorizer(logicalId: string, authorizer: Resource): JwtAuthorizerModel {
  const p = authorizer.Properties ?? {};
  if (p.AuthorizerType !== 'JWT')
    throw new CloudAssemblyError(
      `authorizer ${logicalId} is of type ${JSON.stringify(p.AuthorizerType)}: only JWT authorizers are served`,
    );
  const jwt = (p.JwtConfiguration ?? {}) as { Issuer?: unknown; Audience?: unknown };
  if (typeof jwt.Issuer !== 'string')
    throw new CloudAssemblyError(
      `authorizer ${logicalId}: JwtConfiguration.Issuer must be a literal string, got ${JSON.stringify(jwt.Issuer)}`,
    );
  const audiences = Array.isArray(jwt.Audience) ? jwt.Audience.filter((a): a is string => typeof a === 'string') : [];
  const identitySource = Array.isArray(p.IdentitySource)
    ? String(p.IdentitySource[0])
    : '$request.header.Authorization';
  if (!/^\$request\.header\.[A-Za-z0-9-]+$/.test(identitySource)) {
    throw new CloudAssemblyError(
      `authorizer ${logicalId}: identity source ${identitySource} is not served (only $request.header.<name>)`,
    );
  }
  return { logicalId, name: String(p.Name ?? logicalId), issuer: jwt.Issuer, audiences, identitySource };
}

function readFunction(stack: StackTemplate, logicalId: string): FunctionModel {
  const fn = stack.resources[logicalId];
  if (fn?.Type !== 'AWS::Lambda::Function')
    throw new CloudAssemblyError(`integration target ${logicalId} is not an AWS::Lambda::Function in the template`);
  const p = fn.Properties ?? {};
  const assetPath = assetPathOf(fn, stack.assets);
  if (!assetPath)
    throw new CloudAssemblyError(
      `function ${logicalId} has no asset in ${stack.cdkOutDir} ` +
        '(no aws:asset:path metadata and no matching S3Key in the assets manifest)',
    );
  const assetDir = isAbsolute(assetPath) ? assetPath : join(stack.cdkOutDir, assetPath);
  const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  return {
    logicalId,
    assetDir,
    handler: String(p.Handler ?? 'index.handler'),
    environment: Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
    timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : 3,
    memorySizeMb: typeof p.MemorySize === 'number' ? p.MemorySize : 128,
    ...(typeof p.Runtime === 'string' && { runtime: p.Runtime }),
    logFormat: (p.LoggingConfig as { LogFormat?: unknown } | undefined)?.LogFormat === 'JSON' ? 'JSON' : 'Text',
    ...applicationLogLevelOf(p.LoggingConfig),
  };
}

function readRoutes(
  stack: StackTemplate,
  belongs: (resource: Resource) => boolean,
  authorizers: readonly JwtAuthorizerModel[],
): RouteModel[] {
  // One model per function, shared by the routes that target it.
  const functions = new Map<string, FunctionModel>();
  const functionModel = (functionId: string) => {
    const known = functions.get(functionId);
    if (known) return known;
    const fn = readFunction(stack, functionId);
    functions.set(functionId, fn);
    return fn;
  };
  return ofType(stack, 'AWS::ApiGatewayV2::Route')
    .filter(([, r]) => belongs(r))
    .map(([logicalId, r]): RouteModel => {
      const p = r.Properties ?? {};
      const routeKey = String(p.RouteKey);
      const integration = readIntegration(stack, routeKey, p.Target);
      return {
        logicalId,
        routeKey,
        authorizer: routeAuthorizer(routeKey, p, authorizers),
        scopes: Array.isArray(p.AuthorizationScopes) ? p.AuthorizationScopes.map(String) : [],
        ...('httpProxy' in integration
          ? { httpProxy: integration.httpProxy }
          : { function: functionModel(integration.functionId) }),
        payloadFormatVersion: integration.payloadFormatVersion,
        integrationTimeoutMs: integration.integrationTimeoutMs,
      };
    });
}

/** The route's Target -> its AWS::ApiGatewayV2::Integration: a Lambda proxy or an HTTP proxy to a URL. */
function readIntegration(
  stack: StackTemplate,
  routeKey: string,
  target: unknown,
): ({ functionId: string } | { httpProxy: HttpProxyTargetModel }) & {
  payloadFormatVersion: string;
  integrationTimeoutMs: number;
} {
  const integrationId = integrationIdOf(target);
  const integration = integrationId ? stack.resources[integrationId] : undefined;
  if (!integrationId || integration?.Type !== 'AWS::ApiGatewayV2::Integration') {
    throw new CloudAssemblyError(
      `route ${JSON.stringify(routeKey)} has no integration the gateway can read (Target ${JSON.stringify(target)})`,
    );
  }
  const ip = integration.Properties ?? {};
  if (ip.IntegrationType === 'HTTP_PROXY') {
    try {
      const httpProxy = httpProxyTargetOf(integrationId, ip);
      return {
        httpProxy,
        payloadFormatVersion: String(ip.PayloadFormatVersion),
        integrationTimeoutMs: httpProxy.timeoutMs,
      };
    } catch (error) {
      if (error instanceof HttpTargetError || error instanceof ParameterMappingError)
        throw new CloudAssemblyError(`route ${JSON.stringify(routeKey)}: ${error.message}`);
      throw error;
    }
  }
  const functionId = functionIdOf(ip.IntegrationUri);
  if (ip.IntegrationType !== 'AWS_PROXY' || !functionId) {
    throw new CloudAssemblyError(
      `route ${JSON.stringify(routeKey)}: only Lambda proxy and HTTP proxy integrations are served, ` +
        `got ${JSON.stringify(ip.IntegrationType)} to ${JSON.stringify(ip.IntegrationUri)}`,
    );
  }
  return {
    functionId,
    payloadFormatVersion: String(ip.PayloadFormatVersion ?? '2.0'),
    integrationTimeoutMs: typeof ip.TimeoutInMillis === 'number' ? ip.TimeoutInMillis : 30_000,
  };
}

/** JWT or none; any other authorization type is refused rather than served open. */
function routeAuthorizer(
  routeKey: string,
  p: Record<string, unknown>,
  authorizers: readonly JwtAuthorizerModel[],
): JwtAuthorizerModel | undefined {
  if (p.AuthorizationType === 'JWT') {
    const authorizer = authorizers.find((a) => a.logicalId === refOf(p.AuthorizerId));
    if (!authorizer)
      throw new CloudAssemblyError(
        `route ${JSON.stringify(routeKey)} uses authorizer ${JSON.stringify(p.AuthorizerId)}, ` +
          `which is not in the template`,
      );
    return authorizer;
  }
  if (p.AuthorizationType !== undefined && p.AuthorizationType !== 'NONE') {
    // Never serve a route open because its protection is not understood.
    throw new CloudAssemblyError(
      `route ${JSON.stringify(routeKey)}: authorization type ${JSON.stringify(p.AuthorizationType)} is not served`,
    );
  }
  return undefined;
}

function readCors(api: Resource): CorsModel | undefined {
  const corsRaw = api.Properties?.CorsConfiguration as Record<string, unknown> | undefined;
  if (!corsRaw) return undefined;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    allowOrigins: list(corsRaw.AllowOrigins),
    allowMethods: list(corsRaw.AllowMethods).map((m) => m.toUpperCase()),
    allowHeaders: list(corsRaw.AllowHeaders).map((h) => h.toLowerCase()),
    exposeHeaders: list(corsRaw.ExposeHeaders).map((h) => h.toLowerCase()),
    allowCredentials: corsRaw.AllowCredentials === true,
    maxAge: typeof corsRaw.MaxAge === 'number' ? corsRaw.MaxAge : undefined,
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CloudAssemblyError(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
}

function refOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && typeof (value as { Ref?: unknown }).Ref === 'string'
    ? (value as { Ref: string }).Ref
    : undefined;
}

/** `integrations/<id>`, written by CDK as `{"Fn::Join": ["", ["integrations/", {"Ref": id}]]}`. */
function integrationIdOf(target: unknown): string | undefined {
  if (typeof target === 'string') return target.replace(/^integrations\//, '');
  const join = (target as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join || !Array.isArray(join[1])) return undefined;
  return (
    join[1]
      .map((part) => (typeof part === 'string' ? part : (refOf(part) ?? '')))
      .join(join[0])
      .replace(/^integrations\//, '') || undefined
  );
}

/** `{"Fn::GetAtt": [id, "Arn"]}`, or the invoke-ARN form built with Fn::Join around it. */
function functionIdOf(uri: unknown): string | undefined {
  const getAtt = (uri as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  const join = (uri as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (join && Array.isArray(join[1])) {
    for (const part of join[1]) {
      const id = functionIdOf(part);
      if (id) return id;
    }
  }
  return undefined;
}

/** The asset folder: the `aws:asset:path` metadata (cdk synth), else the S3Key's hash in the assets manifest. */
function assetPathOf(fn: Resource, assets: ReadonlyMap<string, string>): string | undefined {
  const metadataPath = fn.Metadata?.['aws:asset:path'];
  if (typeof metadataPath === 'string') return metadataPath;
  const key = (fn.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
  return typeof key === 'string' ? assets.get(key.replace(/\.zip$/, '')) : undefined;
}

function readAssetSources(cdkOutDir: string, artifactId: string): Map<string, string> {
  const file = join(cdkOutDir, `${artifactId}.assets.json`);
  const sources = new Map<string, string>();
  if (!existsSync(file)) return sources;
  const manifest = readJson(file) as { files?: Record<string, { source?: { path?: string } }> };
  for (const [hash, entry] of Object.entries(manifest.files ?? {})) {
    if (entry.source?.path) sources.set(hash, entry.source.path);
  }
  return sources;
}

/** Lambda applies an application log level only with the JSON log format. */
function applicationLogLevelOf(loggingConfig: unknown): { applicationLogLevel?: ApplicationLogLevel } {
  const config = (loggingConfig ?? {}) as { LogFormat?: unknown; ApplicationLogLevel?: unknown };
  if (config.LogFormat !== 'JSON') return {};
  return {
    applicationLogLevel: isApplicationLogLevel(config.ApplicationLogLevel) ? config.ApplicationLogLevel : 'INFO',
  };
}
