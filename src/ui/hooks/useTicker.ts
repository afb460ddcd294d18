// Re-render every `intervalMs` so the clock and the ages move between snapshots. `quietUntil`
// skips a tick while fresh snapshots already redraw the screen: one frame a second, not two
// (each frame costs CPU in Ink's output diffing; see bench:tui).
import { useEffect, useRef, useState } from 'react';

export function useTicker(intervalMs = 1000, quietUntil?: () => number): number {
  const [tick, setTick] = useState(0);
  const quiet = useRef(quietUntil);
  quiet.current = quietUntil;
  useEffect(() => {
    const timer = setInterval(() => {
      if (quiet.current && Date.now() < quiet.current()) return;
      setTick((t) => t + 1);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return tick;
}
