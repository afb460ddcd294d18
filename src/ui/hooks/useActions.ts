// The action keys' state: the open confirmation prompt and the UI-local message. Decisions
// come from planAction (commands.ts); this hook only holds what the user has been asked.
import { useEffect, useRef, useState } from 'react';
import type { ConsoleController, ConsoleState } from '../../actions/types.js';
import type { AnyActionBinding } from '../bindings.js';
import { planAction, waitingText, type ActionCall } from '../commands.js';

export interface Pending {
  question: string;
  call: ActionCall;
  /** The controller's own question (faults found at start): Esc tells it no. */
  offer?: boolean;
}

export interface ActionTarget {
  primary: string | null;
  selected: string | null;
  /** The monitor has the selected node in (or on its way into) maintenance. */
  maintenance: boolean;
}

export function useActions(controller: ConsoleController | undefined, rendered: ConsoleState | null) {
  const [pending, setPendingState] = useState<Pending | null>(null);
  const [localMessage, setLocalMessage] = useState<string | null>(null);
  // A typed-ahead chunk ("ky") runs several handlers before React re-renders; they share the
  // prompt through this ref.
  const pendingRef = useRef<Pending | null>(null);
  const setPending = (p: Pending | null) => {
    pendingRef.current = p;
    setPendingState(p);
  };

  // A question the controller asks on its own (faults found at start) opens as a prompt once,
  // as soon as no other prompt is open.
  const offer = rendered?.offer ?? null;
  const offered = useRef<string | null>(null);
  useEffect(() => {
    if (offer !== null && offered.current !== offer && pendingRef.current === null) {
      offered.current = offer;
      setPending({ question: offer, call: { name: 'acceptOffer', run: (c) => c.acceptOffer() }, offer: true });
    }
  }, [offer, pending]);

  // Decide on the controller's state as of the key press, not of the last render: a busy flag
  // set a moment ago must already block the next fault.
  const live = () => controller?.state() ?? rendered;

  const call = (c: ActionCall) => {
    if (!controller) return;
    // Actions resolve and report failures in state.message; a rejection is a controller bug.
    c.run(controller).catch((err: unknown) => setLocalMessage(`${c.name} failed: ${String(err)}`));
  };

  const act = (binding: AnyActionBinding, { primary, selected, maintenance }: ActionTarget) => {
    const now = live();
    const plan = planAction(binding, {
      available: controller !== undefined,
      primary,
      selected,
      process: selected === null ? undefined : now?.processes[selected],
      busy: now?.busy?.label ?? null,
      rtoRunning: now?.rto.current?.status === 'running',
      canPartition: now?.canPartition ?? false,
      partitioned: selected !== null && (now?.partitioned ?? []).includes(selected),
      maintenance,
      refusals: now?.refusals,
    });
    if (plan.kind === 'message') setLocalMessage(plan.text);
    else if (plan.kind === 'confirm') setPending({ question: plan.question, call: plan.call });
    else call(plan.call);
  };

  const confirm = () => {
    const p = pendingRef.current;
    if (!p) return;
    setPending(null);
    // Something else may have started while the question was open.
    const busy = live()?.busy;
    if (busy) setLocalMessage(waitingText(busy.label));
    else call(p.call);
  };

  return {
    pending,
    localMessage,
    promptOpen: () => pendingRef.current !== null,
    act,
    confirm,
    cancel: () => {
      if (pendingRef.current?.offer) controller?.declineOffer();
      setPending(null);
    },
    /** A UI-local message lasts until the next key. */
    clearMessage: () => setLocalMessage(null),
  };
}
