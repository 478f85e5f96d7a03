import { type CfnResource, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  ApiMapping,
  type CfnIntegration,
  type CfnStage,
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpConnectionType,
  HttpIntegration,
  HttpIntegrationType,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpRouteIntegration,
  type HttpRouteIntegrationBindOptions,
  type HttpRouteIntegrationConfig,
  HttpStage,
  LogGroupLogDestination,
  MappingValue,
  ParameterMapping,
  PayloadFormatVersion,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { httpApiAccessLogFormat } from './access-log-format';
import {
  audiencesProblem,
  joinFieldAndProblem,
  corsOriginProblem,
  domainNameProblem,
  issuerUrlProblem,
  positiveIntegerProblem,
  scopesProblem,
  stageNameProblem,
} from '../rules/validation';
import {
  authorizerNameFor,
  backendUrlProblem,
  DEFAULT_IDENTITY_HEADERS,
  DEFAULT_INTEGRATION_TIMEOUT_MS,
  DEFAULT_ISSUER_NAME,
  identityHeaderProblem,
  integrationTimeoutProblem,
  MAX_AUTHORIZERS_PER_API,
  MAX_INTEGRATION_TIMEOUT_MS,
  nameProblem,
  pascalCase,
  routeLimitProblem,
} from '../rules/route-targets';

/** The target of routes that name none, when the API is built from `handler` (the single-function shape). */
export const DEFAULT_TARGET_NAME = 'api';
/** The issuer of routes that name none, when the API is built from `issuerUrl` (the single-issuer shape). */
export const DEFAULT_ISSUER = DEFAULT_ISSUER_NAME;

/** One row of the route table. */
export interface ApiRoute {
  /** HTTP method, or `ANY`. */
  readonly method: HttpMethod;
  /** Path such as `/me`, `/items/{id}` or `/files/{proxy+}`. */
  readonly path: string;
  /**
   * Answer without a token (no authorizer on this route).
   * @default false
   */
  readonly public?: boolean;
  /**
   * Scopes of which the token must hold at least one (API Gateway's rule). They replace the
   * API's `defaultScopes` for this route rather than adding to them: a longer list would
   * accept more tokens, not fewer.
   * @default the API's `defaultScopes`
   */
  readonly scopes?: readonly string[];
  /**
   * The name of the target (a key of `targets`) that answers this route.
   * @default the API's `defaultTarget`
   */
  readonly target?: string;
  /**
   * The name of the issuer (a key of `issuers`) whose tokens open this route.
   * @default the API's `defaultIssuer`
   */
  readonly issuer?: string;
  /**
   * This route's own throttling, at most the stage's.
   * @default - the stage's limits
   */
  readonly throttle?: ThrottleSettings;
}

/** A Lambda function behind one or more routes: one payload-2.0 integration, one permission. */
export interface FunctionTarget {
  readonly kind: 'function';
  readonly function: IFunction;
}

/** What an HTTP backend is told about the caller: request header -> JWT claim. */
export interface IdentityForwarding {
  /**
   * Request headers set from the token's claims (`$context.authorizer.claims.<claim>`), always
   * overwriting a header of the same name that the caller sent, so it cannot be forged.
   * @default DEFAULT_IDENTITY_HEADERS (x-wso2-sub, x-wso2-client-id, x-wso2-scope, x-wso2-issuer)
   */
  readonly identityHeaders?: Readonly<Record<string, string>>;
  /**
   * How long API Gateway waits for the backend (50 ms to 30 s).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
}

/** An HTTP backend reached over the internet (HTTP_PROXY); the caller's path is forwarded. */
export interface HttpTarget extends IdentityForwarding {
  readonly kind: 'http';
  /** The backend's origin, e.g. `https://legacy.example.com` (no path). */
  readonly url: string;
}

/** A private backend (ALB/NLB listener or Cloud Map service) reached through an existing VPC link. */
export interface PrivateTarget extends IdentityForwarding {
  readonly kind: 'private';
  /** The VPC link's id (`AWS::ApiGatewayV2::VpcLink`), e.g. `IVpcLink.vpcLinkId`. */
  readonly vpcLinkId: string;
  /** The listener's or the Cloud Map service's ARN. */
  readonly backendArn: string;
}

export type ApiTarget = FunctionTarget | HttpTarget | PrivateTarget;

/** One trusted issuer: one JWT authorizer. */
export interface ApiIssuer {
  /** Exactly as the tokens' `iss` claim. */
  readonly issuerUrl: string;
  /** Client ids whose tokens are accepted (matched against `aud`, else `client_id`). At most 50. */
  readonly audiences: readonly string[];
}

export { DEFAULT_IDENTITY_HEADERS };

export interface Wso2JwtHttpApiProps {
  /**
   * The single-issuer shape: the issuer named `default`, exactly as the tokens' `iss` claim,
   * e.g. `https://is.example.com/oauth2/token` or `https://api.asgardeo.io/t/<org>/oauth2/token`.
   * @default - only `issuers`
   */
  readonly issuerUrl?: string;
  /** The audiences of `issuerUrl`. At most 50. @default - only `issuers` */
  readonly audiences?: readonly string[];
  /**
   * Named issuers, one JWT authorizer each (at most 10 per API, `default` included).
   * @default - only the `issuerUrl` issuer
   */
  readonly issuers?: Readonly<Record<string, ApiIssuer>>;
  /**
   * The issuer of routes that name none.
   * @default 'default' with `issuerUrl`, else the only issuer
   */
  readonly defaultIssuer?: string;
  /**
   * The single-function shape: the function target named `api`.
   * @default - only `targets`
   */
  readonly handler?: IFunction;
  /**
   * Named targets. Integrations and permissions take their logical ids from these names, never
   * from the route table, so adding, removing or reordering routes replaces neither.
   * @default - only the `handler` target
   */
  readonly targets?: Readonly<Record<string, ApiTarget>>;
  /**
   * The target of routes that name none.
   * @default 'api' with `handler`, else the only target
   */
  readonly defaultTarget?: string;
  /** The route table; its order does not matter. */
  readonly routes: readonly ApiRoute[];
  /**
   * Scopes required on every protected route that declares none, whatever its issuer. The
   * authorizer cannot tell a WSO2 ID token from an access token; only a required scope keeps
   * ID tokens out.
   * @default - none: any valid token opens a protected route without `scopes`
   */
  readonly defaultScopes?: readonly string[];
  /**
   * Stage name; any other name than `$default` prefixes every path with `/<stageName>`.
   * @default '$default'
   */
  readonly stageName?: string;
  /**
   * Stage-wide throttling; a route's own `throttle` cannot exceed it.
   * @default - the account-level limits
   */
  readonly throttle?: ThrottleSettings;
  /**
   * Origins allowed by CORS; API Gateway then answers preflight requests itself.
   * @default - no CORS configuration
   */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * @default - the construct's path
   */
  readonly apiName?: string;
  /**
   * Retention of the stage's JSON access logs (format: `ACCESS_LOG_FIELDS`).
   * @default RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: RetentionDays;
  /**
   * What happens to the access log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly accessLogRemovalPolicy?: RemovalPolicy;
  /**
   * A custom domain mapped to the stage; the execute-api endpoint is then disabled, so
   * callers cannot bypass the domain.
   * @default - the API answers on its execute-api endpoint
   */
  readonly customDomain?: {
    readonly domainName: string;
    /** An ACM certificate for `domainName` in the API's region. */
    readonly certificate: ICertificate;
  };
}

/** Bad props: `field` names the prop (e.g. `routes[3].issuer`), `problem` says what is wrong. */
export class Wso2JwtHttpApiError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Wso2JwtHttpApi: ${joinFieldAndProblem(field, problem)}`);
    this.name = 'Wso2JwtHttpApiError';
  }
}

/**
 * An HTTP_PROXY integration through a VPC link to a listener or Cloud Map service given by
 * ARN. aws-cdk-lib's HttpAlbIntegration and HttpServiceDiscoveryIntegration need a full
 * imported listener (with its security group) or service (with its namespace), which a team
 * pointing at an existing backend does not have; the integration itself needs only the ARN.
 */
class VpcLinkArnIntegration extends HttpRouteIntegration {
  constructor(
    id: string,
    private readonly target: PrivateTarget,
    private readonly parameterMapping: ParameterMapping,
  ) {
    super(id);
  }

  bind(_options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    return {
      type: HttpIntegrationType.HTTP_PROXY,
      connectionType: HttpConnectionType.VPC_LINK,
      connectionId: this.target.vpcLinkId,
      uri: this.target.backendArn,
      method: HttpMethod.ANY,
      payloadFormatVersion: PayloadFormatVersion.VERSION_1_0,
      parameterMapping: this.parameterMapping,
      timeout: cdkTimeout(this.target.timeout),
    };
  }
}

/**
 * An API Gateway HTTP API whose protected routes only answer callers holding a valid JWT
 * access token from WSO2 Identity Server or Asgardeo, checked by API Gateway's native JWT
 * authorizer (one per issuer). Routes reach Lambda functions, HTTP backends or private
 * backends; HTTP and private backends receive the caller's identity as headers.
 */
export class Wso2JwtHttpApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  /** The default issuer's authorizer. */
  public readonly authorizer: HttpJwtAuthorizer;
  /** Every issuer's authorizer, by issuer name. */
  public readonly authorizers: Readonly<Record<string, HttpJwtAuthorizer>>;
  /** Every target's integration, by target name. */
  public readonly integrations: Readonly<Record<string, HttpRouteIntegration>>;
  /** The stage's access logs, one JSON record per request. */
  public readonly accessLogGroup: LogGroup;
  /** The custom domain, when one is configured. */
  public readonly domainName?: DomainName;
  /** The URL of the API, ending with `/`: on the custom domain when there is one, else the stage's. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: Wso2JwtHttpApiProps) {
    super(scope, id);
    const { issuers, defaultIssuer, targets, defaultTarget } = validateProps(props);
    const defaultScopes = props.defaultScopes ?? [];
    const stageName = props.stageName ?? '$default';
    const origins = props.corsAllowedOrigins ?? [];

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      // An explicit stage from the first version: swapping the auto-created one later
      // makes CloudFormation create a second `$default` stage and the deploy fails.
      createDefaultStage: false,
      corsPreflight:
        origins.length === 0
          ? undefined
          : {
              allowOrigins: [...origins],
              allowHeaders: ['authorization', 'content-type'],
              allowMethods: corsMethods(props.routes),
              maxAge: Duration.hours(1),
            },
      disableExecuteApiEndpoint: props.customDomain ? true : undefined,
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.accessLogRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.customDomain) {
      this.domainName = new DomainName(this, 'CustomDomain', {
        domainName: props.customDomain.domainName,
        certificate: props.customDomain.certificate,
      });
    }
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: httpApiAccessLogFormat(),
      },
    });
    if (this.domainName) {
      // The domain's root maps to the explicit stage (whatever the stage's name). Not the
      // stage's `domainMapping` prop: its logical id embeds the stack name and "undefined".
      new ApiMapping(this, 'CustomDomainMapping', {
        api: this.httpApi,
        domainName: this.domainName,
        stage: this.stage,
      });
    }
    this.url = props.customDomain ? `https://${props.customDomain.domainName}/` : this.stage.url;

    // Construct ids follow issuer names: `default` keeps the id of the single-issuer shape.
    const authorizers: Record<string, HttpJwtAuthorizer> = {};
    for (const [name, issuer] of Object.entries(issuers)) {
      authorizers[name] = new HttpJwtAuthorizer(authorizerNameFor(name), issuer.issuerUrl, {
        jwtAudience: [...issuer.audiences],
        identitySource: ['$request.header.Authorization'],
      });
    }
    this.authorizers = authorizers;
    this.authorizer = authorizers[defaultIssuer];

    const integrations: Record<string, HttpRouteIntegration> = {};
    for (const [name, target] of Object.entries(targets)) integrations[name] = integrationFor(name, target);
    this.integrations = integrations;

    const publicAccess = new HttpNoneAuthorizer();
    const throttled: Record<string, { route: HttpRoute; throttle: ThrottleSettings }> = {};
    for (const route of props.routes) {
      const scopes = route.public ? [] : (route.scopes ?? defaultScopes);
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: integrations[route.target ?? defaultTarget],
        authorizer: route.public ? publicAccess : authorizers[route.issuer ?? defaultIssuer],
        authorizationScopes: scopes.length > 0 ? [...scopes] : undefined,
      });
      if (route.throttle) throttled[`${route.method} ${route.path}`] = { route: created, throttle: route.throttle };
    }
    this.anchorLogicalIds(targets);
    this.applyRouteThrottling(throttled);
  }

  /**
   * aws-cdk-lib creates a target's integration and Lambda permission under the first route
   * bound to it, so their logical ids would follow route order. They are renamed after the
   * target instead: `<Api>Target<Name>Integration`, `<Api>Target<Name>Permission`.
   */
  private anchorLogicalIds(targets: Readonly<Record<string, ApiTarget>>): void {
    const prefix = this.node.scopes
      .slice(this.node.scopes.indexOf(Stack.of(this)) + 1)
      .map((construct) => construct.node.id.replace(/[^A-Za-z0-9]/g, ''))
      .join('');
    const all = this.httpApi.node.findAll();
    for (const [name, target] of Object.entries(targets)) {
      const logicalName = `${prefix}Target${pascalCase(name)}`;
      const integration = all.find(
        (child): child is HttpIntegration => child instanceof HttpIntegration && child.node.id === integrationId(name),
      );
      // A target no route names has no integration: nothing to anchor.
      const cfnIntegration = integration?.node.defaultChild as CfnIntegration | undefined;
      cfnIntegration?.overrideLogicalId(`${logicalName}Integration`);
      if (target.kind !== 'function') {
        const ms = target.timeout?.toMilliseconds();
        if (ms !== undefined && ms > CDK_MAX_TIMEOUT_MS) cfnIntegration?.addPropertyOverride('TimeoutInMillis', ms);
        continue;
      }
      const permissionId = `ApiPermission.ApiScoped.${nodeUniqueId(target.function)}.${nodeUniqueId(this.httpApi)}`;
      const permission = all.find(
        (child): child is CfnPermission => child instanceof CfnPermission && child.node.id === permissionId,
      );
      permission?.overrideLogicalId(`${logicalName}Permission`);
    }
  }

  /** Stage RouteSettings (HttpStage has no route-level throttle prop): the L1 escape hatch. */
  private applyRouteThrottling(throttled: Record<string, { route: HttpRoute; throttle: ThrottleSettings }>): void {
    const keys = Object.keys(throttled).sort();
    if (keys.length === 0) return;
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      keys.map((key) => [
        key,
        {
          ThrottlingRateLimit: throttled[key].throttle.rateLimit,
          ThrottlingBurstLimit: throttled[key].throttle.burstLimit,
        },
      ]),
    );
    // RouteSettings name routes by key: CloudFormation must create them before the stage.
    for (const key of keys) cfnStage.node.addDependency(throttled[key].route.node.defaultChild as CfnResource);
  }
}

