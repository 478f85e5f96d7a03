import { readFileSync } from 'node:fs';
import { isRecord } from '../../rules/is-record';
import { SmokeError } from './checks';

/**
 * Reads the `ApiUrl` output of a stack from the file `cdk deploy --outputs-file <file>` writes
 * (`{ "<stack name>": { "ApiUrl": "...", ... } }`). Reading the file rather than calling
 * DescribeStacks means the deploy role needs no permission beyond deploying, and the smoke
 * test needs no AWS SDK and no credentials.
 */
export function readApiUrl(outputsFile: string, stackName: string): string {
  let text: string;
  try {
    text = readFileSync(outputsFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SmokeError(
      `--outputs-file ${JSON.stringify(outputsFile)} cannot be read (${code}): ` +
        'write it with cdk deploy --outputs-file, or pass --url',
    );
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch {
    throw new SmokeError(`--outputs-file ${JSON.stringify(outputsFile)} is not JSON: is it cdk deploy's outputs file?`);
  }
  if (!isRecord(outputs)) {
    throw new SmokeError(`--outputs-file ${JSON.stringify(outputsFile)} must hold a JSON object of stacks`);
  }
  const stack = outputs[stackName];
  if (!isRecord(stack)) {
    const present = Object.keys(outputs);
    throw new SmokeError(
      `--outputs-file ${JSON.stringify(outputsFile)} has no stack ${stackName} ` +
        `(it has ${present.length ? present.join(', ') : 'none'}): ` +
        `deploy that environment, or pick it with -c env=<name>`,
    );
  }
  const url = stack.ApiUrl;
  if (typeof url !== 'string' || url === '') {
    throw new SmokeError(
      `stack ${stackName} in ${JSON.stringify(outputsFile)} has no ApiUrl output: ` +
        "is it this project's stack, fully deployed?",
    );
  }
  return url;
}
