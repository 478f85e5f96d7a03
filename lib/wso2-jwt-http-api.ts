import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import {
  ApiMapping,
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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
}

export interface Wso2JwtHttpApiProps {
  /**
   * The WSO2 issuer, exactly as the tokens' `iss` claim, e.g.
   * `https://is.example.com/oauth2/token` or `https://api.asgardeo.io/t/<org>/oauth2/token`.
   */
  readonly issuerUrl: string;
  /** WSO2 client ids whose tokens are accepted (matched against `aud`, else `client_id`). At most 50. */
  readonly audiences: readonly string[];
  /** The function behind every route, through one payload-2.0 Lambda integration. */
  readonly handler: IFunction;
  /**
   * The route table. Its first route anchors the logical ids of the shared integration and
   * of the Lambda permission: keep it first when adding or reordering routes.
   */
  readonly routes: readonly ApiRoute[];
  /**
   * Scopes required on every protected route that declares none. The authorizer cannot tell
   * a WSO2 ID token from an access token; only a required scope keeps ID tokens out.
   * @default - none: any valid token opens a protected route without `scopes`
   */
  readonly defaultScopes?: readonly string[];
  /**
   * Stage name; any other name than `$default` prefixes every path with `/<stageName>`.
   * @default '$default'
   */
  readonly stageName?: string;
  /**
   * Stage-wide throttling.
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

/**
 * An API Gateway HTTP API whose protected routes only answer callers holding a valid JWT
 * access token from WSO2 Identity Server or Asgardeo, checked by API Gateway's native JWT
 * authorizer (discovery + JWKS of the issuer).
 */
export class Wso2JwtHttpApi extends Construct {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  public readonly authorizer: HttpJwtAuthorizer;
  public readonly integration: HttpLambdaIntegration;
  /** The stage's access logs, one JSON record per request. */
  public readonly accessLogGroup: LogGroup;
  /** The custom domain, when one is configured. */
  public readonly domainName?: DomainName;
  /** The URL of the API, ending with `/`: on the custom domain when there is one, else the stage's. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: Wso2JwtHttpApiProps) {
    super(scope, id);
    validateProps(props);
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

    this.authorizer = new HttpJwtAuthorizer('Wso2JwtAuthorizer', props.issuerUrl, {
      jwtAudience: [...props.audiences],
      identitySource: ['$request.header.Authorization'],
    });
    this.integration = new HttpLambdaIntegration('LambdaIntegration', props.handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      // One API-wide permission instead of one per route, so the function's 20 KB resource
      // policy does not cap the number of routes.
      scopePermissionToRoute: false,
    });

    const publicAccess = new HttpNoneAuthorizer();
    for (const route of props.routes) {
      const scopes = route.public ? [] : (route.scopes ?? defaultScopes);
      this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: this.integration,
        authorizer: route.public ? publicAccess : this.authorizer,
        authorizationScopes: scopes.length > 0 ? [...scopes] : undefined,
      });
    }
  }
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

function validateProps(props: Wso2JwtHttpApiProps): void {
  const fail = (prop: string, problem: string): never => {
    throw new Error(`Wso2JwtHttpApi: ${joinFieldAndProblem(prop, problem)}`);
  };
  if (!Token.isUnresolved(props.issuerUrl)) {
    const problem = issuerUrlProblem(props.issuerUrl);
    if (problem) fail('issuerUrl', problem);
  }
  const audienceProblem = audiencesProblem(props.audiences);
  if (audienceProblem) fail('audiences', audienceProblem);
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
  });
}