function integrationId(targetName: string): string {
  return `Target${pascalCase(targetName)}`;
}

function nodeUniqueId(construct: Construct): string {
  return Names.nodeUniqueId(construct.node);
}

function integrationFor(name: string, target: ApiTarget): HttpRouteIntegration {
  const id = integrationId(name);
  if (target.kind === 'function') {
    return new HttpLambdaIntegration(id, target.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      // One API-wide permission instead of one per route, so the function's 20 KB resource
      // policy does not cap the number of routes.
      scopePermissionToRoute: false,
    });
  }
  const parameterMapping = identityMapping(target.identityHeaders ?? DEFAULT_IDENTITY_HEADERS);
  if (target.kind === 'http') {
    return new HttpUrlIntegration(id, target.url, {
      method: HttpMethod.ANY,
      parameterMapping,
      timeout: cdkTimeout(target.timeout),
    });
  }
  return new VpcLinkArnIntegration(id, target, parameterMapping);
}

/** The caller's path, and each identity header overwritten from the authorizer's claims. */
function identityMapping(headers: Readonly<Record<string, string>>): ParameterMapping {
  const mapping = new ParameterMapping().overwritePath(MappingValue.requestPath());
  for (const header of Object.keys(headers).sort()) {
    mapping.overwriteHeader(header.toLowerCase(), MappingValue.contextVariable(`authorizer.claims.${headers[header]}`));
  }
  return mapping;
}

