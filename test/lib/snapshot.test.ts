import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../support/synth';

// These snapshots are the change set reviewers read: a changed logical id replaces a resource.
describe.each(['dev', 'staging', 'prod'])('the %s environment', (env) => {
  test('synthesizes the reviewed template, passing CloudFormation validation', () => {
    // GIVEN / WHEN
    const { stack, template } = synthEnvironment({ context: { env }, validation: true });

    // THEN
    expect(template.toJSON()).toMatchSnapshot();
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });
});
