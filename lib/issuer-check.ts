import { Aws, CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledFunctionProps } from './bundled-function';
import { type LogRetention, retentionDays } from './log-retention';

export interface IssuerCheckProps {
  /** The issuer the JWT authorizer trusts. */
  readonly issuerUrl: string;
  /** The authorizer's audiences: not checkable without a token, but a change re-runs the check. */
  readonly audiences: readonly string[];
  /** Retention of the check function's log group. */
  readonly logRetentionDays: LogRetention;
  /** What deleting the stack does to that log group. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** The custom resource type, as it shows in CloudFormation events. */
export const ISSUER_CHECK_RESOURCE_TYPE = 'Custom::Wso2IssuerCheck';

/**
 * The doctor's issuer checks (discovery, `issuer` equality, JWKS reachability, size, RSA
 * keys with `kid`, API Gateway's 1500 ms limits), run from inside AWS during `cdk deploy`.
 * A failing check fails the deploy with the doctor's message: nothing in creating an
 * `AWS::ApiGatewayV2::Authorizer` checks its issuer, so without this a wrong or unreachable
 * issuer deploys "successfully" and answers 401 to everything.
 *
 * It never blocks a stack going back: Delete answers SUCCESS without any network call, and a
 * failing check while the stack rolls back answers SUCCESS with the finding as a warning.
 *
 * A plain Lambda-backed custom resource (the handler answers CloudFormation itself) rather
 * than `custom_resources.Provider`, which would add a framework function and role for nothing.
 */
export class IssuerCheck extends Construct {
  public readonly function: NodejsFunction;
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: IssuerCheckProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, 'LogGroup', {
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Like the API function's: it may write its own log group (no managed policy, whose logs:*
    // actions cover every resource) and read its own stack's status, nothing else.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'WSO2 issuer check: writes its own log group, reads its own stack status',
    });
    logGroup.grantWrite(role);
    // A failing check on an Update asks whether the stack is rolling back (then it must not
    // block): DescribeStacks on this one stack, by its id (AWS::StackId, the full ARN).
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Aws.STACK_ID] }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      // The one AWS SDK client it uses comes from the nodejs24.x runtime (LAMBDA_EXTERNAL_MODULES).
      ...bundledFunctionProps('issuer-check'),
      memorySize: 256,
      // Every network step is bounded (1500 ms each, as API Gateway allows, one retry of a
      // failed fetch, DescribeStacks at most 2 x 5 s); this only guards against the
      // unforeseen, so CloudFormation is always answered.
      timeout: Duration.seconds(30),
      role,
      logGroup,
      description: 'Checks the WSO2 issuer (discovery, JWKS) from inside AWS during deploy',
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: ISSUER_CHECK_RESOURCE_TYPE,
      // A change of either is an Update: CloudFormation runs the check again.
      properties: { Issuer: props.issuerUrl, Audiences: [...props.audiences] },
      // Never let CloudFormation wait its default hour for an answer.
      serviceTimeout: Duration.minutes(2),
    });
  }
}
