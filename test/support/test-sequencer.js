/**
 * jest's order (a file that failed last time first, then the slowest by the last run's durations,
 * then the largest) with one change: the files that read the shared synthesis's validated
 * templates run last. Validation is the shared synthesis's last step (synthesize-shared.ts),
 * seconds into the run; such a file scheduled early holds a worker idle while it waits, records a
 * long duration for it, and so is scheduled first again the next time. Run last, it waits for
 * nothing.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** The files that call validatedSynthesisFor (test/architecture.test.ts keeps the list complete). */
const VALIDATED_SYNTHESIS_READERS = ['test/lib/snapshot.test.ts'];

class SharedSynthesisLast extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const last = (test) => {
      const path = test.path.split('\\').join('/');
      return VALIDATED_SYNTHESIS_READERS.some((file) => path.endsWith(`/${file}`));
    };
    return [...sorted.filter((test) => !last(test)), ...sorted.filter(last)];
  }
}

module.exports = SharedSynthesisLast;
module.exports.VALIDATED_SYNTHESIS_READERS = VALIDATED_SYNTHESIS_READERS;
