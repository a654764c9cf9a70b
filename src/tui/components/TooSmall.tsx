/** Below 60×15 the layout cannot be drawn honestly: say so, and how big the terminal is. */
import {Box, Text} from '../ink.js';
import React from 'react';
import {wrap} from '../format.js';
import {MIN_COLUMNS, MIN_ROWS} from '../state/layout.js';

export type Props = Readonly<{columns: number; rows: number}>;

export function TooSmall({columns, rows}: Props): React.ReactElement {
  const lines = ['Terminal too small', ...wrap(`meshdoctor needs at least ${MIN_COLUMNS}×${MIN_ROWS}; this one is ${columns}×${rows}.`, Math.max(10, columns)), 'Enlarge the window (q quits).'];
  return (
    <Box flexDirection="column" width={columns} height={Math.max(1, Math.min(rows - 1, lines.length))}>
      {lines.slice(0, Math.max(1, rows - 1)).map((l, i) => (
        <Text key={i} wrap="truncate-end" bold={i === 0} color={i === 0 ? 'yellow' : undefined}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
