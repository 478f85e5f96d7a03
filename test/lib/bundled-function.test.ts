import { App, Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { testAppOutdir } from '../support/synth';

describe('bundledFunctionProps', () => {
  test('without esbuild installed, bundling at synth names the entry and the fix', () => {
    // GIVEN a project where esbuild cannot be loaded (a consumer that installed only the package)
    jest.doMock('esbuild', () => {
      throw new Error("Cannot find module 'esbuild'\nRequire stack:\n- lib/bundled-function.ts");
    });
    try {
      const { bundledFunctionProps } =
        jest.requireActual<typeof import('../../lib/bundled-function')>('../../lib/bundled-function');
      const stack = new Stack(new App({ outdir: testAppOutdir(), builtinCloudFormationValidation: false }), 'Bare');

      // WHEN the function is bundled / THEN CDK's bundling error ends with the entry, the fix and the
      // first line of the loader's error
      const expected = new RegExp(
        String.raw`: Error: bundling /.*/lambda/orders/handler\.ts needs esbuild: npm install --save-dev esbuild ` +
          String.raw`\(Cannot find module 'esbuild'\)$`,
      );
      expect(() => new NodejsFunction(stack, 'Orders', bundledFunctionProps('orders'))).toThrow(expected);
    } finally {
      jest.dontMock('esbuild');
    }
  });
});
