// How many alerts the lab's Prometheus has firing (and pending), read from its HTTP API every few
// seconds. Plain data for the console header; no React here.

export interface AlertCounts {
  /** Prometheus's address, for the help overlay. */
  prometheus: string;
  alertmanager: string;
  /** null while Prometheus does not answer. */
  firing: number | null;
  pending: number | null;
  /** Names of the firing alerts, each once. */
  names: string[];
}

interface ApiAlerts {
  status: string;
  data?: { alerts?: { state: string; labels: Record<string, string> }[] };
}

/** Count an /api/v1/alerts answer; null when it is not a successful one. */
export function countAlerts(body: unknown): { firing: number; pending: number; names: string[] } | null {
  const b = body as ApiAlerts;
  if (!b || b.status !== 'success' || !Array.isArray(b.data?.alerts)) return null;
  const firing = b.data.alerts.filter((a) => a.state === 'firing');
  return {
    firing: firing.length,
    pending: b.data.alerts.filter((a) => a.state === 'pending').length,
    names: [...new Set(firing.map((a) => a.labels.alertname ?? '?'))].sort(),
  };
}

export class AlertsPoller {
  private timer: NodeJS.Timeout | null = null;
  private counts: AlertCounts;
  private readonly listeners = new Set<(c: AlertCounts) => void>();

  constructor(
    private readonly urls: { prometheus: string; alertmanager: string },
    private readonly intervalMs = 5000,
  ) {
    this.counts = { ...urls, firing: null, pending: null, names: [] };
  }

  current(): AlertCounts {
    return this.counts;
  }

  subscribe(l: (c: AlertCounts) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async tick(): Promise<AlertCounts> {
    const body = await fetch(`${this.urls.prometheus}/api/v1/alerts`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.json() as Promise<unknown>)
      .catch(() => null);
    const c = countAlerts(body);
    const next: AlertCounts = { ...this.urls, firing: c?.firing ?? null, pending: c?.pending ?? null, names: c?.names ?? [] };
    if (JSON.stringify(next) !== JSON.stringify(this.counts)) {
      this.counts = next;
      for (const l of this.listeners) l(next);
    }
    return next;
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
