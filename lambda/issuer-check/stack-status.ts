/**
 * The custom resource's own stack status, read with DescribeStacks: the only way to tell an
 * Update sent by a rollback (ResourceProperties = the old values) from an ordinary one.
 *
 * The AWS SDK comes from the nodejs24.x runtime (the bundle leaves `@aws-sdk/*` external):
 * 0 bytes added to the bundle instead of ~510 KB minified for one call, and the runtime's
 * copy gets AWS's patches. The call is a single, long-stable API.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** Reads a stack's status by its id (the event's `StackId`, an ARN). */
export type StackStatusReader = (stackId: string) => Promise<string>;

/**
 * `ROLLBACK_IN_PROGRESS` (a failed create), `UPDATE_ROLLBACK_IN_PROGRESS` (a failed update,
 * and again after `continue-update-rollback`), `IMPORT_ROLLBACK_IN_PROGRESS`. Not
 * `UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`, which only sends Deletes.
 */
export function isRollingBack(status: string): boolean {
  return /(^|_)ROLLBACK_IN_PROGRESS$/.test(status);
}

export interface StackStatusReaderOptions {
  /** Where to send DescribeStacks: only tests set it (a loopback stand-in). @default the region's endpoint */
  readonly endpoint?: string;
  /** @default AWS_REGION, which Lambda sets */
  readonly region?: string;
  /** Only tests set it. @default the Lambda role's credentials */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function createStackStatusReader(options: StackStatusReaderOptions = {}): StackStatusReader {
  let client: CloudFormationClient | undefined;
  return async (stackId) => {
    // Created on first use: Create and Delete events never need it.
    client ??= new CloudFormationClient({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
      ...(options.endpoint && { endpoint: options.endpoint }),
      ...(options.region && { region: options.region }),
      ...(options.credentials && { credentials: options.credentials }),
    });
    const described = await client.send(new DescribeStacksCommand({ StackName: stackId }));
    const status = described.Stacks?.[0]?.StackStatus;
    if (!status) throw new Error(`DescribeStacks returned no status for ${stackId}`);
    return status;
  };
}
