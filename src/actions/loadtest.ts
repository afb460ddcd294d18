// The load test: N clients inserting an appointment plus its audit_log row in one transaction,
// each with a unique id, into whichever node the monitor says is primary. Every acknowledged id
// goes into the ledger; on stop the ids are read back and lost = acknowledged − present.
import { EventEmitter } from 'node:events';
import { connect, destroy, errorLine, type Connect, type PgClient } from '../cluster/pg.js';
import type { Endpoints } from '../cluster/types.js';
import { PerSecond } from '../lib/per-second.js';
import { sleep } from '../lib/time.js';
import { isDefiniteFailure, Ledger, presentIds, verdict } from './ledger.js';
import { formationUriOf } from '../cluster/conn-uri.js';
import { connectReadWrite, type RouteHost } from '../cluster/multi-host.js';
import { ownTablePresent, ownTableSql, prepareOwnTable } from './own-table.js';
import { PrimaryLocator } from './primary-locator.js';
import type { LedgerVerdict, LoadStats } from './types.js';

export interface LoadOptions {
  endpoints: Endpoints;
  clients?: number;
  formation?: string;
  now?: () => number;
  connect?: Connect;
  /**
   * Connect the way applications do: these hosts in order, keeping the first read-write session
   * (a multi-host URI with target_session_attrs=read-write), and write one row per id into the
   * console's own table instead of the healthcare schema. Absent: ask the monitor for the primary.
   */
  route?: RouteHost[];
}

export interface AckEvent {
  at: number;
  node: string;
}

/** The whole transaction in one round trip; ids are our own integers, so literals are safe. */
export function transactionSql(id: number, refs: Refs): string {
  const patient = 1 + (id % refs.patients);
  const provider = 1 + (id % refs.providers);
  const facility = 1 + (id % refs.facilities);
  return `BEGIN;
INSERT INTO appointments (load_id, patient_id, provider_id, facility_id, appointment_date, appointment_time, duration_minutes, appointment_type, status, chief_complaint)
  VALUES (${id}, ${patient}, ${provider}, ${facility}, current_date, '09:00', 30, 'consultation', 'scheduled', 'pgha-tui load test');
INSERT INTO audit_log (actor, action, context, load_id) VALUES ('pgha-load', 'insert_appointment', '{"source": "pgha-tui"}', ${id});
COMMIT;`;
}

export interface Refs {
  patients: number;
  providers: number;
  facilities: number;
}

/** Id ranges the load generator draws from (pgbench's script in bench:load uses the same). */
export const REFS_SQL = `SELECT (SELECT max(patient_id) FROM patients)::int AS patients,
                         (SELECT max(provider_id) FROM healthcare_providers)::int AS providers,
                         (SELECT max(facility_id) FROM medical_facilities)::int AS facilities`;

/**
 * A client's pause after a failure: doubles from `first` up to `max`, back to `first` on success.
 * The cap decides how late a client notices the new primary accepting writes (a 500 ms cap cost a
 * median 0.2 s of client RTO, up to 0.4 s).
 */
export const RETRY_MS = { first: 50, max: 100 };
/** How long the clients reuse the monitor's answer to "which node is primary?". */
export const PRIMARY_CACHE_MS = 100;

export class LoadTest extends EventEmitter {
  readonly ledger = new Ledger();
  private readonly locator: PrimaryLocator;
  private readonly now: () => number;
  private readonly connect: Connect;
  private readonly clients: number;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly open = new Set<PgClient>();
  private refs: Refs | null = null;
  private nextId: number;
  private readonly window: number[] = [];
  private stats: LoadStats;
  private readonly perSecond = new PerSecond(60);

  constructor(private readonly opts: LoadOptions) {
    super();
    this.now = opts.now ?? Date.now;
    this.connect = opts.connect ?? connect;
    this.clients = opts.clients ?? 4;
    this.locator = new PrimaryLocator(opts.endpoints.monitor, opts.formation ?? 'default', PRIMARY_CACHE_MS, this.now, this.connect);
    // Ids unique across runs: start from the clock in microseconds.
    this.nextId = this.now() * 1000;
    this.stats = {
      running: false,
      clients: this.clients,
      startedAt: null,
      tps: 0,
      acknowledged: 0,
      errors: 0,
      reconnects: 0,
      unknown: 0,
      lastError: null,
      target: null,
      lastAckAt: null,
      perSecond: [],
      ...(opts.route ? { route: formationUriOf(opts.route.map((h) => h.ci)) } : {}),
    };
  }

  get isRunning(): boolean {
    return this.running;
  }

  snapshot(): LoadStats {
    const now = this.now();
    while (this.window.length > 0 && this.window[0]! < now - 1000) this.window.shift();
    return { ...this.stats, tps: this.window.length, perSecond: this.perSecond.series(now, this.stats.startedAt) };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stats = { ...this.stats, running: true, startedAt: this.now() };
    this.loops = Array.from({ length: this.clients }, () => this.clientLoop());
  }

  /** Stop the clients without checking the ledger (quitting). */
  async halt(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
    this.stats = { ...this.stats, running: false };
    this.locator.close();
  }

