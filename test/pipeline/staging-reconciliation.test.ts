import { describe, expect, it } from 'vitest';
import { SparkifyError } from '../../src/errors.js';
import { assertReconciled } from '../../src/pipeline/staging-reconciliation.js';

describe('assertReconciled', () => {
  const tally = { dataset: 'events', location: './log_data', read: 10, staged: 8, stagedInWarehouse: 8, rejected: 2 };

  it('passes when read = staged + rejected and the warehouse holds what was staged', () => {
    expect(() => assertReconciled(tally)).not.toThrow();
  });

  it('stops the run with exit 1, naming the counts and calling it a bug, when they do not add up', () => {
    for (const wrong of [{ read: 11 }, { stagedInWarehouse: 7 }, { staged: 9 }]) {
      let thrown: unknown;
      try {
        assertReconciled({ ...tally, ...wrong });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SparkifyError);
      expect((thrown as SparkifyError).exitCode).toBe(1);
      expect((thrown as Error).message).toMatch(
        /^Staging events from \.\/log_data does not add up: read \d+ record\(s\), staged \d+ \(\d+ in the warehouse\), rejected 2\. This is a bug in sparkify/,
      );
    }
  });
});
