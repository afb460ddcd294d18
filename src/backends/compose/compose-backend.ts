// The compose backend: the user's Docker Compose lab (compose/docker-compose.yml), started with
// the Compose CLI and driven through the Docker API. Host clients reach the nodes through ports
// published on 127.0.0.1 and authenticate with the .env file's password (scram-sha-256).
import Docker from 'dockerode';
import { execa } from 'execa';
import { queryOnce } from '../../cluster/pg.js';
import { isReady, monitorRows, stateLine, waitUntil } from '../../cluster/readiness.js';
import type { ConnInfo, Endpoints, MonitorNodeRow, ProcessState } from '../../cluster/types.js';
import { loadEnvFile, type LabEnv } from './env-file.js';
import { UserError } from '../../lib/errors.js';
import { type ClusterBackend, type Progress } from '../backend.js';
import { findComposeCli, runCompose } from './cli.js';
import { isCutOff, setCutOff, type OwnedContainer } from './partition.js';
import { rebuildStandby } from './rebuild.js';
import { COMPOSE_NODES, GRAFANA_PORT, MONITOR, OTHER_PORTS, PROJECT, PROJECT_LABEL, REGISTRY_IMAGES } from './project.js';
import { portFree } from '../../lib/ports.js';
import { sleep } from '../../lib/time.js';

export interface ComposeOptions {
  envFile: string;
  /** true: build exporter, Prometheus and Alertmanager from Debian packages; false: decide by pulling. */
  offline: boolean;
  upTimeoutMs?: number;
}

export class ComposeBackend implements ClusterBackend {
  readonly kind = 'compose' as const;
  readonly where = `compose project ${PROJECT}`;
  private readonly docker = new Docker();
  private envCache: LabEnv | null = null;
  private offline: boolean;

  constructor(private readonly opts: ComposeOptions) {
    this.offline = opts.offline;
  }

  env(): LabEnv {
    this.envCache ??= loadEnvFile(this.opts.envFile);
    return this.envCache;
  }

  /** Read at each call: `up` may switch to offline images when no registry answers. */
  private target() {
    return { envFile: this.opts.envFile, offline: this.offline };
  }

  /** One line naming what is missing when Docker cannot be used here. */
  async checkDocker(): Promise<void> {
    const which = await execa('docker', ['--version'], { reject: false });
    if (which.exitCode !== 0) throw new UserError('Docker not installed: sudo apt-get install -y docker.io docker-compose, or use --backend local');
    try {
      await this.docker.ping();
    } catch {
      throw new UserError('the Docker engine is not running (docker info fails): start it (sudo systemctl start docker) or use --backend local');
    }
    await findComposeCli();
  }

