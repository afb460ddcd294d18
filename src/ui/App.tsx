// The console's root. Render it with `render(<App …/>, { exitOnCtrlC: false })`: otherwise Ink
// swallows Ctrl+C and exits on its own, and the quit binding (and its cleanup) never runs.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, useInput, type Key } from 'ink';
import type { SnapshotSource } from '../cluster/snapshot-source.js';
import type { ConsoleController } from '../actions/types.js';
import { groupTitles, nodeRows } from './format.js';
import { applicable, withRefusals, findKeyPresses, KEYMAP, type UiBindingId } from './bindings.js';
import { overlayItems } from './key-help.js';
import { BESIDE_GAP, besidePane, learnPlacement, overlayPlan, richestPlan, tableLayout, type PaneMode } from './layout.js';
import { keyBlocks, lineCount, OVERLAY_FRAME, settingBlocks } from './help-lines.js';
import { writesHeld } from '../cluster/access.js';
import { inMaintenance } from '../actions/maintenance.js';
import type { Position, Walkthrough } from '../learn/engine.js';
import { glossaryLines, statesOnScreen } from '../learn/glossary.js';
import { learnLines } from './learn-lines.js';
import { plainEvents } from '../cluster/event-words.js';
import { PROFILES } from '../cluster/profiles.js';
import { gucValues, phaseBounds } from '../actions/phase-bounds.js';
import { addLagSample, lagSeries, lagSparkLine, writesSparkLine, type LagSample } from './sparkline.js';
import { loadLines, rtoLines, splitBrainLine, wrapLines, writesHeldLine, type Line, type PaneDetail } from './panes.js';
import { useSnapshot } from './hooks/useSnapshot.js';
import { useController } from './hooks/useController.js';
import { useActions } from './hooks/useActions.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useTicker } from './hooks/useTicker.js';
import { Header } from './components/Header.js';
import { NodeTable } from './components/NodeTable.js';
import { EventsPane } from './components/EventsPane.js';
import { HelpBar } from './components/HelpBar.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { Lines } from './components/Lines.js';
import { MonitorDownBanner } from './components/MonitorDownBanner.js';
import { SplitBrainBanner } from './components/SplitBrainBanner.js';
import { StuckRejoinBanner } from './components/StuckRejoinBanner.js';
import { stuckRejoins, trackRejoins } from '../cluster/stuck-rejoin.js';
import { StatusLines, statusLineCount } from './components/StatusLines.js';
import { WaitingPlaceholder } from './components/WaitingPlaceholder.js';

const EVENTS_KEY = KEYMAP.find((b) => b.id === 'events')?.keys[0] ?? '';

export interface AppProps {
  source: SnapshotSource;
  backend: string;
  /** Shown until a controller reports the live profile. */
  profile: string;
  onQuit: () => void;
  /** The fault, load and RTO actions and their state. Without one, their keys say so. */
  controller?: ConsoleController;
  /** Injected clock, so tests get fixed ages and times. */
  now?: () => number;
  /** The walkthrough: `w` opens its pane; `open` opens it from the start (pgha-tui learn). */
  learn?: { walkthrough: Walkthrough; open: boolean; save?: (p: Position) => void };
}

/** A pane's lines per detail level; null when it has nothing to show. */
type PaneLines = ((detail: PaneDetail) => Line[]) | null;

/** Each detail level built once a render: the screen budget asks every variant for its size. */
function once(pane: PaneLines): PaneLines {
  if (!pane) return null;
  const built = new Map<PaneDetail, Line[]>();
  return (d) => built.get(d) ?? built.set(d, pane(d)).get(d)!;
}

function pick(pane: PaneLines, mode: PaneMode | undefined): Line[] | null {
  return pane && mode && mode !== 'hidden' ? pane(mode) : null;
}

