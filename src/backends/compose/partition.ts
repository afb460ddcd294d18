// Cutting a compose node off the lab network and healing it, by a route inside the node's own
// network namespace (set through `docker exec` as root; the node has NET_ADMIN for it).
import type Docker from 'dockerode';
import { UserError } from '../../lib/errors.js';
import { LAB_SUBNET, NETWORK, PROJECT, PROJECT_LABEL } from './project.js';

/** A lab container, already proven to carry the project's label. */
export interface OwnedContainer {
  container: Docker.Container;
  info: Docker.ContainerInspectInfo;
}

/**
 * Cut the node off the lab network, or reconnect it. The cut is a route: inside the node's
 * network namespace the lab subnet becomes unreachable, so the node reaches neither the
 * monitor nor its peers by any path (not even through the default gateway), and each attempt
 * fails at once instead of waiting on a name that stops resolving. Its port on the "clients"
 * network stays up, which is how the split-brain watch still reaches it. A container restart
 * gets a fresh namespace and therefore heals the cut.
 */
export async function setCutOff(docker: Docker, node: string, ip: string, { container, info }: OwnedContainer, on: boolean): Promise<void> {
  if (!info.State.Running || info.State.Paused) throw new UserError(`${node} is not running: a partition needs a running node`);
  const net = await docker.getNetwork(NETWORK).inspect().catch(() => null);
  if (net?.Labels?.[PROJECT_LABEL] !== PROJECT) throw new UserError(`network ${NETWORK} is not the ${PROJECT} lab's: not touching it`);
  if (!info.NetworkSettings.Networks[NETWORK]) {
    // Disconnected by an older version of this console: reconnect first, then cut by route.
    await docker.getNetwork(net.Id).connect({ Container: info.Id, EndpointConfig: { IPAMConfig: { IPv4Address: ip } } });
  }
  if (on) {
    await execIn(docker, container, ['ip', 'route', 'replace', 'unreachable', LAB_SUBNET]);
    return;
  }
  const dev = /^\d+:\s+(\S+)/.exec(await execIn(docker, container, ['ip', '-o', '-4', 'addr', 'show', 'to', LAB_SUBNET]))?.[1];
  if (!dev) throw new UserError(`${node} has no address on ${LAB_SUBNET}`);
  await execIn(docker, container, ['ip', 'route', 'replace', LAB_SUBNET, 'dev', dev, 'proto', 'kernel', 'scope', 'link', 'src', ip]);
}

export async function isCutOff(docker: Docker, node: string, { container, info }: OwnedContainer): Promise<boolean> {
  if (!info.State.Running) return false;
  if (!info.NetworkSettings.Networks[NETWORK]) return true;
  if (info.State.Paused) throw new UserError(`${node} is frozen: thaw it to see whether it is cut off`);
  return /unreachable/.test(await execIn(docker, container, ['ip', 'route', 'show', LAB_SUBNET]));
}

/** Run a command as root inside a lab container; returns stdout, throws with its stderr. */
async function execIn(docker: Docker, container: Docker.Container, cmd: string[]): Promise<string> {
  const exec = await container.exec({ Cmd: cmd, User: 'root', AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => ({ write: (b: Buffer) => add(b.toString()) }) as unknown as NodeJS.WritableStream;
  docker.modem.demuxStream(stream, sink((x) => (out += x)), sink((x) => (err += x)));
  await new Promise<void>((res, rej) => {
    stream.on('end', () => res());
    stream.on('error', rej);
  });
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw new UserError(`${cmd.join(' ')} failed in the container: ${err.trim().split('\n')[0] || `exit ${ExitCode}`}`);
  return out;
}
