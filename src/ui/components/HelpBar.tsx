import { Text } from 'ink';
import type { Binding } from '../bindings.js';
import { fitHelpBar, helpBarItems } from '../key-help.js';

export function HelpBar({ bindings, width }: { bindings: readonly Binding[]; width: number }) {
  const { items, gap } = fitHelpBar(helpBarItems(bindings), width);
  return (
    <Text wrap="truncate-end">
      {items.map((item, i) => (
        <Text key={item.keys}>
          {i > 0 ? ' '.repeat(gap) : ''}
          <Text bold color="cyan">
            {item.keys}
          </Text>
          <Text dimColor> {item.label}</Text>
        </Text>
      ))}
    </Text>
  );
}
