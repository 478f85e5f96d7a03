import { strykerGlobalTeardown } from './stryker-global-setup';

/** jest's global teardown under Stryker: see stryker-global-setup.ts. */
export default strykerGlobalTeardown;
