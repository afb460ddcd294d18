// LiveController through its action methods and the state it publishes, on the fake cluster.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveController } from '../../src/actions/controller.js';
import type { ConsoleState } from '../../src/actions/types.js';
import { ClusterPoller } from '../../src/cluster/poller.js';
import type { FakeBackendOptions } from '../fakes/fake-backend.js';
import { failoverSteps } from '../fakes/fake-cluster.js';
import { fakeLab } from '../fakes/lab.js';

afterEach(() => {
  vi.useRealTimers();
});

async function console_(opts: FakeBackendOptions = {}) {
  const lab = fakeLab(opts);
  const poller = new ClusterPoller({ endpoints: lab.endpoints, backend: 'local', profile: () => 'default', connect: lab.connect });
  poller.start();
  await lab.advance(1000);
  const ctl = new LiveController({ backend: lab.backend, endpoints: lab.endpoints, poller, clients: 2, connect: lab.connect });
  const states: ConsoleState[] = [];
  ctl.subscribe((s) => states.push(s));
  /** Run an action while the clock moves; resolves with its state afterwards. */
  const run = async (action: Promise<void>, ms = 100) => {
    await Promise.all([action, lab.advance(ms)]);
    return ctl.state();
  };
  /** close() as q does, on a moving clock. */
  const close = async () => {
    const closing = ctl.close();
    await lab.advance(2000);
    const report = await closing;
    poller.stop();
    return report;
  };
  return { lab, poller, ctl, states, run, close };
}