/**
 * aws-cdk-lib's HttpIntegration refuses more than 29 s while API Gateway allows up to
 * MAX_INTEGRATION_TIMEOUT_MS: anything above goes through a property override instead.
 */
const CDK_MAX_TIMEOUT_MS = 29_000;

function cdkTimeout(timeout: Duration | undefined): Duration {
  const ms = timeout?.toMilliseconds() ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  return Duration.millis(Math.min(ms, CDK_MAX_TIMEOUT_MS, MAX_INTEGRATION_TIMEOUT_MS));
}

function corsMethods(routes: readonly ApiRoute[]): CorsHttpMethod[] {
  if (routes.some((route) => route.method === HttpMethod.ANY)) return [CorsHttpMethod.ANY];
  const methods = new Set(routes.map((route) => route.method as string));
  methods.add('OPTIONS');
  return [...methods].sort().map((method) => method as CorsHttpMethod);
}

/** A path segment: literal characters, or a `{param}`, or a greedy `{param+}`. */
const PATH_SEGMENT = "([A-Za-z0-9._~:@!$&'()*+,;=-]+|\\{[A-Za-z0-9_]+\\}|\\{[A-Za-z0-9_]+\\+\\})";
/** `/`, or `/` followed by segments; the first may also be `{proxy+}`. */
const ROUTE_PATH = new RegExp(`^\\/(${PATH_SEGMENT}|\\{proxy\\+\\})?(\\/${PATH_SEGMENT})*$`);

