// The console's root. Render it with `render(<App …/>, { exitOnCtrlC: false })`: otherwise Ink
// swallows Ctrl+C and exits on its own, and the keymap's quit (and its cleanup) never runs.
import { useState } from 'react';
import { Box, useInput, type Key } from 'ink';
import type { SnapshotSource } from '../cluster/snapshot-source.js';
import { nodeRows } from './format.js';
import { findBindings, KEYMAP, type BindingId } from './keymap.js';
import { eventLines, tableLayout } from './layout.js';
import { useSnapshot } from './hooks/useSnapshot.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useTicker } from './hooks/useTicker.js';
import { Header } from './components/Header.js';
import { NodeTable } from './components/NodeTable.js';
import { EventsPane } from './components/EventsPane.js';
import { HelpBar } from './components/HelpBar.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { MonitorDownBanner } from './components/MonitorDownBanner.js';
import { SplitBrainBanner } from './components/SplitBrainBanner.js';
import { WaitingPlaceholder } from './components/WaitingPlaceholder.js';

export interface AppProps {
  source: SnapshotSource;
  backend: string;
  profile: string;
  onQuit: () => void;
  /** Injected clock, so tests get fixed ages and times. */
  now?: () => number;
}

export function App({ source, backend, profile, onQuit, now = Date.now }: AppProps) {
  const snapshot = useSnapshot(source);
  const terminal = useTerminalSize();
  useTicker(1000);
  const nowMs = now();

  const [selected, setSelected] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);

  const nodeCount = snapshot?.nodes.length ?? 0;
  // Nodes can disappear between snapshots; keep the selection on a row that exists.
  const selectedIndex = Math.min(selected, Math.max(0, nodeCount - 1));

  const handlers: Record<BindingId, () => void> = {
    help: () => setHelpOpen((open) => !open),
    close: () => setHelpOpen(false),
    'select-up': () => setSelected(Math.max(0, selectedIndex - 1)),
    'select-down': () => setSelected(Math.min(Math.max(0, nodeCount - 1), selectedIndex + 1)),
    quit: onQuit,
  };

  useInput((input: string, key: Key) => {
    for (const binding of findBindings(input, key)) handlers[binding.id]();
  });

  const monitorDown = snapshot !== null && !snapshot.monitor.reachable;
  const splitBrain = snapshot !== null && snapshot.writableNodes.length > 1;
  const banners = Number(monitorDown) + Number(splitBrain);
  const tableRows = snapshot ? nodeRows(snapshot, nowMs) : [];

  return (
    <Box flexDirection="column" width={terminal.columns}>
      <Header
        formation={snapshot?.formation ?? null}
        backend={backend}
        profile={profile}
        nowMs={nowMs}
        primary={snapshot?.primary ?? null}
        known={snapshot !== null}
      />
      {monitorDown ? <MonitorDownBanner monitor={snapshot.monitor} nowMs={nowMs} /> : null}
      {splitBrain ? <SplitBrainBanner writableNodes={snapshot.writableNodes} /> : null}
      <Box flexDirection="column" marginTop={1}>
        {helpOpen ? (
          <HelpOverlay bindings={KEYMAP} />
        ) : snapshot === null ? (
          <WaitingPlaceholder />
        ) : (
          <>
            <NodeTable
              rows={tableRows}
              layout={tableLayout(tableRows, terminal.columns)}
              selected={selectedIndex}
              stale={monitorDown}
            />
            <Box marginTop={1}>
              <EventsPane events={snapshot.events} maxLines={eventLines({ rows: terminal.rows, nodeCount, banners })} />
            </Box>
          </>
        )}
      </Box>
      <HelpBar bindings={KEYMAP} />
    </Box>
  );
}
