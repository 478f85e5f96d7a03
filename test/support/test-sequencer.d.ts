import type { Test } from '@jest/test-result';
import Sequencer from '@jest/test-sequencer';

/** jest's order, with the readers of the shared synthesis's validated templates last (test-sequencer.js). */
declare class SharedSynthesisLast extends Sequencer {
  sort(tests: Array<Test>): Array<Test>;
}

/** The test files, relative to the repository, that call validatedSynthesisFor. */
export declare const VALIDATED_SYNTHESIS_READERS: readonly string[];

export default SharedSynthesisLast;
