// "Changes made here": the journal of this account's changes (kept in Rust), and their undo.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ChangeRow,
  type Done,
  type JournalAction,
  type JournalEntry,
  type JournalFilter,
  type UndoPlanView,
  commands,
} from "../bindings.gen";
import { type AppError, call } from "./errors";
import { applyInvalidation } from "./hooks";
import { invalidation, queryKeys } from "./keys";

export type { ChangeRow, JournalAction, JournalEntry, JournalFilter, UndoPlanView };

/** The journal's entries the filter selects, newest first. Read again each time the page opens. */
export function useChanges(filter: JournalFilter) {
  return useQuery<ChangeRow[], AppError>({
    queryKey: queryKeys.changesQuery(filter),
    queryFn: () => call(commands.listChanges(filter)),
    refetchOnMount: "always",
  });
}

/** Whether an entry can be undone now (Rust checks Graph) and what would be sent. Asked when the dialog opens. */
export function useUndoPlan(id: number | null) {
  return useQuery<UndoPlanView, AppError>({
    queryKey: queryKeys.undoPlan(id ?? -1),
    queryFn: () => call(commands.planUndo(id ?? -1)),
    enabled: id !== null,
    gcTime: 0,
    staleTime: 0,
  });
}

/** Undoes an entry. Invalidates: the journal, users, groups, deleted items, activity. */
export function useUndoChange() {
  const queryClient = useQueryClient();
  return useMutation<Done, AppError, number>({
    mutationFn: (id) => call(commands.undoChange(id)),
    onSuccess: () => applyInvalidation(queryClient, invalidation.changeUndone),
  });
}