interface ResolvedProps {
  readonly issuers: Readonly<Record<string, ApiIssuer>>;
  readonly defaultIssuer: string;
  readonly targets: Readonly<Record<string, ApiTarget>>;
  readonly defaultTarget: string;
}

function validateProps(props: Wso2JwtHttpApiProps): ResolvedProps {
  const fail = (prop: string, problem: string): never => {
    throw new Wso2JwtHttpApiError(prop, problem);
  };
  const issuers = resolveIssuers(props, fail);
  const issuerNames = Object.keys(issuers);
  const defaultIssuer = props.defaultIssuer ?? (props.issuerUrl !== undefined ? DEFAULT_ISSUER : issuerNames[0]);
  if (!issuerNames.includes(defaultIssuer)) {
    fail(
      'defaultIssuer',
      `must name one of the issuers (${issuerNames.join(', ')}), got ${JSON.stringify(defaultIssuer)}`,
    );
  }
  if (props.defaultIssuer === undefined && props.issuerUrl === undefined && issuerNames.length > 1) {
    fail('defaultIssuer', `is missing: name the issuer of routes that name none (one of ${issuerNames.join(', ')})`);
  }
  const targets = resolveTargets(props, fail);
  const targetNames = Object.keys(targets);
  const defaultTarget = props.defaultTarget ?? (props.handler ? DEFAULT_TARGET_NAME : targetNames[0]);
  if (!targetNames.includes(defaultTarget)) {
    fail(
      'defaultTarget',
      `must name one of the targets (${targetNames.join(', ')}), got ${JSON.stringify(defaultTarget)}`,
    );
  }
  if (props.defaultTarget === undefined && !props.handler && targetNames.length > 1) {
    fail('defaultTarget', `is missing: name the target of routes that name none (one of ${targetNames.join(', ')})`);
  }

  const defaultScopeProblem = scopesProblem(props.defaultScopes ?? []);
  if (defaultScopeProblem) fail('defaultScopes', defaultScopeProblem);
  const stageProblem = stageNameProblem(props.stageName ?? '$default');
  if (stageProblem) fail('stageName', stageProblem);
  if (props.throttle) {
    for (const key of ['rateLimit', 'burstLimit'] as const) {
      const problem = positiveIntegerProblem(props.throttle[key]);
      if (problem) fail(`throttle.${key}`, problem);
    }
  }
  (props.corsAllowedOrigins ?? []).forEach((origin, index) => {
    const problem = corsOriginProblem(origin);
    if (problem) fail(`corsAllowedOrigins[${index}]`, problem);
  });
  if (props.customDomain && !Token.isUnresolved(props.customDomain.domainName)) {
    const problem = domainNameProblem(props.customDomain.domainName);
    if (problem) fail('customDomain.domainName', problem);
  }
  if (props.routes.length === 0) fail('routes', 'must hold at least one route');
  const seen = new Set<string>();
  props.routes.forEach((route, index) => {
    const key = `${route.method} ${route.path}`;
    if (!ROUTE_PATH.test(route.path)) {
      fail(`routes[${index}].path`, `must be a path such as "/items/{id}", got ${JSON.stringify(route.path)}`);
    }
    if (seen.has(key)) fail(`routes[${index}]`, `duplicates route ${JSON.stringify(key)}`);
    seen.add(key);
    if (route.public && route.scopes !== undefined) {
      fail(
        `routes[${index}].scopes`,
        `cannot be required on public route ${JSON.stringify(key)}, got ${JSON.stringify(route.scopes)}`,
      );
    }
    if (route.scopes !== undefined) {
      if (route.scopes.length === 0)
        fail(`routes[${index}].scopes`, `must list at least one scope when given (route ${JSON.stringify(key)})`);
      const problem = scopesProblem(route.scopes);
      if (problem) fail(`routes[${index}].scopes`, problem);
    }
    validateRouteReferences(route, index, key, { issuers, targets, defaultTarget, throttle: props.throttle }, fail);
  });
  return { issuers, defaultIssuer, targets, defaultTarget };
}