  private async containers(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${PROJECT}`] } });
  }

  /** The lab exists once Compose has made its containers. */
  async exists(): Promise<boolean> {
    return (await this.containers().catch(() => [])).length > 0;
  }

  async needsUp(): Promise<boolean> {
    return !(await this.allRunning());
  }

  private async allRunning(): Promise<boolean> {
    const list = await this.containers().catch(() => []);
    const names = [MONITOR.name, ...COMPOSE_NODES.map((n) => n.name)];
    return names.every((n) => list.some((c) => c.Names.includes(`/${n}`) && c.State === 'running'));
  }

  nodeNames(): string[] {
    return COMPOSE_NODES.map((n) => n.name);
  }

  private admin(port: number, database: string): ConnInfo {
    return { host: '127.0.0.1', port, user: 'postgres', database, password: this.env().postgresPassword };
  }

  async endpoints(): Promise<Endpoints> {
    const monitor = this.admin(MONITOR.port, 'pg_auto_failover');
    return {
      monitor,
      monitorAdmin: monitor,
      nodes: Object.fromEntries(COMPOSE_NODES.map((n) => [n.name, this.admin(n.port, 'healthcare_db')])),
    };
  }

  private checkName(node: string): void {
    if (node !== MONITOR.name && !this.nodeNames().includes(node)) {
      throw new UserError(`no node named "${node}" (nodes: ${this.nodeNames().join(', ')})`, 2);
    }
  }

  /**
   * The lab's container of that name, by id, once it is known to carry the project's label: the
   * names are fixed, so anything else may hold one, and must never be killed, paused or cut off.
   */
  private async owned(node: string): Promise<OwnedContainer> {
    this.checkName(node);
    const info = await this.docker.getContainer(node).inspect().catch(() => null);
    if (!info) throw new UserError(`no container ${node}: start the lab with pgha-tui up --backend compose`);
    if (info.Config.Labels?.[PROJECT_LABEL] !== PROJECT) {
      throw new UserError(`container ${node} is not part of the ${PROJECT} lab (no ${PROJECT_LABEL}=${PROJECT} label): not touching it`);
    }
    return { container: this.docker.getContainer(info.Id), info };
  }

  /** Containers holding one of the lab's fixed names without being the lab's: Compose would fail half-way. */
  private async foreignNames(): Promise<string[]> {
    const names = [MONITOR.name, ...COMPOSE_NODES.map((n) => n.name), 'postgres-exporter', 'prometheus', 'alertmanager', 'grafana'];
    const all = await this.docker.listContainers({ all: true });
    return all.filter((c) => c.Labels?.[PROJECT_LABEL] !== PROJECT && c.Names.some((n) => names.includes(n.slice(1)))).map((c) => c.Names[0]!.slice(1));
  }

  /** Prometheus and Alertmanager are part of every compose stack, on their published ports. */
  monitoring(): { prometheus: string; alertmanager: string } {
    return { prometheus: 'http://127.0.0.1:9090', alertmanager: 'http://127.0.0.1:9093' };
  }

  /** Grafana's port is checked once the images are chosen: the offline stack has no Grafana. */
  private async checkPorts(withGrafana: boolean): Promise<void> {
    const ports = [MONITOR.port, ...COMPOSE_NODES.map((n) => n.port), ...OTHER_PORTS, ...(withGrafana ? [GRAFANA_PORT] : [])];
    for (const p of ports) {
      if (!(await portFree(p))) throw new UserError(`port ${p} is already in use: the compose lab publishes ${ports.join(', ')}; stop what uses it`, 2);
    }
  }

  /**
   * Without --offline: use the registry's images when they are here or can be pulled; when no
   * registry answers, build the exporter, Prometheus and Alertmanager from Debian packages instead.
   */
  private async chooseImages(progress: Progress): Promise<void> {
    if (this.offline) {
      progress('offline: exporter, Prometheus and Alertmanager built from Debian packages; Grafana left out (no Debian package)');
      return;
    }
    for (const image of REGISTRY_IMAGES) {
      if (await this.docker.getImage(image).inspect().then(() => true, () => false)) continue;
      progress(`pulling ${image}`);
      const pulled = await this.pull(image);
      if (pulled !== true) {
        this.offline = true;
        progress(`no registry (${pulled}): building the exporter, Prometheus and Alertmanager from Debian packages instead; Grafana left out`);
        return;
      }
    }
  }

  /** true, or why the image could not be pulled. */
  private pull(image: string): Promise<true | string> {
    const why = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/^\(HTTP code \d+\) [a-z ]+- /, '').split('\n')[0]!.trim();
    return new Promise((resolve) => {
      this.docker.pull(image, (err: unknown, stream: NodeJS.ReadableStream) => {
        if (err) return resolve(why(err));
        this.docker.modem.followProgress(stream, (e: unknown) => resolve(e ? why(e) : true));
      });
    });
  }

  async up(progress: Progress, signal: AbortSignal): Promise<void> {
    this.env();
    await this.checkDocker();
    const foreign = await this.foreignNames();
    if (foreign.length > 0) {
      throw new UserError(`container ${foreign.join(', ')} holds a name of the ${PROJECT} lab without being part of it: remove or rename it first`);
    }
    const fresh = !(await this.exists());
    const running = await this.allRunning();
    if (!running) await this.checkPorts(false);
    await this.chooseImages(progress);
    if (!running && !this.offline) await this.checkPorts(true);
    try {
      progress('building images and creating containers (docker compose up -d --build)');
      await runCompose(this.target(), ['up', '-d', '--build'], progress, signal);
      await this.waitReady(progress, signal);
      progress('cluster ready: 1 primary + 2 secondaries');
    } catch (err) {
      progress(`start failed; removing what this run created`);
      // A cancelled `compose up` may leave container creations running on the engine (each takes
      // seconds on the vfs storage driver): sweep longer then.
      if (fresh) await this.removeProject(signal.aborted ? 15_000 : 3_000);
      else await runCompose(this.target(), ['stop']).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Remove every container, network and volume of the project, by id. `compose down` alone is not
   * enough after a cancelled `compose up`: creations it had already requested still complete on
   * the engine after the CLI is gone, so sweep until nothing has shown up for `quietMs`.
   */
  private async removeProject(quietMs: number): Promise<void> {
    await runCompose(this.target(), ['down', '-v', '--remove-orphans']).catch(() => undefined);
    const label = { label: [`com.docker.compose.project=${PROJECT}`] };
    let quietSince = Date.now();
    const until = Date.now() + 60_000 + quietMs;
    while (Date.now() - quietSince < quietMs && Date.now() < until) {
      const found = await this.docker.listContainers({ all: true, filters: label }).catch(() => []);
      for (const c of found) await this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
      if (found.length > 0) quietSince = Date.now();
      await sleep(500);
    }
    for (const n of await this.docker.listNetworks({ filters: label }).catch(() => [])) {
      await this.docker.getNetwork(n.Id).remove().catch(() => undefined);
    }
    const volumes = (await this.docker.listVolumes({ filters: label }).catch(() => null))?.Volumes ?? [];
    for (const v of volumes) await this.docker.getVolume(v.Name).remove().catch(() => undefined);
  }

  /** Ready: the monitor's rule, every container healthy, and the dataset on the primary. */
  private async waitReady(progress: Progress, signal: AbortSignal): Promise<void> {
    const seen = new Map<string, string>();
    let lastLine = '';
    await waitUntil(
      async () => {
        const paused: string[] = [];
        for (const c of await this.containers()) {
          const name = c.Names[0]?.slice(1) ?? '?';
          const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1] ?? c.State;
          if (seen.get(name) !== health) progress(`${name}: ${health}`);
          seen.set(name, health);
          if (c.State === 'paused') paused.push(name);
        }
        // A paused (frozen) node never gets healthy: name it now instead of waiting out the timeout.
        if (paused.length > 0) throw new UserError(`${paused.join(', ')} ${paused.length === 1 ? 'is' : 'are'} frozen (paused): pgha-tui thaw <node> --backend compose, then up again`);
        const rows = await monitorRows((await this.endpoints()).monitor, 'default').catch(() => [] as MonitorNodeRow[]);
        const line = stateLine(rows);
        if (line && line !== lastLine) progress(line);
        lastLine = line;
        const primary = rows.find((r) => r.reportedState === 'primary');
        const allHealthy = [...seen.values()].every((h) => h === 'healthy');
        return isReady(rows, { expected: COMPOSE_NODES.length }) && allHealthy && (await this.datasetReady(primary!.name)) ? true : null;
      },
      {
        timeoutMs: this.opts.upTimeoutMs ?? 300_000,
        intervalMs: 1000,
        signal,
        timedOut: () => new UserError(`the compose lab did not reach 1 primary + 2 secondaries in time (${lastLine || 'monitor not answering'})`),
      },
    );
  }

  /** The containers load the dataset themselves (bootstrap-db.sh); wait until the primary has it. */
  private async datasetReady(primary: string): Promise<boolean> {
    if (this.env().vars.LOAD_SCHEMA !== 'true') return true;
    const ep = (await this.endpoints()).nodes[primary];
    if (!ep) return false;
    const rows = await queryOnce(ep, "SELECT to_regclass('public.lab_meta')::text AS t").catch(() => []);
    return Boolean(rows[0]?.t);
  }

  async down(opts: { volumes: boolean }, progress: Progress): Promise<void> {
    await this.checkDocker();
    await runCompose(this.target(), ['down', '--remove-orphans', ...(opts.volumes ? ['-v'] : [])], progress);
  }

  async processState(node: string): Promise<ProcessState> {
    const info = (await this.owned(node).catch(() => null))?.info;
    if (!info?.State.Running) return 'stopped';
    return info.State.Paused ? 'frozen' : 'running';
  }

  async kill(node: string): Promise<void> {
    await (await this.owned(node)).container.kill();
  }

  async stop(node: string): Promise<void> {
    await (await this.owned(node)).container.stop({ t: 30 });
  }

  async start(node: string): Promise<void> {
    const { container, info } = await this.owned(node);
    if (info.State.Running) return;
    await container.start();
  }

  async freeze(node: string, on: boolean): Promise<void> {
    const { container } = await this.owned(node);
    if (on) await container.pause();
    else await container.unpause();
  }

  async partition(node: string, on: boolean): Promise<void> {
    const spec = COMPOSE_NODES.find((n) => n.name === node);
    if (!spec) throw new UserError(`no node named "${node}" (nodes: ${this.nodeNames().join(', ')})`, 2);
    await setCutOff(this.docker, node, spec.ip, await this.owned(node), on);
  }

  async rebuild(node: string, progress: Progress, signal?: AbortSignal): Promise<void> {
    if (!this.nodeNames().includes(node)) throw new UserError(`no data node named "${node}" (nodes: ${this.nodeNames().join(', ')})`, 2);
    const { monitorAdmin } = await this.endpoints();
    await rebuildStandby({ docker: this.docker, target: this.target(), monitorAdmin, owned: (n) => this.owned(n) }, node, progress, signal);
  }

  async isPartitioned(node: string): Promise<boolean> {
    return isCutOff(this.docker, node, await this.owned(node));
  }
}
