// The node table, drawn with Box/Text instead of @alcalzone/ink-table: ink-table's `cell`
// component only learns its column index, never its row, so it cannot highlight the selected
// row or dim stale cells; and its borders cost 3 columns per column, which overflows 80-column
// terminals. Here widths come from content (layout.ts) and lines truncate instead of wrapping.
import { Fragment, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { cellColor, padCell, type NodeColumn, type NodeRow } from '../format.js';
import type { TableLayout } from '../layout.js';

export interface NodeTableProps {
  rows: readonly NodeRow[];
  layout: TableLayout;
  /** Index into rows; out of range means nothing is selected. */
  selected: number;
  /** Monitor unreachable: its columns show the last known values, dimmed. */
  stale: boolean;
  /** Nodes the walkthrough points at: marked with * in the marker column. */
  highlight?: readonly string[];
  /** A title line above a row where a group starts (several groups only); see groupTitles. */
  titles?: readonly (string | null)[];
}

export const SELECTED_MARKER = '›';

export const HIGHLIGHT_MARKER = '*';

export function NodeTable({ rows, layout, selected, stale, highlight = [], titles }: NodeTableProps) {
  const { columns, widths } = layout;
  const gap = ' '.repeat(layout.gap);
  const cells = (pick: (c: NodeColumn, i: number) => ReactNode) =>
    columns.map((c, i) => (
      <Text key={c.key}>
        {i > 0 ? gap : ''}
        {pick(c, i)}
      </Text>
    ));

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Nodes</Text>
        {stale ? <Text color="red"> (stale: monitor columns show the last known values)</Text> : null}
      </Text>
      <Text wrap="truncate-end" bold>
        {'  '}
        {cells((c, i) => padCell(c.header, widths[i] ?? 0, c.align))}
      </Text>
      {rows.map((row, r) => {
        const isSelected = r === selected;
        const title = titles?.[r] ?? null;
        return (
          <Fragment key={row.node}>
            {title === null ? null : (
              <Text wrap="truncate-end" bold dimColor>
                {title}
              </Text>
            )}
            <Text wrap="truncate-end" inverse={isSelected}>
              {isSelected ? `${SELECTED_MARKER} ` : highlight.includes(row.node) ? <Text color="yellow">{`${HIGHLIGHT_MARKER} `}</Text> : '  '}
              {cells((c, i) => (
                <Text color={cellColor(c.key, row[c.key])} dimColor={stale && c.fromMonitor}>
                  {padCell(row[c.key], widths[i] ?? 0, c.align)}
                </Text>
              ))}
            </Text>
          </Fragment>
        );
      })}
    </Box>
  );
}