function validateRouteReferences(
  route: ApiRoute,
  index: number,
  key: string,
  api: {
    issuers: Readonly<Record<string, ApiIssuer>>;
    targets: Readonly<Record<string, ApiTarget>>;
    defaultTarget: string;
    throttle?: ThrottleSettings;
  },
  fail: (prop: string, problem: string) => never,
): void {
  const on = `on route ${JSON.stringify(key)}`;
  if (route.target !== undefined && !Object.hasOwn(api.targets, route.target)) {
    fail(
      `routes[${index}].target`,
      `must name one of the targets (${Object.keys(api.targets).join(', ')}) ${on}, ` +
        `got ${JSON.stringify(route.target)}`,
    );
  }
  if (route.issuer !== undefined) {
    if (route.public) fail(`routes[${index}].issuer`, `cannot be given ${on}, which is public`);
    if (!Object.hasOwn(api.issuers, route.issuer)) {
      fail(
        `routes[${index}].issuer`,
        `must name one of the issuers (${Object.keys(api.issuers).join(', ')}) ${on}, ` +
          `got ${JSON.stringify(route.issuer)}`,
      );
    }
  }
  const target = api.targets[route.target ?? api.defaultTarget];
  if (route.public && target.kind !== 'function') {
    fail(
      `routes[${index}].public`,
      `cannot be true ${on}: its target "${route.target ?? api.defaultTarget}" forwards the caller's identity, ` +
        'which a public route does not have',
    );
  }
  if (route.throttle) {
    for (const field of ['rateLimit', 'burstLimit'] as const) {
      const problem = routeLimitProblem(field, route.throttle[field], api.throttle?.[field]);
      if (problem) fail(`routes[${index}].throttle.${field}`, `${problem} ${on}`);
    }
  }
}

