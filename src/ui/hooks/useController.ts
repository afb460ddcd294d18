// The console controller's state, like useSnapshot. The last pushed state is cached here, so a
// controller whose state() builds a fresh object per call cannot send React into a render loop.
import { useMemo, useSyncExternalStore } from 'react';
import type { ConsoleController, ConsoleState } from '../../actions/types.js';

export function useController(controller: ConsoleController | undefined): ConsoleState | null {
  const store = useMemo(() => {
    let last: ConsoleState | null = controller?.state() ?? null;
    return {
      subscribe(onChange: () => void): () => void {
        if (!controller) return () => undefined;
        const unsubscribe = controller.subscribe((s) => {
          last = s;
          onChange();
        });
        last = controller.state(); // anything pushed between render and subscribe
        return unsubscribe;
      },
      current: () => last,
    };
  }, [controller]);
  return useSyncExternalStore(store.subscribe, store.current);
}
