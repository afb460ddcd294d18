// A fake node-postgres connection factory over a FakeCluster: `fakePg.connect` has the shape of
// src/cluster/pg.ts's connect and is injected where the classes open connections. It answers the
// project's own SQL from the model and behaves like the real thing where the code cares: a
// stopped node refuses connections and breaks open ones (pending queries fail, 'error' and 'end'
// are emitted), a frozen node never answers (connect and query time out by their own timeouts),
// a read-only node refuses writes with SQLSTATE 25006, a cut-off synchronous primary leaves its
// commits waiting, and the monitor pushes NOTIFYs to clients that LISTEN. Unknown SQL fails loudly.
import { EventEmitter } from 'node:events';
import type { ClientOptions, PgClient } from '../../src/cluster/pg.js';
import type { ConnInfo } from '../../src/cluster/types.js';
import type { FakeCluster, FakeNode } from './fake-cluster.js';

type Row = Record<string, unknown>;
const HANG = Symbol('hang');

interface Pending {
  sql: string;
  params: unknown[];
  resolve: (r: { rows: Row[] }) => void;
  reject: (e: Error) => void;
  timeout: NodeJS.Timeout | null;
}

export function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

export class FakePgClient extends EventEmitter {
  ended = false;
  readonly listening = new Set<string>();
  readonly pending = new Set<Pending>();
  /** Queries that arrived while the node was frozen, or commits waiting for a standby: run again on a thaw or heal. */
  private readonly parked: Pending[] = [];
  /** Queries run so far (sent and answered or failed). */
  readonly sent: string[] = [];

  constructor(
    private readonly pg: FakePg,
    readonly target: FakeNode | 'monitor',
    readonly opts: ClientOptions,
  ) {
    super();
  }

  get targetName(): string {
    return this.target === 'monitor' ? 'monitor' : this.target.name;
  }

  query(sql: string, params: unknown[] = []): Promise<{ rows: Row[] }> {
    if (this.ended) return Promise.reject(new Error('Client was closed and is not queryable'));
    return new Promise((resolve, reject) => {
      const p: Pending = { sql, params, resolve, reject, timeout: null };
      this.pending.add(p);
      if (this.opts.queryTimeoutMs) p.timeout = setTimeout(() => this.settle(p, new Error('Query read timeout')), this.opts.queryTimeoutMs);
      setTimeout(() => this.run(p), this.pg.latencyMs);
    });
  }

  private run(p: Pending): void {
    if (!this.pending.has(p)) return;
    if (this.target !== 'monitor' && this.target.process === 'frozen') {
      this.parked.push(p);
      return;
    }
    this.sent.push(p.sql);
    try {
      const rows = this.pg.answer(this, p.sql, p.params);
      if (rows === HANG) this.parked.push(p);
      else this.settle(p, null, rows);
    } catch (err) {
      this.settle(p, err as Error);
    }
  }

  private settle(p: Pending, err: Error | null, rows: Row[] = []): void {
    if (!this.pending.delete(p)) return;
    if (p.timeout) clearTimeout(p.timeout);
    if (err) p.reject(err);
    else p.resolve({ rows });
  }

  /** The node was thawed or reconnected: what it parked runs now. */
  resume(): void {
    for (const p of this.parked.splice(0)) this.run(p);
  }

  /** The server went away: every pending query fails, then 'error' and 'end', like a reset socket. */
  terminate(err: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.parked.length = 0;
    for (const p of [...this.pending]) this.settle(p, err);
    this.pg.forget(this);
    this.emit('error', err);
    this.emit('end');
  }

  end(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.parked.length = 0;
      for (const p of [...this.pending]) this.settle(p, new Error('Connection terminated'));
      this.pg.forget(this);
      this.emit('end');
    }
    return Promise.resolve();
  }
}

export class FakePg {
  /** Simulated round trip of one query or connect, in ms of the (fake) clock. */
  latencyMs = 1;
  readonly clients = new Set<FakePgClient>();
  /** Every connect attempt: target and application_name. */
  readonly connects: { target: string; app: string | undefined; ok: boolean }[] = [];

  constructor(readonly cluster: FakeCluster) {
    cluster.onProcessChange = (n) => this.processChanged(n);
    cluster.listen((note) => {
      for (const c of this.clients) if (c.target === 'monitor' && c.listening.has(note.channel)) c.emit('notification', note);
    });
  }

  open(name: string): FakePgClient[] {
    return [...this.clients].filter((c) => c.targetName === name);
  }

  forget(c: FakePgClient): void {
    this.clients.delete(c);
  }

