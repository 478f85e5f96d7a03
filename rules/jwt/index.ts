/**
 * What API Gateway's HTTP API JWT authorizer does with a request (reference section 1), in
 * one place: the local gateway judges requests with it, the doctor explains failures with
 * it and the deploy-time check fetches the issuer with it.
 */
export * from './claims';
export * from './delivered-claims';
export * from './errors';
export * from './header';
export * from './https-fetch';
export * from './issuer-documents';
export * from './issuer-key-source';
export * from './key-source';
export * from './limits';
export { headerSafe, show } from './show';
export * from './signature';
export * from './token';
export * from './verdict';