function resolveIssuers(props: Wso2JwtHttpApiProps, fail: (prop: string, problem: string) => never) {
  const issuers: Record<string, ApiIssuer> = {};
  if (props.issuerUrl !== undefined || props.audiences !== undefined) {
    if (props.issuerUrl === undefined) fail('issuerUrl', 'is missing: audiences were given without their issuer');
    issuers[DEFAULT_ISSUER] = { issuerUrl: props.issuerUrl as string, audiences: props.audiences ?? [] };
  }
  for (const [name, issuer] of Object.entries(props.issuers ?? {})) {
    const problem = nameProblem(name);
    if (problem) fail(`issuers.${name}`, problem);
    if (Object.hasOwn(issuers, name)) fail(`issuers.${name}`, 'duplicates the issuer given by issuerUrl ("default")');
    issuers[name] = issuer;
  }
  const names = Object.keys(issuers);
  if (names.length === 0) fail('issuerUrl', 'is missing: give issuerUrl and audiences, or issuers');
  if (names.length > MAX_AUTHORIZERS_PER_API) {
    fail('issuers', `may declare at most ${MAX_AUTHORIZERS_PER_API} issuers (API Gateway quota), got ${names.length}`);
  }
  for (const [name, issuer] of Object.entries(issuers)) {
    const field = name === DEFAULT_ISSUER && props.issuerUrl !== undefined ? '' : `issuers.${name}.`;
    if (!Token.isUnresolved(issuer.issuerUrl)) {
      const problem = issuerUrlProblem(issuer.issuerUrl);
      if (problem) fail(`${field}issuerUrl`, problem);
    }
    const audienceProblem = audiencesProblem(issuer.audiences);
    if (audienceProblem) fail(`${field}audiences`, audienceProblem);
  }
  return issuers;
}

