// Terminal size, re-read on every 'resize' of the stream Ink renders to.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

// Pipes and test streams report no size; assume a classic terminal.
const FALLBACK: TerminalSize = { columns: 80, rows: 24 };

function read(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || FALLBACK.columns, rows: stdout.rows || FALLBACK.rows };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = () =>
      setSize((prev) => {
        const next = read(stdout);
        return next.columns === prev.columns && next.rows === prev.rows ? prev : next;
      });
    stdout.on('resize', onResize);
    onResize(); // the size may have changed between render and subscribe
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
