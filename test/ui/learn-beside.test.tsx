// The walkthrough beside the tables on a wide terminal (the table rows and the pane's lines share
// screen lines), below the table on a narrow one; the table stays whole either way.
import { describe, expect, it } from 'vitest';
import { Walkthrough } from '../../src/learn/engine.js';
import { LESSONS } from '../../src/learn/lessons/index.js';
import { FakeController } from './fake-controller.js';
import { healthySnapshot, NOW } from './fixtures.js';
import { delay, renderApp, rowOf } from './harness.js';
import { joinSentences } from '../../src/ui/learn-lines.js';

function open(columns: number, rows: number) {
  // Lesson 3, step 1: the prediction, whose text names every row.
  const walkthrough = new Walkthrough(LESSONS, 'local', { lesson: 2, step: 0 }, () => NOW);
  const app = renderApp(healthySnapshot(), () => NOW, new FakeController(), { walkthrough, open: true });
  app.resize(columns, rows);
  return app;
}

describe('walkthrough placement', () => {
  it('at 160 columns: beside the node table, on the same screen lines as its rows', async () => {
    const app = open(160, 45);
    await delay(50);
    // The resize re-renders asynchronously: wait for the frame drawn at 160 columns.
    const f = await app.waitFor((fr) => fr.includes('node3') && fr.split('\n').some((l) => l.startsWith('Nodes') && l.includes('Learn')));
    const lines = f.split('\n');
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(160);
    // The pane's head is on the table's title line; the rows carry the pane's next lines.
    const title = lines.find((l) => l.startsWith('Nodes'))!;
    expect(title).toMatch(/^Nodes\s{20,}Learn lesson 3 of 9/);
    for (const n of ['node1', 'node2', 'node3']) {
      const row = rowOf(f, n);
      expect(row).toMatch(new RegExp(`${n} .*127\\.0\\.0\\.1:\\d+\\s+\\d+s\\s{2,}\\S`)); // every column, then pane text
    }
    expect(f).toContain('Tab skips · w closes');
  });

  it('at 80 columns: below the node table, the table whole', async () => {
    const app = open(80, 40);
    await delay(50);
    const narrow = (fr: string) => fr.split('\n').every((l) => [...l].length <= 80);
    const f = await app.waitFor((fr) => fr.includes('Learn lesson 3 of 9') && fr.includes('node3') && narrow(fr));
    const lines = f.split('\n');
    const row3 = lines.findIndex((l) => /^[ ›*] node3 /.test(l));
    const head = lines.findIndex((l) => l.includes('Learn lesson 3 of 9'));
    expect(head).toBeGreaterThan(row3);
    for (const n of ['node1', 'node2', 'node3']) expect(rowOf(f, n)).toMatch(/read-(write|only)/);
  });
});

describe('joinSentences (the narrow pane beside the table)', () => {
  it('runs a line that ends mid-sentence on into the next; sentence ends and indented lines stay', () => {
    expect(
      joinSentences([
        'This lesson needs the compose lab: a partition cuts a container',
        'off its network. With a Docker engine:',
        '  pgha-tui up --backend compose',
        'Tab: skip it here.',
        'Detected: health checks fail for',
        '  node_considered_unhealthy_timeout (? ms).',
        'Stop the load and check the',
        'ledger: press l. (s on the old primary starts it again.)',
        'Next.',
      ]),
    ).toEqual([
      'This lesson needs the compose lab: a partition cuts a container off its network. With a Docker engine:',
      '  pgha-tui up --backend compose',
      'Tab: skip it here.',
      'Detected: health checks fail for',
      '  node_considered_unhealthy_timeout (? ms).',
      'Stop the load and check the ledger: press l. (s on the old primary starts it again.)',
      'Next.',
    ]);
  });
});
