// Every binding with its description, straight from the keymap, then the live tuning profile:
// what each monitor setting is and what changing it trades.
import { Box, Text } from 'ink';
import type { GucSetting } from '../../actions/types.js';
import { overlayItems, type KeyBinding } from '../keymap.js';
import type { OverlayPlan } from '../layout.js';

export interface HelpOverlayProps {
  bindings: readonly KeyBinding[];
  profile: string;
  /** Empty when no controller reports them. */
  gucs: readonly GucSetting[];
  plan: OverlayPlan;
  /** Where the lab's Prometheus and Alertmanager answer, when it runs them. */
  monitoring?: { prometheus: string; alertmanager: string } | null;
}

export function HelpOverlay({ bindings, profile, gucs, plan, monitoring }: HelpOverlayProps) {
  const items = overlayItems(bindings);
  const width = Math.max(...items.map((i) => i.keys.length));
  const shown = gucs.slice(0, plan.settingsShown);
  return (
    <Box
      flexDirection="column"
      borderStyle={plan.border ? 'round' : undefined}
      borderColor="cyan"
      paddingX={plan.border ? 1 : 0}
    >
      {plan.titles ? <Text bold>Keys</Text> : null}
      {items.map((item) => (
        <Text key={item.keys} wrap="truncate-end">
          <Text bold color="cyan">
            {item.keys.padEnd(width)}
          </Text>
          <Text>  {item.description}</Text>
        </Text>
      ))}
      <Box marginTop={plan.titles ? 1 : 0}>
        <Text wrap="truncate-end">
          <Text bold>Profile </Text>
          <Text color="cyan" bold>
            {profile}
          </Text>
          <Text dimColor>{gucs.length > 0 ? '  (P switches; monitor settings below)' : '  (live settings not available here)'}</Text>
        </Text>
      </Box>
      {shown.map((g) => (
        <Text key={g.name} wrap="truncate-end">
          <Text bold>{g.name}</Text>
          <Text> = {g.value}</Text>
          <Text dimColor> — {g.tradeoff}</Text>
        </Text>
      ))}
      {plan.settingsMore > 0 ? <Text dimColor>… {plan.settingsMore} more (a taller terminal shows them)</Text> : null}
      {monitoring ? (
        <Text wrap="truncate-end">
          <Text bold>Monitoring </Text>
          <Text>Prometheus {monitoring.prometheus}  Alertmanager {monitoring.alertmanager}</Text>
        </Text>
      ) : null}
    </Box>
  );
}
