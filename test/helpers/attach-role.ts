// The least-privilege role of README "Attach to your own formation", statement for statement:
// the attach tests log in as exactly this role, never as a superuser. The password is sent as a
// SCRAM verifier, so no server log can hold it.
import { scramVerifier } from '../../src/backends/local/auth.js';

export const ATTACH_ROLE = 'pgha_watch';

/** On the monitor, database pg_auto_failover. */
export function monitorGrants(password: string): string[] {
  return [
    `CREATE ROLE ${ATTACH_ROLE} LOGIN PASSWORD '${scramVerifier(password)}'`,
    `GRANT USAGE ON SCHEMA pgautofailover TO ${ATTACH_ROLE}`,
    `GRANT SELECT ON pgautofailover.formation, pgautofailover.node, pgautofailover.event TO ${ATTACH_ROLE}`,
  ];
}

/** On the primary, in the formation's database (standbys replicate it). */
export function nodeGrants(password: string): string[] {
  return [
    `CREATE ROLE ${ATTACH_ROLE} LOGIN PASSWORD '${scramVerifier(password)}'`,
    `GRANT pg_monitor TO ${ATTACH_ROLE}`,
    `CREATE SCHEMA pgha_tui AUTHORIZATION ${ATTACH_ROLE}`,
  ];
}