  readonly connect = async (ci: ConnInfo, opts: ClientOptions = {}): Promise<PgClient> => {
    const target = this.cluster.byPort(ci.port);
    const name = target === 'monitor' ? 'monitor' : (target?.name ?? String(ci.port));
    const attempt = { target: name, app: opts.applicationName, ok: false };
    this.connects.push(attempt);
    await new Promise((r) => setTimeout(r, this.latencyMs));
    const refused = () => pgError(`connect ECONNREFUSED 127.0.0.1:${ci.port}`, 'ECONNREFUSED');
    if (target === null || (target === 'monitor' ? !this.cluster.monitorUp : target.process === 'stopped')) throw refused();
    if (target !== 'monitor' && target.process === 'frozen') {
      // The kernel accepts the TCP connection; the frozen postmaster never answers the startup.
      await new Promise((r) => setTimeout(r, opts.connectTimeoutMs ?? 2000));
      if (this.cluster.node(target.name).process !== 'running') throw new Error('timeout expired');
    }
    const client = new FakePgClient(this, target, opts);
    // As the real connect() does: a later server error is the next query's business.
    client.on('error', () => undefined);
    this.clients.add(client);
    attempt.ok = true;
    return client as unknown as PgClient;
  };

  private processChanged(n: FakeNode | 'monitor'): void {
    if (n === 'monitor') {
      if (!this.cluster.monitorUp) for (const c of this.open('monitor')) c.terminate(pgError('Connection terminated unexpectedly'));
      return;
    }
    for (const c of this.open(n.name)) {
      if (n.process === 'stopped') c.terminate(pgError('Connection terminated unexpectedly'));
      else if (n.process === 'running') c.resume();
    }
  }

  /** Rows for one statement, HANG for a commit that waits forever, or a thrown pg error. */
  answer(c: FakePgClient, sql: string, params: unknown[]): Row[] | typeof HANG {
    const cl = this.cluster;
    if (c.target === 'monitor') {
      if (/pgautofailover\.current_state\(\$1\) cs/.test(sql)) return cl.nodes.map(nodeRow);
      if (/SELECT nodename, assigned_group_state/.test(sql)) return cl.nodes.map((n) => ({ nodename: n.name, goal: n.assignedState, cur: n.reportedState }));
      if (/last_events/.test(sql)) {
        return cl.events.slice(-Number(params[1] ?? 10)).map((e) => ({ at: e.at, nodeid: e.nodeId, nodename: e.nodeName, reportedstate: e.reportedState, goalstate: e.goalState, description: e.text }));
      }
      const listen = /^LISTEN (\w+)/.exec(sql);
      if (listen) return (c.listening.add(listen[1]!), []);
      if (/perform_promotion/.test(sql)) {
        cl.promotions.push(String(params[1]));
        // As the monitor: a node that is primary already is not promoted again.
        return [{ started: cl.nodes.find((n) => n.name === params[1])?.assignedState !== 'primary' }];
      }
      if (/perform_failover/.test(sql)) {
        cl.failovers += 1;
        cl.onPerformFailover(cl);
        return [];
      }
      if (/FROM pg_settings/.test(sql)) return (params[0] as string[]).filter((g) => g in cl.gucs).map((g) => ({ name: g, setting: String(cl.gucs[g]) }));
      const alter = /^ALTER SYSTEM SET (\S+) = (\d+)$/.exec(sql);
      if (alter) return (cl.stageGuc(alter[1]!, Number(alter[2])), []);
      if (/pg_reload_conf/.test(sql)) return (cl.reloadConf(), []);
    } else {
      const n = c.target;
      if (/AS in_recovery/.test(sql)) {
        const standbys = n.promoted ? cl.nodes.filter((s) => s !== n && s.process === 'running' && !s.promoted && !s.partitioned && !n.partitioned) : [];
        return [{ in_recovery: !n.promoted, read_only: n.readOnly ? 'on' : 'off', lsn: n.lsn, replay_ms: null, replication: standbys.map((s) => ({ app: `pgautofailover_standby_${s.nodeId}`, state: 'streaming', rb: 0, rs: 0 })) }];
      }
      if (/pg_is_in_recovery\(\) AS rec/.test(sql)) return [{ rec: !n.promoted }];
      if (/max\(patient_id\)/.test(sql)) return [cl.refs()];
      const write = /^BEGIN;\nINSERT INTO appointments .*\n\s+VALUES \((\d+),/.exec(sql) ?? /'pgha-split-brain'.*, (\d+)\)$/.exec(sql);
      if (write) {
        if (!cl.writable(n)) throw pgError('cannot execute INSERT in a read-only transaction', '25006');
        // Synchronous replication: with no standby to confirm, the commit waits (for ever).
        if (cl.synchronous && !cl.hasStandby(n)) return HANG;
        cl.commit(n, Number(write[1]));
        return [];
      }
      if (/FROM appointments a/.test(sql)) return cl.present(params[0] as number[]).map((id) => ({ id: String(id) }));
    }
    throw new Error(`fake pg: no answer for ${c.targetName} SQL: ${sql.trim().slice(0, 80)}`);
  }
}

function nodeRow(n: FakeNode): Row {
  const health = n.health === 'good' ? 1 : n.health === 'bad' ? 0 : -1;
  return {
    node_id: n.nodeId,
    group_id: 0,
    nodename: n.name,
    nodehost: '127.0.0.1',
    nodeport: n.port,
    reported_state: n.reportedState,
    assigned_state: n.assignedState,
    candidate_priority: n.candidatePriority,
    replication_quorum: true,
    reported_tli: 1,
    reported_lsn: n.lsn,
    health,
    report_ms: Date.now(),
    healthcheck_ms: Date.now(),
    reportedpgisrunning: n.process === 'running',
  };
}
