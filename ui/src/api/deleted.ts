// Deleted items: deleted users and groups (from Microsoft Graph), restore, delete for good.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type DeletedItem, type DeletedItemKind, type Done, commands } from "../bindings.gen";
import { type AppError, call } from "./errors";
import { applyInvalidation } from "./hooks";
import { invalidation, queryKeys } from "./keys";

export type { DeletedItem, DeletedItemKind };

/** Deleted users and groups, the most recently deleted first, with the days left to restore them. */
export function useDeletedItems() {
  return useQuery<DeletedItem[], AppError>({
    queryKey: queryKeys.deletedItems,
    queryFn: () => call(commands.listDeletedItems()),
  });
}

function useDeletedMutation<TVariables>(run: (variables: TVariables) => Promise<Done>) {
  const queryClient = useQueryClient();
  return useMutation<Done, AppError, TVariables>({
    mutationFn: run,
    onSuccess: () => applyInvalidation(queryClient, invalidation.deletedChanged),
  });
}

/** Restores a deleted user or group. Invalidates: deleted items, users, groups, activity. */
export function useRestoreDeleted() {
  return useDeletedMutation<string>((id) => call(commands.restoreDeletedItem(id)));
}

/** Deletes for good, once the name was typed (checked in Rust too). Invalidates as restore. */
export function useDeletePermanently() {
  return useDeletedMutation<{ id: string; kind: DeletedItemKind; confirmation: string }>(({ id, kind, confirmation }) =>
    call(commands.deletePermanently(id, kind, confirmation)),
  );
}
