// One persistent connection to one endpoint, reopened on demand after a failure. It remembers
// since when the endpoint has been failing, so the snapshot can say "down since 12:03:04".
import { connect, destroy, errorLine, type Connect, type PgClient } from './pg.js';
import type { ConnInfo } from './types.js';

export interface LinkOptions {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  now: () => number;
  connect?: Connect;
}

export class Link {
  private client: PgClient | null = null;
  downSince: number | null = null;
  lastError: string | null = null;
  /** Epoch ms when the running call started; null when idle. */
  busySince: number | null = null;

  constructor(
    readonly conn: ConnInfo,
    private readonly opts: LinkOptions,
  ) {}

  get busy(): boolean {
    return this.busySince !== null;
  }

  /** Run fn on the open connection (opening it first); on failure drop the connection and rethrow. */
  async use<T>(fn: (c: PgClient) => Promise<T>): Promise<T> {
    this.busySince = this.opts.now();
    try {
      if (!this.client) {
        this.client = await (this.opts.connect ?? connect)(this.conn, {
          connectTimeoutMs: this.opts.connectTimeoutMs,
          queryTimeoutMs: this.opts.queryTimeoutMs,
        });
      }
      const client = this.client;
      const result = await fn(client);
      this.markUp();
      return result;
    } catch (err) {
      this.markDown(err);
      throw err;
    } finally {
      this.busySince = null;
    }
  }

  markDown(err: unknown): void {
    if (this.downSince === null) this.downSince = this.opts.now();
    this.lastError = errorLine(err);
    if (this.client) destroy(this.client);
    this.client = null;
  }

  private markUp(): void {
    this.downSince = null;
    this.lastError = null;
  }

  close(): void {
    if (this.client) destroy(this.client);
    this.client = null;
  }
}
