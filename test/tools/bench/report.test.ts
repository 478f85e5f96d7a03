import { markdownTable } from '../../../tools/bench/support/report';

describe("the bench's Markdown table", () => {
  test('pads every column to its widest cell, as Biome formats docs/benchmarks.md (the lint then passes)', () => {
    const table = markdownTable([
      {
        item: '5',
        measure: '`npm test` wall time',
        result: '36.2 s',
        spread: 'n=3',
        goal: '',
        verdict: 'info',
        note: '',
      },
      {
        item: '1',
        measure: 'bundle',
        result: '2,927 B',
        spread: 'exact',
        goal: '≤ 4,096 B',
        verdict: 'met',
        note: 'a|b',
      },
    ]);

    expect(table.split('\n')).toEqual([
      '| #   | measure              | result (median) | spread | goal      | verdict | note |',
      '| --- | -------------------- | --------------- | ------ | --------- | ------- | ---- |',
      '| 5   | `npm test` wall time | 36.2 s          | n=3    |           | info    |      |',
      '| 1   | bundle               | 2,927 B         | exact  | ≤ 4,096 B | met     | a\\|b |',
    ]);
  });
});
