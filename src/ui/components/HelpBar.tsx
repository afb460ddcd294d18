import { Text } from 'ink';
import { helpBarItems, type KeyBinding } from '../keymap.js';

export function HelpBar({ bindings }: { bindings: readonly KeyBinding[] }) {
  return (
    <Text wrap="truncate-end">
      {helpBarItems(bindings).map((item, i) => (
        <Text key={item.keys}>
          {i > 0 ? '  ' : ''}
          <Text bold color="cyan">
            {item.keys}
          </Text>
          <Text dimColor> {item.label}</Text>
        </Text>
      ))}
    </Text>
  );
}
