export * from './cdk-json';
export * from './environment-config';
export * from './errors';
export * from './issuer';
export * from './operations-config';
export * from './routing-config';
