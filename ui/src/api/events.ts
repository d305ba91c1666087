import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { events } from "../bindings.gen";
import { applyInvalidation } from "./hooks";
import type { AppSnapshot, DeviceCodeShown, GraphWait, NewUserProgress, WatchStatus } from "./types";
import { invalidation, queryKeys } from "./keys";

/**
 * Subscribes to the Rust side's events for as long as the app is mounted:
 * directoryChanged → users and activity refetch; sessionChanged → the app state becomes the payload's
 * snapshot (and the account's data is dropped when the active account changed); watchStatusChanged →
 * the watch status becomes the payload's status (and, during a first read, the tables re-read the growing copy).
 */
export function useBackendEvents(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    let disposed = false;
    const unlisteners: Array<() => void> = [];
    const keep = (pending: Promise<() => void>) => {
      pending
        .then((unlisten) => {
          if (disposed) unlisten();
          else unlisteners.push(unlisten);
        })
        .catch((error: unknown) => {
          // Without the event bridge the app still works; data refreshes on the next query.
          console.warn("Could not subscribe to Entra Desk events", error);
        });
    };

    keep(events.directoryChanged.listen(() => void applyInvalidation(queryClient, invalidation.directoryChanged)));
    keep(
      events.sessionChanged.listen((event) => {
        // The payload is the new snapshot: show it at once, and drop data that belonged to the old account.
        const previous = queryClient.getQueryData<AppSnapshot>(queryKeys.appState);
        queryClient.setQueryData<AppSnapshot>(queryKeys.appState, event.payload.snapshot);
        if (previous?.activeAccountId !== event.payload.snapshot.activeAccountId) {
          void applyInvalidation(queryClient, invalidation.sessionChanged);
        }
      }),
    );
    keep(
      events.watchStatusChanged.listen((event) => {
        const previous = queryClient.getQueryData<WatchStatus>(queryKeys.watchStatus);
        queryClient.setQueryData<WatchStatus>(queryKeys.watchStatus, event.payload.status);
        // During a first read the copy is committed as pages arrive: the tables re-read it, so they fill.
        const syncing = event.payload.status.syncing;
        if (syncing && syncing.done > 0 && syncing.done !== previous?.syncing?.done) {
          void applyInvalidation(queryClient, invalidation.copyGrew);
        }
      }),
    );

    return () => {
      disposed = true;
      for (const unlisten of unlisteners.splice(0)) unlisten();
    };
  }, [queryClient]);
}

/**
 * Keeps the latest payload of one Rust event (mapped by `pick`) for as long as the caller is mounted;
 * `initial` before one arrives. `set` replaces it locally (e.g. forgetting a shown code).
 */
function useEventValue<P, T>(
  event: { listen: (handler: (e: { payload: P }) => void) => Promise<() => void> },
  pick: (payload: P) => T,
  initial: T,
  what: string,
): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    let disposed = false;
    let unlisten: (() => void) | null = null;
    event
      .listen((e) => {
        if (!disposed) setValue(pick(e.payload));
      })
      .then((stop) => {
        if (disposed) stop();
        else unlisten = stop;
      })
      .catch((error: unknown) => console.warn(`Could not subscribe to ${what}`, error));
    return () => {
      disposed = true;
      unlisten?.();
    };
    // One subscription per mount: `event` and `pick` are module-level in every caller.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return [value, setValue];
}

const asIs = <T,>(payload: T): T => payload;
const waitsOf = (payload: { waits: GraphWait[] }): GraphWait[] => payload.waits;

/**
 * The newest device-code prompt (`deviceCodeShown`) for as long as the caller is mounted; null before one
 * arrives. Mount it before starting `signInWithCode`: the event comes while that call is still pending.
 * `forget()` drops the shown code (call it when a new sign-in starts, so an old code is never shown).
 */
export function useDeviceCode(): { code: DeviceCodeShown | null; forget: () => void } {
  const [code, setCode] = useEventValue<DeviceCodeShown, DeviceCodeShown | null>(events.deviceCodeShown, asIs, null, "the sign-in code event");
  const forget = useCallback(() => setCode(null), [setCode]);
  return { code, forget };
}

/**
 * The long waits Microsoft Graph asked of this app's own actions, now (`graphWaitsChanged`): each is
 * shown with a way to stop it (`useStopWaiting`). Empty almost always.
 */
export function useGraphWaits(): GraphWait[] {
  return useEventValue(events.graphWaitsChanged, waitsOf, [], "the waits for Microsoft Graph")[0];
}

const progressOf = (payload: { progress: NewUserProgress }): NewUserProgress => payload.progress;

/**
 * Where Create User's chain is while it runs (`newUserProgress`): created, the steps done so far, and whether
 * Microsoft is being waited for. Null before the first report; `forget()` before starting a new create.
 */
export function useNewUserProgress(): { progress: NewUserProgress | null; forget: () => void } {
  const [progress, setProgress] = useEventValue<{ progress: NewUserProgress }, NewUserProgress | null>(
    events.newUserProgress,
    progressOf,
    null,
    "the New user progress event",
  );
  const forget = useCallback(() => setProgress(null), [setProgress]);
  return { progress, forget };
}
