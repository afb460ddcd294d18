// --resolve REGISTERED[:PORT]=ADDRESS[:PORT], as curl's --resolve: reach a node at another address
// than the one it registered with the monitor (a container name or bridge address the console's
// host cannot use, a NAT, a tunnel). The registered name stays the node's host, as libpq keeps
// `host` beside `hostaddr`: TLS verify-full checks the certificate against it.
import { UserError } from '../lib/errors.js';

export interface HostPort {
  host: string;
  /** null: any port (on the left), the registered port (on the right). */
  port: number | null;
}

export interface ResolveRule {
  from: HostPort;
  to: HostPort;
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]=,/@]+))(?::(\d{1,5}))?$/;

function hostPort(text: string, spec: string): HostPort {
  const m = HOST_PORT.exec(text);
  const port = m?.[3] === undefined ? null : Number(m[3]);
  if (!m || (port !== null && (port < 1 || port > 65535))) {
    throw new UserError(`--resolve ${JSON.stringify(spec)}: expected REGISTERED[:PORT]=ADDRESS[:PORT] (an IPv6 address in brackets)`, 2);
  }
  return { host: (m[1] ?? m[2])!, port };
}

export function parseResolve(spec: string): ResolveRule {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new UserError(`--resolve ${JSON.stringify(spec)}: expected REGISTERED[:PORT]=ADDRESS[:PORT]`, 2);
  return { from: hostPort(spec.slice(0, eq), spec), to: hostPort(spec.slice(eq + 1), spec) };
}

/**
 * Where to connect for a registered host:port: the first rule naming host and port, else the
 * first naming the host alone; null when no rule applies.
 */
export function resolveAddress(rules: readonly ResolveRule[], host: string, port: number): { host: string; port: number } | null {
  const hit = rules.find((r) => r.from.host === host && r.from.port === port) ?? rules.find((r) => r.from.host === host && r.from.port === null);
  return hit ? { host: hit.to.host, port: hit.to.port ?? port } : null;
}