export function App({ source, backend, profile, onQuit, controller, now = Date.now, learn }: AppProps) {
  const snapshot = useSnapshot(source);
  const state = useController(controller);
  const terminal = useTerminalSize();
  const rtoRunning = state?.rto.current?.status === 'running';
  // The running RTO counter shows tenths; otherwise snapshots (one a second) drive the redraws.
  const snapshotAt = snapshot?.at ?? 0;
  useTicker(rtoRunning ? 100 : 1000, rtoRunning ? undefined : () => snapshotAt + 1500);
  const nowMs = now();

  const [selected, setSelectedState] = useState(0);
  // Keys read the selection from a ref: "↓ then z" typed faster than a render must freeze the
  // node the cursor moved to, not the one the previous render's handler still knew.
  const selectedRef = useRef(0);
  const setSelected = (i: number) => {
    selectedRef.current = i;
    setSelectedState(i);
  };
  const [helpOpen, setHelpOpen] = useState(false);
  const [eventView, setEventView] = useState<'short' | 'full'>('short');
  const actions = useActions(controller, state);
  const [learnOpen, setLearnOpen] = useState(learn?.open ?? false);
  // The engine is mutable; this counter re-renders the pane when it moved.
  const [, setLearnMoves] = useState(0);

  const nodes = snapshot?.nodes ?? [];
  const events = useMemo(() => plainEvents(snapshot?.events ?? []), [snapshot?.events]);
  // The last minute of each node's lag, one sample per snapshot, for the load pane's pictures.
  const lagSamples = useRef<LagSample[]>([]);
  useMemo(() => {
    if (snapshot) lagSamples.current = addLagSample(lagSamples.current, snapshot);
  }, [snapshot]);
  // When each node began rejoining: one that never gets there is named in a banner.
  const rejoinSince = useRef<Map<string, number>>(new Map());
  useMemo(() => {
    if (snapshot) rejoinSince.current = trackRejoins(rejoinSince.current, snapshot);
  }, [snapshot]);
  // Nodes can disappear between snapshots; keep the selection on a row that exists.
  const clamp = (i: number) => Math.min(i, Math.max(0, nodes.length - 1));
  const selectedIndex = clamp(selected);
  const selectedName = nodes[selectedIndex]?.name ?? null;

  const walkthrough = learn?.walkthrough;
  const moved = (change: () => void, redraw = false) => {
    if (!walkthrough) return;
    const before = JSON.stringify(walkthrough.position());
    change();
    const changed = JSON.stringify(walkthrough.position()) !== before;
    if (changed) learn?.save?.(walkthrough.position());
    // A snapshot already redraws; only a move (or a key's answer) needs one of its own.
    if (changed || redraw) setLearnMoves((n) => n + 1);
  };
  // Steps advance on what the live cluster and the console do, only while the pane is open.
  useEffect(() => {
    if (learnOpen && walkthrough) moved(() => walkthrough.observe({ snap: snapshot, console: state, selected: selectedName }));
  }, [learnOpen, snapshot, state, selectedName]);

  // Action keys go through their binding (target, confirm rule, call); these are the console's own.
  // UI keys get the typed character: the walkthrough's answer key is the row number itself.
  const commands: Record<UiBindingId, (input: string) => void> = {
    help: () => setHelpOpen((open) => !open),
    events: () => setEventView((v) => (v === 'short' ? 'full' : 'short')),
    'select-up': () => setSelected(Math.max(0, clamp(selectedRef.current) - 1)),
    'select-down': () => setSelected(clamp(clamp(selectedRef.current) + 1)),
    'confirm-yes': actions.confirm,
    'confirm-no': actions.cancel,
    close: () => {
      if (actions.promptOpen()) actions.cancel();
      else if (helpOpen) setHelpOpen(false);
      // Esc leaves a number question unanswered, like Tab.
      else if (learnOpen && walkthrough?.asksNumber()) moved(() => walkthrough.skip());
    },
    quit: onQuit,
    learn: () => setLearnOpen((open) => walkthrough !== undefined && !open),
    'learn-skip': () => {
      if (learnOpen) moved(() => walkthrough?.skip());
    },
    'learn-answer': (input) => {
      if (learnOpen && walkthrough?.asksNumber()) return moved(() => walkthrough.type(input), true);
      const node = nodes[Number(/[1-9]/.exec(input)?.[0] ?? 0) - 1]?.name;
      // The answer may complete the step: look at the cluster again at once.
      if (learnOpen && node && walkthrough) moved(() => walkthrough.answer(node) && walkthrough.observe({ snap: snapshot, console: controller?.state() ?? state, selected: selectedName }), true);
    },
    'learn-erase': () => {
      if (learnOpen) moved(() => walkthrough?.erase(), true);
    },
    'learn-submit': () => {
      if (learnOpen) moved(() => walkthrough?.submit(), true);
    },
  };

  useInput((input: string, key: Key) => {
    actions.clearMessage();
    for (const { binding, input: typed } of findKeyPresses(input, key)) {
      if (actions.promptOpen() && !binding.inPrompt) continue; // an open prompt takes y, n, Esc only
      if (binding.kind === 'ui') commands[binding.id](typed);
      else {
        const node = nodes[clamp(selectedRef.current)];
        actions.act(binding, { primary: snapshot?.primary ?? null, selected: node?.name ?? null, maintenance: node ? inMaintenance(node) : false });
      }
    }
  });

  const monitorDown = snapshot !== null && !snapshot.monitor.reachable;
  const splitBrain = snapshot !== null && snapshot.writableNodes.length > 1;
  const stuck = snapshot ? stuckRejoins(rejoinSince.current, snapshot, nowMs) : [];
  const banners = Number(monitorDown) + Number(splitBrain) + Number(stuck.length > 0);
  const tableRows = snapshot ? nodeRows(snapshot, nowMs) : [];
  const titles = groupTitles(snapshot?.nodes ?? []);
  const titleLines = titles.filter((t) => t !== null).length;

  const status = {
    busy: state?.busy ?? null,
    question: actions.pending?.question ?? null,
    message: actions.localMessage !== null ? { level: 'info' as const, text: actions.localMessage } : (state?.message ?? null),
  };
  const statusLines = statusLineCount({ ...status, width: terminal.columns });

  const stepView = learnOpen && walkthrough ? walkthrough.current() : null;
  // On a wide terminal the walkthrough is a column of its own; the table, panes and events get the rest.
  const placement = stepView ? learnPlacement(terminal.columns) : ({ at: 'below' } as const);
  const bodyWidth = placement.at === 'beside' ? placement.left : terminal.columns;

  // Pane lines wrap rather than being cut: their ends (how a link ended, when) matter.
  const fit = (lines: Line[]) => wrapLines(lines, bodyWidth);
  const standbys = nodes.filter((n) => n.name !== snapshot?.primary).map((n) => n.name);
  const writesPicture = state?.load ? writesSparkLine(state.load.perSecond, bodyWidth) : null;
  const lagPictures = standbys.map((n) => lagSparkLine(n, lagSeries(lagSamples.current, n, nowMs), bodyWidth)).filter((l): l is Line => l !== null);
  const loadPaneWith = (lag: readonly Line[]): PaneLines =>
    state && (state.load || state.verdict || state.splitBrain)
      ? (d) =>
          fit([
            ...loadLines(state.load, state.verdict, d, { writes: writesPicture, lag: [...lag] }),
            ...(state.splitBrain ? [splitBrainLine(state.splitBrain, nowMs)] : []),
          ])
      : null;
  const activeProfile = state?.profile ?? profile;
  const held = writesHeld(nodes);
  const demoteTimeout =
    state?.gucs.find((g) => g.name === 'primary_demote_timeout')?.value ??
    (PROFILES[activeProfile] ? String(PROFILES[activeProfile].gucs.primary_demote_timeout) : null);
  // What bounds each phase, with the monitor's live settings (the profile's until they are read).
  const liveGucs = state?.gucs.length ? gucValues(state.gucs) : (PROFILES[activeProfile]?.gucs ?? {});
  const heldLines = held.length > 0 ? [writesHeldLine(held, demoteTimeout, activeProfile)] : [];
  const rtoPaneWith = (bounds: boolean): PaneLines =>
    state && (state.rto.current || state.rto.history.length > 0 || held.length > 0)
      ? (d) => fit([...rtoLines(state.rto, nowMs, d, bounds ? { bounds: phaseBounds(liveGucs), width: bodyWidth } : undefined), ...heldLines])
      : null;
  const onScreen = glossaryLines(statesOnScreen(nodes));
  const beside = placement.at === 'beside';
  const learnPane = once(stepView ? (d) => wrapLines(learnLines(stepView, onScreen, d, beside), beside ? placement.pane : bodyWidth) : null);
  const size = (pane: PaneLines) => pane && { full: pane('full').length, compact: pane('compact').length };
  // What bounds each phase, then the lag pictures: extras that show only where they fit.
  const variants: [PaneLines, PaneLines][] = [
    [loadPaneWith(lagPictures), rtoPaneWith(true)],
    [loadPaneWith([]), rtoPaneWith(true)],
    [loadPaneWith(lagPictures), rtoPaneWith(false)],
    [loadPaneWith([]), rtoPaneWith(false)],
  ];
  const { variant, plan } = richestPlan(
    { rows: terminal.rows, nodeCount: nodes.length + titleLines, banners, statusLines },
    // The walkthrough is budgeted last: it sheds its glossary first and is hidden last.
    // Beside the table it costs these rows nothing.
    variants.map((v) => [...v.map(size), beside ? null : size(learnPane)]),
  );
  const [loadPane, rtoPane] = variants[variant]!;
  const panes = [pick(loadPane, plan.panes[0]), pick(rtoPane, plan.panes[1])];
  const learnShown = beside ? null : pick(learnPane, plan.panes[2]);
  const besideFit = learnPane && beside ? besidePane({ rows: terminal.rows, banners, statusLines }, size(learnPane)!) : null;
  const learnBeside = learnPane && besideFit ? learnPane(besideFit.mode).slice(0, besideFit.maxLines) : null;

  const gucs = state?.gucs ?? [];
  // The keys this console can use (bar and overlay do not advertise partitions on local).
  const keys = withRefusals(applicable(KEYMAP, { canPartition: state?.canPartition ?? false, walkthrough: learnOpen }), state?.refusals);
  const overlayWidth = terminal.columns - OVERLAY_FRAME;
  const overlayBudget = {
    rows: terminal.rows,
    banners,
    statusLines,
    keyLines: lineCount(keyBlocks(overlayItems(keys), overlayWidth)),
    settingLines: lineCount(settingBlocks(gucs, overlayWidth)),
    extraLines: state?.monitoring ? 1 : 0,
  };
  // The glossary of the states on screen (one truncated line each), where the overlay has rows to spare.
  // It costs the overlay nothing else: no border, title or setting gives way to it.
  const overlay = overlayPlan(overlayBudget);
  const withGlossary = overlayPlan({ ...overlayBudget, extraLines: overlayBudget.extraLines + onScreen.length });
  const glossaryFits = onScreen.length > 0 && JSON.stringify(withGlossary) === JSON.stringify(overlay);

  return (
    <Box flexDirection="column" width={terminal.columns}>
      <Header
        formation={snapshot?.formation ?? null}
        backend={state?.refusals?.actions ? `${backend} (read-only)` : backend}
        profile={state?.profile ?? profile}
        {...(state?.monitoring ? { alertsFiring: state.monitoring.firing } : {})}
        nowMs={nowMs}
        primary={snapshot?.primary ?? null}
        known={snapshot !== null}
      />
      {monitorDown ? <MonitorDownBanner monitor={snapshot.monitor} nowMs={nowMs} /> : null}
      {splitBrain ? <SplitBrainBanner writableNodes={snapshot.writableNodes} /> : null}
      {stuck.length > 0 ? <StuckRejoinBanner stuck={stuck} backend={snapshot!.backend} nowMs={nowMs} /> : null}
      <Box flexDirection="column" marginTop={1}>
        {helpOpen ? (
          <HelpOverlay bindings={keys} profile={state?.profile ?? profile} gucs={gucs} plan={overlay} width={terminal.columns} monitoring={state?.monitoring} glossary={glossaryFits ? onScreen : []} />
        ) : snapshot === null ? (
          <WaitingPlaceholder />
        ) : (
          <Box flexDirection="row">
            <Box flexDirection="column" width={bodyWidth}>
              <NodeTable
                rows={tableRows}
                layout={tableLayout(tableRows, bodyWidth)}
                selected={selectedIndex}
                stale={monitorDown}
                highlight={stepView?.highlight ?? []}
                titles={titles}
              />
              {learnShown ? (
                <Box marginTop={1}>
                  <Lines lines={learnShown} />
                </Box>
              ) : null}
              {panes.map((lines, i) =>
                lines ? (
                  <Box key={i} marginTop={1}>
                    <Lines lines={lines} />
                  </Box>
                ) : null,
              )}
              {plan.eventLines > 0 ? (
                <Box marginTop={1}>
                  <EventsPane events={events} maxLines={plan.eventLines} view={eventView} width={bodyWidth} switchKey={EVENTS_KEY} />
                </Box>
              ) : null}
            </Box>
            {learnBeside && placement.at === 'beside' ? (
              <Box flexDirection="column" width={placement.pane} marginLeft={BESIDE_GAP}>
                <Lines lines={learnBeside} />
              </Box>
            ) : null}
          </Box>
        )}
      </Box>
      <StatusLines {...status} nowMs={nowMs} width={terminal.columns} />
      <HelpBar bindings={keys} width={terminal.columns} />
    </Box>
  );
}
