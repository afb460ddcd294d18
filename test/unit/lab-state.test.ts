import { describe, expect, it } from 'vitest';
import { classifyLab, labText } from '../../src/backends/lab-state.js';
import { chooseBackend } from '../../src/backends/select.js';
import { parseFlags } from '../../src/config/flags.js';
import { backendSelection } from '../../src/backend-selection.js';

const all = (s: 'running' | 'stopped' | 'frozen') => ({ node1: s, node2: s, node3: s });

describe('classifyLab', () => {
  it('no lab, running, stopped', () => {
    expect(classifyLab(false, true, {}).state).toBe('none');
    expect(classifyLab(true, false, all('running')).state).toBe('running');
    expect(classifyLab(true, true, all('stopped'))).toEqual({ state: 'stopped', stopped: ['node1', 'node2', 'node3'], frozen: [] });
  });

  it('partly running names what is stopped or frozen; a stopped monitor alone is partial too', () => {
    expect(classifyLab(true, true, { ...all('running'), node2: 'stopped', node3: 'frozen' })).toEqual({
      state: 'partial',
      stopped: ['node2'],
      frozen: ['node3'],
    });
    expect(classifyLab(true, true, all('running')).state).toBe('partial');
  });
});

describe('labText', () => {
  const r = (processes: Record<string, 'running' | 'stopped' | 'frozen'>, needsUp = true) => classifyLab(true, needsUp, processes);

  it('says the lab is stopped and how to start it, or that this command starts it', () => {
    expect(labText('/l', r(all('stopped')), false)).toBe('lab /l: stopped (pgha-tui up starts it)');
    expect(labText('/l', r(all('stopped')), true)).toBe('lab /l: stopped (starting it)');
    expect(labText('/l', r(all('running'), false), false)).toBe('lab /l: running');
    expect(labText('/l', classifyLab(false, true, {}), false)).toBe('lab /l: none yet (pgha-tui up creates it)');
  });

  it('a frozen node gets the thaw hint, not the start hint', () => {
    expect(labText('/l', r({ ...all('running'), node3: 'frozen' }), false)).toBe('lab /l: partly running: node3 frozen (pgha-tui thaw <node>)');
    expect(labText('/l', r({ ...all('running'), node1: 'stopped' }), false)).toBe('lab /l: partly running: node1 stopped (pgha-tui up starts it)');
  });
});

describe('chooseBackend says why', () => {
  it.each([
    [['--backend', 'local'], 'local', '--backend local'],
    [['--lab-dir', '/nonexistent/lab'], 'local', '--lab-dir is a local flag'],
    [['--base-port', '7431'], 'local', '--base-port is a local flag'],
  ])('%j -> %s', async (argv, kind, why) => {
    const choice = await chooseBackend(backendSelection(parseFlags(['status', ...argv])));
    expect(choice.backend.kind).toBe(kind);
    expect(choice.why).toContain(why);
  });
});
