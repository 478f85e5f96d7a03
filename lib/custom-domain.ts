import type { DomainName } from 'aws-cdk-lib/aws-apigatewayv2';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface CustomDomainDnsProps {
  readonly domainName: DomainName;
  /** The custom domain's name, as configured (not a token), for the record. */
  readonly recordName: string;
  /**
   * A public hosted zone holding the domain; given by id and name so synth never looks it
   * up in an AWS account.
   * @default - no record: point DNS at the `CustomDomainTarget` output yourself
   */
  readonly hostedZone?: { readonly id: string; readonly name: string };
}

/**
 * The alias record of the API's custom domain, when its hosted zone is managed in Route 53.
 * Without a zone it adds nothing: the stack's `CustomDomainTarget` outputs say where to
 * point DNS instead.
 */
export class CustomDomainDns extends Construct {
  public readonly record?: ARecord;

  constructor(scope: Construct, id: string, props: CustomDomainDnsProps) {
    super(scope, id);
    const { domainName } = props;
    if (props.hostedZone) {
      const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: props.hostedZone.id,
        zoneName: props.hostedZone.name,
      });
      this.record = new ARecord(this, 'AliasRecord', {
        zone,
        recordName: props.recordName,
        target: RecordTarget.fromAlias(
          new ApiGatewayv2DomainProperties(domainName.regionalDomainName, domainName.regionalHostedZoneId),
        ),
      });
    }
  }
}
