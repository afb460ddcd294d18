// Every binding with its description, straight from the bindings, then the live tuning profile:
// what each monitor setting is and what changing it trades.
import { Box, Text } from 'ink';
import type { GucSetting } from '../../actions/types.js';
import type { Binding } from '../bindings.js';
import { overlayItems } from '../key-help.js';
import type { OverlayPlan } from '../layout.js';
import { keyBlocks, OVERLAY_FRAME, settingBlocks, settingsThatFit } from '../help-lines.js';
import { Lines } from './Lines.js';

export interface HelpOverlayProps {
  bindings: readonly Binding[];
  profile: string;
  /** Empty when no controller reports them. */
  gucs: readonly GucSetting[];
  /** Counted in wrapped lines (help-lines.ts), as wide as `width` allows. */
  plan: OverlayPlan;
  width: number;
  /** Where the lab's Prometheus and Alertmanager answer, when it runs them. */
  monitoring?: { prometheus: string; alertmanager: string } | null;
  /** Glossary lines for the states on screen (empty when there is no room). */
  glossary?: readonly string[];
}

export function HelpOverlay({ bindings, profile, gucs, plan, width, monitoring, glossary = [] }: HelpOverlayProps) {
  const inner = width - OVERLAY_FRAME;
  const keys = keyBlocks(overlayItems(bindings), inner).flat();
  const settings = settingBlocks(gucs, inner);
  const shown = plan.settingsMore > 0 ? settingsThatFit(settings, plan.settingsShown) : settings.length;
  const more = settings.length - shown;
  return (
    <Box
      flexDirection="column"
      borderStyle={plan.border ? 'round' : undefined}
      borderColor="cyan"
      paddingX={plan.border ? 1 : 0}
    >
      {plan.titles ? <Text bold>Keys</Text> : null}
      <Lines lines={keys} />
      <Box marginTop={plan.titles ? 1 : 0}>
        <Text wrap="truncate-end">
          <Text bold>Profile </Text>
          <Text color="cyan" bold>
            {profile}
          </Text>
          <Text dimColor>{gucs.length > 0 ? '  (P switches; monitor settings below)' : '  (live settings not available here)'}</Text>
        </Text>
      </Box>
      <Lines lines={settings.slice(0, shown).flat()} />
      {more > 0 ? <Text dimColor>… {more} more (a taller terminal shows them)</Text> : null}
      {monitoring ? (
        <Text wrap="wrap">
          <Text bold>Monitoring </Text>
          <Text>Prometheus {monitoring.prometheus}  Alertmanager {monitoring.alertmanager}</Text>
        </Text>
      ) : null}
      {glossary.map((g) => (
        <Text key={g} wrap="truncate-end" dimColor>
          {g}
        </Text>
      ))}
    </Box>
  );
}
