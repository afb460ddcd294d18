// With monitoring, the header counts firing alerts and the help overlay says where Prometheus and
// Alertmanager are; without it, neither appears.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { healthySnapshot } from './fixtures.js';
import { renderApp } from './harness.js';
import { FakeController } from './fake-controller.js';

afterEach(() => cleanup());

const urls = { prometheus: 'http://127.0.0.1:5442', alertmanager: 'http://127.0.0.1:5443' };
const header = (f: string) => f.split('\n')[0] ?? '';

describe('monitoring in the console', () => {
  it('the header shows how many alerts fire, or ? while Prometheus does not answer', async () => {
    const controller = new FakeController({ monitoring: { ...urls, firing: 2, pending: 0, names: ['A', 'B'] } });
    const app = renderApp(healthySnapshot(), undefined, controller);
    expect(header(await app.waitFor((f) => f.includes('node3')))).toContain('alerts 2 firing');
    controller.set({ monitoring: { ...urls, firing: null, pending: null, names: [] } });
    expect(header(await app.waitFor((f) => header(f).includes('alerts ?')))).not.toContain('firing');
  });

  it('the help overlay names Prometheus and Alertmanager', async () => {
    const controller = new FakeController({ monitoring: { ...urls, firing: 0, pending: 0, names: [] } });
    const app = renderApp(healthySnapshot(), undefined, controller);
    await app.waitFor((f) => f.includes('alerts 0 firing'));
    await app.press('?');
    const f = await app.waitFor((x) => x.includes('Monitoring'));
    expect(f).toContain('Prometheus http://127.0.0.1:5442');
    expect(f).toContain('Alertmanager http://127.0.0.1:5443');
  });

  it('without monitoring there is no alerts field and no monitoring line', async () => {
    const app = renderApp(healthySnapshot(), undefined, new FakeController({}));
    const f = await app.waitFor((x) => x.includes('node3'));
    expect(header(f)).not.toContain('alerts');
    await app.press('?');
    expect(await app.waitFor((x) => x.includes('Keys'))).not.toContain('Monitoring');
  });
});