  /** Stop the clients, then read every acknowledged id back from the current primary. */
  async stop(): Promise<LedgerVerdict> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
    this.stats = { ...this.stats, running: false };
    try {
      return await this.verify();
    } finally {
      this.locator.close();
    }
  }

  private async verify(): Promise<LedgerVerdict> {
    const deadline = this.now() + 60_000;
    const route = this.opts.route;
    while (route) {
      const s = await connectReadWrite(route, { connectTimeoutMs: 2000, queryTimeoutMs: 60_000 }, this.connect).catch(() => null);
      if (s) {
        try {
          const present = await ownTablePresent(s.client, this.ledger.acknowledged);
          const unknownPresent = await ownTablePresent(s.client, this.ledger.unknown);
          return verdict(this.ledger, present, unknownPresent, s.node, this.now());
        } finally {
          await s.client.end().catch(() => undefined);
        }
      }
      if (this.now() > deadline) throw new Error('no read-write host to verify the ledger against');
      await sleep(250);
    }
    for (;;) {
      const node = await this.locator.primary();
      if (node) {
        const client = await this.connect(this.opts.endpoints.nodes[node]!, { connectTimeoutMs: 2000, queryTimeoutMs: 60_000 }).catch(() => null);
        if (client) {
          try {
            const ro = await client.query<{ rec: boolean }>('SELECT pg_is_in_recovery() AS rec');
            if (!ro.rows[0]?.rec) {
              const present = await presentIds(client, this.ledger.acknowledged);
              const unknownPresent = await presentIds(client, this.ledger.unknown);
              return verdict(this.ledger, present, unknownPresent, node, this.now());
            }
          } finally {
            await client.end().catch(() => undefined);
          }
        }
      }
      if (this.now() > deadline) throw new Error('no primary to verify the ledger against');
      await sleep(250);
    }
  }

  private takeId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  private prepared: Promise<void> | null = null;

  /** Once per load test: the own table exists before the first write. */
  private prepareOwn(client: PgClient): Promise<void> {
    this.prepared ??= prepareOwnTable(client).catch((err: unknown) => {
      this.prepared = null;
      throw err;
    });
    return this.prepared;
  }

  private async loadRefs(client: PgClient): Promise<Refs> {
    if (this.refs) return this.refs;
    const r = (await client.query<Refs>(REFS_SQL)).rows[0];
    this.refs = { patients: r?.patients || 1, providers: r?.providers || 1, facilities: r?.facilities || 1 };
    return this.refs;
  }

  private async clientLoop(): Promise<void> {
    let conn: { client: PgClient; node: string } | null = null;
    let connectedBefore = false;
    let backoff = RETRY_MS.first;
    const drop = () => {
      if (conn) {
        this.open.delete(conn.client);
        destroy(conn.client);
      }
      conn = null;
    };
    const fail = (err: unknown) => {
      this.stats.lastError = errorLine(err);
    };
    while (this.running) {
      if (!conn && this.opts.route) {
        try {
          const s = await connectReadWrite(this.opts.route, { connectTimeoutMs: 1000, queryTimeoutMs: 5000, applicationName: 'pgha-tui load' }, this.connect);
          conn = { client: s.client, node: s.node };
          this.open.add(s.client);
          if (connectedBefore) this.stats.reconnects += 1;
          connectedBefore = true;
          await this.prepareOwn(s.client);
        } catch (err) {
          fail(err);
          drop();
          await sleep(backoff);
          backoff = Math.min(backoff * 2, 500);
          continue;
        }
      }
      if (!conn) {
        const node = await this.locator.primary();
        const ci = node ? this.opts.endpoints.nodes[node] : undefined;
        if (!node || !ci) {
          await sleep(backoff);
          backoff = Math.min(backoff * 2, RETRY_MS.max);
          continue;
        }
        try {
          const client = await this.connect(ci, { connectTimeoutMs: 1000, queryTimeoutMs: 5000, applicationName: 'pgha-tui load' });
          conn = { client, node };
          this.open.add(client);
          if (connectedBefore) this.stats.reconnects += 1;
          connectedBefore = true;
          await this.loadRefs(client);
        } catch (err) {
          fail(err);
          drop();
          await sleep(backoff);
          backoff = Math.min(backoff * 2, RETRY_MS.max);
          continue;
        }
      }
      const id = this.takeId();
      try {
        await conn.client.query(this.opts.route ? ownTableSql(id) : transactionSql(id, this.refs!));
        const at = this.now();
        this.ledger.ack(id);
        this.stats.acknowledged += 1;
        this.stats.lastAckAt = at;
        this.stats.target = conn.node;
        this.window.push(at);
        this.perSecond.add(at);
        backoff = RETRY_MS.first;
        this.emit('ack', { at, node: conn.node } satisfies AckEvent);
      } catch (err) {
        fail(err);
        if (isDefiniteFailure(err)) {
          this.stats.errors += 1;
          // Read-only (a demoted or not yet promoted node): ask the monitor again.
          drop();
        } else {
          this.ledger.indeterminate(id);
          this.stats.unknown += 1;
          drop();
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, RETRY_MS.max);
      }
    }
    drop();
  }
}
