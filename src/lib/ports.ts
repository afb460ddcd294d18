// Loopback port checks shared by both backends, the benches and the tests.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Free when we can bind it on loopback ourselves. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** The first port the kernel hands out to client sockets (Linux: 32768 unless configured). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/**
 * A base port P with P..P+width-1 free, picked at random from `from` up to the kernel's ephemeral
 * range: a port in that range can be taken by any client socket between our check and our bind.
 */
export async function freeRange(width = 4, from = 20000): Promise<number> {
  const top = Math.max(ephemeralLow() - width, from + 10);
  for (let i = 0; i < 50; i++) {
    const base = from + Math.floor((Math.random() * (top - from)) / 10) * 10;
    if ((await Promise.all(Array.from({ length: width }, (_, k) => portFree(base + k)))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}
