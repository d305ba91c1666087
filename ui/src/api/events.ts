import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { events } from "../bindings.gen";
import { applyInvalidation } from "./hooks";
import type { AppSnapshot, WatchStatus } from "./types";
import { invalidation, queryKeys } from "./keys";

/**
 * Subscribes to the Rust side's events for as long as the app is mounted:
 * directoryChanged → users and activity refetch; sessionChanged → the app state becomes the payload's
 * snapshot (and the account's data is dropped when the active account changed); watchStatusChanged →
 * the watch status becomes the payload's status.
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
        queryClient.setQueryData<WatchStatus>(queryKeys.watchStatus, event.payload.status);
      }),
    );

    return () => {
      disposed = true;
      for (const unlisten of unlisteners.splice(0)) unlisten();
    };
  }, [queryClient]);
}
