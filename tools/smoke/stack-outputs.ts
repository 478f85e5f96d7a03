import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SmokeError } from './checks';

/** The part of the CloudFormation client the smoke test uses (a fake in tests). */
export interface StackDescriber {
  send(
    command: DescribeStacksCommand,
  ): Promise<{ Stacks?: { StackStatus?: string; Outputs?: { OutputKey?: string; OutputValue?: string }[] }[] }>;
}

/** Reads the `ApiUrl` output of a deployed stack. */
export async function readApiUrl(
  stackName: string,
  region: string | undefined,
  client?: StackDescriber,
): Promise<string> {
  const cloudFormation: StackDescriber = client ?? new CloudFormationClient(region ? { region } : {});
  let described: Awaited<ReturnType<StackDescriber['send']>>;
  try {
    described = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/does not exist/.test(message)) {
      throw new SmokeError(
        `stack ${stackName} does not exist${region ? ` in ${region}` : ''}: deploy it first, or pass --url`,
      );
    }
    throw new SmokeError(
      `cannot describe stack ${stackName}${region ? ` in ${region}` : ''}: ${message} (AWS credentials and region ` +
        `come from the usual AWS SDK settings; or pass --url)`,
    );
  }
  const stack = described.Stacks?.[0];
  if (!stack) throw new SmokeError(`stack ${stackName} does not exist: deploy it first, or pass --url`);
  const url = stack.Outputs?.find((output) => output.OutputKey === 'ApiUrl')?.OutputValue;
  if (!url)
    throw new SmokeError(
      `stack ${stackName} (${stack.StackStatus ?? 'unknown status'}) has no ApiUrl output: is it this project's ` +
        `stack, fully deployed?`,
    );
  return url;
}