describe('LiveController on a fake cluster', () => {
  it('kills the primary the prompt named, says so, and shows it stopped', async () => {
    const { lab, ctl, states, run, close } = await console_();
    const st = await run(ctl.killPrimary({ node: 'node1', asPrimary: true }));
    expect(lab.backend.calls).toEqual(['kill node1']);
    expect(st.message).toMatchObject({ level: 'ok', text: 'node1 killed (SIGKILL): start it again with s' });
    expect(st.busy).toBeNull();
    expect(states.some((s) => s.busy?.label === 'kill node1')).toBe(true);
    expect(st.processes).toEqual({ node1: 'stopped', node2: 'running', node3: 'running' });
    await close();
  });

  it('refuses, doing nothing, when the primary moved since the prompt', async () => {
    const { lab, ctl, run, close } = await console_();
    const st = await run(ctl.killPrimary({ node: 'node2', asPrimary: true }));
    expect(lab.backend.calls).toEqual([]);
    expect(st.message).toMatchObject({ level: 'error', text: 'the primary moved from node2 to node1 since the prompt: nothing done' });
    const st2 = await run(ctl.toggleFreeze('node3', { node: 'node3', asPrimary: false, process: 'frozen' }));
    expect(st2.message?.text).toBe('node3 is running now, not frozen as when asked: nothing done');
    expect(lab.backend.calls).toEqual([]);
    await close();
  });

  it('freezes and thaws, stops and starts, restarts, and turns a backend failure into a message', async () => {
    const { lab, ctl, run, close } = await console_({ failOn: { start: 'pg_autoctl did not start' } });
    expect((await run(ctl.toggleFreeze('node2'))).processes.node2).toBe('frozen');
    expect((await run(ctl.toggleFreeze('node2'))).message?.text).toBe('thaw node2: done');
    expect((await run(ctl.toggleStop('node3'))).processes.node3).toBe('stopped');
    const st = await run(ctl.toggleStop('node3'));
    expect(st.message).toMatchObject({ level: 'error', text: 'start node3 failed: pg_autoctl did not start' });
    expect(st.busy).toBeNull();
    await run(ctl.restart('node2'));
    expect(lab.backend.calls).toEqual(['freeze node2', 'thaw node2', 'stop node3', 'start node3', 'stop node2', 'start node2']);
    await close();
  });

  it('asks the monitor for a controlled failover', async () => {
    const { lab, ctl, run, close } = await console_();
    const st = await run(ctl.failover({ node: 'node1', asPrimary: true }));
    expect(lab.cluster.failovers).toBe(1);
    expect(st.message?.text).toBe('failover requested: watch the states move');
    await close();
  });

  it('runs the load test and reports the ledger verdict on the second press', async () => {
    const { lab, ctl, run, close } = await console_();
    let st = await run(ctl.toggleLoad(), 2000);
    expect(st.message?.text).toBe('load test started with 2 clients');
    expect(st.load).toMatchObject({ running: true, clients: 2, target: 'node1' });
    expect(st.load!.acknowledged).toBeGreaterThan(100);
    st = await run(ctl.toggleLoad());
    expect(st.verdict).toMatchObject({ ok: true, lost: 0, readFrom: 'node1', acknowledged: lab.cluster.committed.size });
    expect(st.message).toMatchObject({ level: 'ok', text: `0 lost of ${lab.cluster.committed.size} acknowledged` });
    expect(st.load?.running).toBe(false);
    await close();
  });

  it('times an RTO run end to end and keeps other destructive keys waiting meanwhile', async () => {
    const { lab, ctl, run, close } = await console_({ rejoinMs: 1500 });
    lab.backend.when('kill node1', () => lab.cluster.script(failoverSteps('node1', 'node2', 'node3')));
    const rto = ctl.toggleRto({ node: 'node1', asPrimary: true });
    await lab.advance(3000);
    expect(ctl.state().busy?.label).toBe('RTO measurement');
    expect(ctl.state().rto.current?.status).toBe('running');
    await run(ctl.toggleFreeze('node3'));
    expect(ctl.state().message?.text).toBe('waiting: RTO measurement is still running');
    const st = await run(rto, 15_000);
    expect(lab.backend.calls).toEqual(['kill node1', 'start node1']);
    const done = st.rto.history[0]!;
    expect(done).toMatchObject({ status: 'done', victim: 'node1', newPrimary: 'node2' });
    expect(st.rto.summary).toMatchObject({ runs: 1, medianS: done.clientRtoS });
    expect(st.message?.text).toBe(`client RTO ${done.clientRtoS!.toFixed(2)} s (node1 -> node2)`);
    // The load test started for the run goes on; quitting checks its ledger.
    const report = await close();
    expect(report.abortedRun).toBeNull();
    expect(report.verdict).toMatchObject({ ok: true, readFrom: 'node2' });
    expect(report.verdict!.acknowledged).toBe(lab.cluster.commits.node1! + lab.cluster.commits.node2!);
  });

  it('close() during an RTO run aborts it, restores the victim, checks the ledger and names faults left by keys', async () => {
    const { lab, ctl, run } = await console_({ rejoinMs: null });
    await run(ctl.toggleFreeze('node3'));
    lab.backend.when('kill node1', () => lab.cluster.script(failoverSteps('node1', 'node2', 'node3')));
    void ctl.toggleRto();
    await lab.advance(2500);
    expect(ctl.state().rto.current?.status).toBe('running');
    const closing = ctl.close();
    await lab.advance(5000);
    const report = await closing;
    expect(report.abortedRun).toEqual({ victim: 'node1', fault: 'kill', restored: true });
    expect(lab.backend.calls).toEqual(['freeze node3', 'kill node1', 'start node1']);
    expect(report.frozen).toEqual(['node3']);
    expect(report.stopped).toEqual([]);
    expect(report.verdict?.lost).toBe(0);
    // Nothing runs after close: the load clients' connections are gone.
    expect([...lab.pg.clients].filter((c) => c.opts.applicationName === 'pgha-tui load')).toEqual([]);
    expect(lab.pg.connects.some((c) => c.app === 'pgha-tui load')).toBe(true);
  });

  it('offers to thaw and start what an earlier session left, and does it on yes', async () => {
    const { lab, ctl, run, close } = await console_();
    lab.cluster.freeze('node2', true);
    lab.cluster.stop('node3');
    await run(ctl.inspectLab());
    expect(ctl.state().offer).toBe('node2 is frozen, node3 is stopped: thaw and start them?');
    const st = await run(ctl.acceptOffer());
    expect(lab.backend.calls).toEqual(['thaw node2', 'up']);
    expect(st.offer).toBeNull();
    expect(st.message?.text).toBe('the lab is up: 1 primary + 2 secondaries');
    expect(st.processes).toEqual({ node1: 'running', node2: 'running', node3: 'running' });
    await close();
  });

  it('leaves them on no and says how to undo them', async () => {
    const { lab, ctl, run, close } = await console_();
    lab.cluster.freeze('node2', true);
    await run(ctl.inspectLab());
    ctl.declineOffer();
    expect(ctl.state().message?.text).toBe('left as they are: z thaws a frozen node');
    expect(lab.backend.calls).toEqual([]);
    const report = await close();
    expect(report.frozen).toEqual(['node2']);
  });

  it('reads the profile at start and switches it on the monitor', async () => {
    const { lab, ctl, run, close } = await console_();
    await run(ctl.init());
    expect(ctl.state().profile).toBe('default');
    const st = await run(ctl.nextProfile(), 1000);
    expect(st.profile).toBe('fast');
    expect(st.message?.text).toBe('profile fast active on the monitor');
    expect(lab.cluster.guc('node_considered_unhealthy_timeout')).toBe(1500);
    expect(st.gucs.find((g) => g.name === 'primary_demote_timeout')?.value).toBe('1500');
    await close();
  });

  it('cutting off the primary starts the load and the split-brain watch; healing reports its count', async () => {
    // The cut takes 200 ms to land (docker exec): the watcher gets writes through before it.
    const { lab, ctl, run, close } = await console_({ partitions: true, delayMs: 200 });
    let st = await run(ctl.togglePartition('node1', { node: 'node1', asPrimary: false, cut: false }), 1000);
    expect(lab.backend.calls).toEqual(['partition node1']);
    expect(st.partitioned).toEqual(['node1']);
    expect(st.load?.running).toBe(true);
    expect(st.splitBrain).toMatchObject({ node: 'node1', running: true, pending: 1, afterPromotion: 0 });
    lab.cluster.script([{ at: 500, do: (c) => c.set('node2', { reportedState: 'wait_primary', assignedState: 'wait_primary', promoted: true }) }]);
    await lab.advance(2000);
    expect(ctl.state().splitBrain).toMatchObject({ promoted: 'node2', afterPromotion: 0 });
    st = await run(ctl.togglePartition('node1'), 1000);
    expect(lab.backend.calls).toEqual(['partition node1', 'heal node1']);
    expect(st.partitioned).toEqual([]);
    expect(st.message?.text).toBe('node1 reconnected; split-brain writes: 0');
    expect(st.splitBrain?.running).toBe(false);
    await close();
  });

  it('a cut that lands at once still shows the watch: its first write hangs from the start', async () => {
    const { ctl, run, close } = await console_({ partitions: true, delayMs: 0 });
    const st = await run(ctl.togglePartition('node1', { node: 'node1', asPrimary: false, cut: false }), 1000);
    expect(st.partitioned).toEqual(['node1']);
    expect(st.splitBrain).toMatchObject({ node: 'node1', running: true, pending: 1, acknowledged: 0, afterPromotion: 0 });
    await run(ctl.togglePartition('node1'), 1000);
    await close();
  });
});
