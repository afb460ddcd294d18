// What the console says and offers when it opens on a lab left broken.
import { describe, expect, test } from 'vitest';
import { labAdvice, type LabFindings } from '../../src/actions/lab-check.js';
import { exitLines, type ExitReport } from '../../src/actions/exit-report.js';

const healthy: LabFindings = { frozen: [], stopped: [], monitorDown: false, partitioned: [], primary: 'node1' };

describe('labAdvice', () => {
  test('a healthy lab: nothing to say, nothing to offer', () => {
    expect(labAdvice(healthy)).toEqual({ text: null, offer: null });
  });

  test('frozen nodes: named, with the offer to thaw them and the keys that do it by hand', () => {
    const a = labAdvice({ ...healthy, frozen: ['node1', 'node2'], primary: null });
    expect(a.offer).toBe('node1, node2 are frozen: thaw them?');
    expect(a.text).toBe('node1, node2 are frozen: z thaws a frozen node');
  });

  test('the fuzz case: two frozen and one stopped', () => {
    const a = labAdvice({ ...healthy, frozen: ['node1', 'node2'], stopped: ['node3'], primary: null });
    expect(a.offer).toBe('node1, node2 are frozen, node3 is stopped: thaw and start them?');
    expect(a.text).toBe('node1, node2 are frozen, node3 is stopped: z thaws a frozen node, s starts a stopped one, pgha-tui up starts what is not running');
  });

  test('a lab that is off (after down): the monitor and every node', () => {
    const a = labAdvice({ ...healthy, stopped: ['node1', 'node2', 'node3'], monitorDown: true, primary: null });
    expect(a.offer).toBe('node1, node2, node3 are stopped, the monitor does not answer: start them?');
    expect(labAdvice({ ...healthy, monitorDown: true }).offer).toBe('the monitor does not answer: start it?');
    expect(labAdvice({ ...healthy, stopped: ['node3'] }).offer).toBe('node3 is stopped: start it?');
  });

  test('no offer, but a line: cut-off nodes, or no primary', () => {
    expect(labAdvice({ ...healthy, partitioned: ['n2'] })).toEqual({ text: 'n2 is cut off the lab network: p on the node (or pgha-tui heal <node>) reconnects it', offer: null });
    const np = labAdvice({ ...healthy, primary: null });
    expect(np.offer).toBeNull();
    expect(np.text).toMatch(/^no node reports read-write/);
  });
});

describe('exitLines', () => {
  const none: ExitReport = { verdict: null, verdictError: null, abortedRun: null, frozen: [], stopped: [], partitioned: [] };

  test('nothing to say after a quiet session', () => {
    expect(exitLines(none)).toEqual([]);
  });

  test('the verdict, the undone RTO run and the faults left in place', () => {
    const lines = exitLines({
      ...none,
      abortedRun: { victim: 'node1', fault: 'kill', restored: true },
      verdict: { checkedAt: 0, readFrom: 'node2', acknowledged: 900, present: 900, lost: 0, lostSample: [], unknown: 2, unknownCommitted: 1, ok: true },
      frozen: ['node3'],
      stopped: ['node1', 'node2'],
    });
    expect(lines).toEqual([
      'RTO run aborted: node1 started again',
      'load test stopped, ledger ok: 0 lost of 900 acknowledged (read back from node2; 2 unknown, 1 of them committed)',
      'node3 stays frozen: pgha-tui thaw node3 (or z in the console) undoes it',
      'node1, node2 stay stopped: pgha-tui start node1, pgha-tui start node2 (or s in the console) undoes it',
    ]);
  });

  test('a victim that did not come back is said so, with the command', () => {
    expect(exitLines({ ...none, abortedRun: { victim: 'node1', fault: 'kill', restored: false } })).toEqual([
      "RTO run aborted, but node1 is not running again: pgha-tui start node1 (its log in the lab's logs/ says why)",
    ]);
  });

  test('lost writes and a failed check are said as such', () => {
    const lost = exitLines({ ...none, verdict: { checkedAt: 0, readFrom: 'node2', acknowledged: 10, present: 7, lost: 3, lostSample: [1], unknown: 0, unknownCommitted: 0, ok: false } });
    expect(lost[0]).toMatch(/ledger NOT ok: 3 LOST of 10 acknowledged/);
    expect(exitLines({ ...none, verdictError: 'no primary to verify the ledger against' })).toEqual(['load test stopped, but the ledger check failed: no primary to verify the ledger against']);
  });
});
