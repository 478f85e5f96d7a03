#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../lib/config';
import { addEnvironmentStack } from '../lib/environment-stack';

const app = new App();
try {
  addEnvironmentStack(app);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // Exit before the app synthesizes: a bad environment must not leave a template behind.
  console.error(`Error: ${error.message}`);
  process.exit(1);
}