function resolveTargets(props: Wso2JwtHttpApiProps, fail: (prop: string, problem: string) => never) {
  const targets: Record<string, ApiTarget> = {};
  if (props.handler) targets[DEFAULT_TARGET_NAME] = { kind: 'function', function: props.handler };
  for (const [name, target] of Object.entries(props.targets ?? {})) {
    const field = `targets.${name}`;
    // Names map one-to-one to PascalCase (nameProblem), so distinct names make distinct logical ids.
    const problem = nameProblem(name);
    if (problem) fail(field, problem);
    if (Object.hasOwn(targets, name)) fail(field, `duplicates the target name "${name}" of handler`);
    if (target.kind !== 'function') {
      if (target.kind === 'http' && !Token.isUnresolved(target.url)) {
        const urlProblem = backendUrlProblem(target.url);
        if (urlProblem) fail(`${field}.url`, urlProblem);
      }
      for (const header of Object.keys(target.identityHeaders ?? {})) {
        const headerProblem = identityHeaderProblem(header);
        if (headerProblem) fail(`${field}.identityHeaders["${header}"]`, headerProblem);
      }
      if (target.timeout !== undefined && !target.timeout.isUnresolved()) {
        const timeoutProblem = integrationTimeoutProblem(target.timeout.toMilliseconds());
        if (timeoutProblem) fail(`${field}.timeout`, timeoutProblem);
      }
    }
    targets[name] = target;
  }
  if (Object.keys(targets).length === 0) fail('handler', 'is missing: give handler, or targets');
  return targets;
}
