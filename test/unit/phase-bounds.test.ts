import { describe, expect, it } from 'vitest';
import { gucValues, phaseBounds } from '../../src/actions/phase-bounds.js';
import { PROFILES } from '../../src/cluster/profiles.js';

describe('phaseBounds', () => {
  it("names each phase's bound with the fast profile's values", () => {
    const b = phaseBounds(PROFILES.fast!.gucs);
    expect(b.detected).toBe('health checks every 0.5 s, timeout 0.5 s, 1 retry after 0.25 s');
    expect(b.election).toBe('after 1.5 s of keeper silence (node_considered_unhealthy_timeout); the standbys then report their LSN');
    expect(b.promotion).toBe('keeper transitions, 1 s loop: report_lsn, prepare_promotion, stop_replication, then primary_demote_timeout 1.5 s');
    expect(b['first-write']).toMatch(/^client reconnect: retry every 0\.05 s–0\.1 s/);
    expect(b.fault).toBeUndefined();
    expect(b.rejoined).toBeUndefined();
  });

  it("and with the default profile's", () => {
    const b = phaseBounds(PROFILES.default!.gucs);
    expect(b.detected).toBe('health checks every 5 s, timeout 5 s, 2 retries after 2 s');
    expect(b.election).toContain('after 20 s of keeper silence');
    expect(b.promotion).toContain('primary_demote_timeout 30 s');
  });

  it('reads the live settings as the console holds them; what is unknown shows as ?', () => {
    const live = gucValues([
      { name: 'health_check_period', value: '750' },
      { name: 'primary_demote_timeout', value: 'oops' },
      { name: 'node_considered_unhealthy_timeout', value: '' },
    ]);
    expect(live).toEqual({ health_check_period: 750 });
    const b = phaseBounds(live);
    expect(b.detected).toBe('health checks every 0.75 s, timeout ?');
    expect(b.promotion).toContain('primary_demote_timeout ?');
  });
});
