import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrimaryLocator } from '../../src/actions/primary-locator.js';
import { fakeLab, type FakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

async function ask(lab: FakeLab, loc: PrimaryLocator): Promise<string | null> {
  const answer = loc.primary();
  await lab.advance(5);
  return answer;
}

const monitorQueries = (lab: FakeLab) => lab.pg.open('monitor').flatMap((c) => c.sent).length;

describe('PrimaryLocator on a fake monitor', () => {
  it('names the node assigned and reporting a writable state', async () => {
    const lab = fakeLab();
    const loc = new PrimaryLocator(lab.endpoints.monitor, 'default', 100, Date.now, lab.connect);
    expect(await ask(lab, loc)).toBe('node1');
    loc.close();
  });

  it('during a promotion takes the node whose goal is writable before it reports it', async () => {
    const lab = fakeLab();
    lab.cluster.set('node1', { assignedState: 'demote_timeout', health: 'bad' });
    lab.cluster.set('node2', { reportedState: 'stop_replication', assignedState: 'wait_primary' });
    const loc = new PrimaryLocator(lab.endpoints.monitor, 'default', 100, Date.now, lab.connect);
    expect(await ask(lab, loc)).toBe('node2');
    loc.close();
  });

  it('prefers the writable goal that is also reported when two nodes have one', async () => {
    const lab = fakeLab();
    lab.cluster.set('node2', { reportedState: 'secondary', assignedState: 'wait_primary' });
    lab.cluster.set('node3', { reportedState: 'wait_primary', assignedState: 'wait_primary' });
    lab.cluster.set('node1', { reportedState: 'demoted', assignedState: 'demoted' });
    const loc = new PrimaryLocator(lab.endpoints.monitor, 'default', 100, Date.now, lab.connect);
    expect(await ask(lab, loc)).toBe('node3');
    loc.close();
  });

  it('says null while nobody is assigned a writable state, and while the monitor is down', async () => {
    const lab = fakeLab();
    lab.cluster.set('node1', { assignedState: 'demote_timeout' });
    const loc = new PrimaryLocator(lab.endpoints.monitor, 'default', 0, Date.now, lab.connect);
    expect(await ask(lab, loc)).toBeNull();
    lab.cluster.set('node1', { assignedState: 'primary' });
    expect(await ask(lab, loc)).toBe('node1');
    lab.cluster.setMonitor(false);
    expect(await ask(lab, loc)).toBeNull();
    lab.cluster.setMonitor(true);
    expect(await ask(lab, loc)).toBe('node1');
    loc.close();
  });

  it('asks the monitor once per ttl, however many callers ask at once', async () => {
    const lab = fakeLab();
    const loc = new PrimaryLocator(lab.endpoints.monitor, 'default', 100, Date.now, lab.connect);
    const answers = Promise.all(Array.from({ length: 8 }, () => loc.primary()));
    await lab.advance(5);
    expect(await answers).toEqual(Array(8).fill('node1'));
    expect(monitorQueries(lab)).toBe(1);
    // Within the ttl the cached answer stands, even though the primary moved meanwhile.
    lab.cluster.set('node1', { reportedState: 'demoted', assignedState: 'demoted' });
    lab.cluster.set('node2', { reportedState: 'primary', assignedState: 'primary' });
    expect(await ask(lab, loc)).toBe('node1');
    expect(monitorQueries(lab)).toBe(1);
    await lab.advance(100);
    expect(await ask(lab, loc)).toBe('node2');
    expect(monitorQueries(lab)).toBe(2);
    loc.close();
    expect(lab.pg.open('monitor')).toEqual([]);
  });
});
