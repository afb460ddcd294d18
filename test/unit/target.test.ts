// The rule behind every confirmed action: y acts on the node the prompt named, or on none.
import { describe, expect, test } from 'vitest';
import { targetRefusal } from '../../src/actions/target.js';

const nodes = ['node1', 'node2', 'node3'];

describe('targetRefusal', () => {
  test('a prompt that still matches the cluster lets the action run', () => {
    expect(targetRefusal({ node: 'node1', asPrimary: true }, { primary: 'node1', nodes })).toBeNull();
    expect(targetRefusal({ node: 'node2', asPrimary: false, process: 'running' }, { primary: 'node1', nodes, process: 'running' })).toBeNull();
    // Restarting a node that has meanwhile become the primary is still the node that was named.
    expect(targetRefusal({ node: 'node2', asPrimary: false }, { primary: 'node2', nodes })).toBeNull();
  });

  test('k, f and t refuse when the primary moved between the prompt and y', () => {
    expect(targetRefusal({ node: 'node1', asPrimary: true }, { primary: 'node2', nodes })).toBe('the primary moved from node1 to node2 since the prompt: nothing done');
    expect(targetRefusal({ node: 'node1', asPrimary: true }, { primary: null, nodes })).toBe('node1 is no longer the primary (no node reports read-write now): nothing done');
  });

  test('every action refuses a node that is gone', () => {
    for (const asPrimary of [true, false]) {
      expect(targetRefusal({ node: 'node3', asPrimary }, { primary: 'node3', nodes: ['node1', 'node2'] })).toBe('node3 is no longer in the cluster: nothing done');
    }
  });

  test('s and z refuse when the process state their question was about changed', () => {
    // "Stop node2?" then someone else stopped it: y must not start it instead.
    expect(targetRefusal({ node: 'node2', asPrimary: false, process: 'running' }, { primary: 'node1', nodes, process: 'stopped' })).toBe('node2 is stopped now, not running as when asked: nothing done');
    expect(targetRefusal({ node: 'node2', asPrimary: false, process: 'running' }, { primary: 'node1', nodes, process: 'frozen' })).toMatch(/frozen now/);
    // Unknown now: no evidence of a change.
    expect(targetRefusal({ node: 'node2', asPrimary: false, process: 'running' }, { primary: 'node1', nodes })).toBeNull();
  });

  test('p refuses when the node was cut off or reconnected meanwhile', () => {
    expect(targetRefusal({ node: 'node2', asPrimary: false, cut: false }, { primary: 'node1', nodes, cut: true })).toBe('node2 was cut off since the prompt: nothing done');
    expect(targetRefusal({ node: 'node2', asPrimary: false, cut: false }, { primary: 'node1', nodes, cut: false })).toBeNull();
  });

  test('m refuses when the node went into or out of maintenance meanwhile', () => {
    expect(targetRefusal({ node: 'node2', asPrimary: false, maintenance: false }, { primary: 'node1', nodes, maintenance: true })).toBe('node2 went into maintenance since the prompt: nothing done');
    expect(targetRefusal({ node: 'node2', asPrimary: false, maintenance: false }, { primary: 'node1', nodes, maintenance: false })).toBeNull();
  });
});
