// LSN arithmetic. An LSN is printed as two hex halves "X/Y"; its byte position is X * 2^32 + Y.
// BigInt keeps it exact past 2^53 bytes of WAL.

export function parseLsn(lsn: string): bigint | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim());
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`);
}

/** Bytes from `behind` to `ahead`; null when either is unknown. Never negative. */
export function lsnDiff(ahead: string | null, behind: string | null): number | null {
  if (ahead === null || behind === null) return null;
  const a = parseLsn(ahead);
  const b = parseLsn(behind);
  if (a === null || b === null) return null;
  const d = a - b;
  return d > 0n ? Number(d) : 0;
}

/** Parse pg_auto_failover's standby application_name, pgautofailover_standby_<nodeid>. */
export function standbyNodeId(applicationName: string): number | null {
  const m = /^pgautofailover_standby_(\d+)$/.exec(applicationName);
  return m ? Number(m[1]) : null;
}
