// Outlook contacts of one user: folders, search, create. Read live from Graph (not the local mirror).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands } from "../bindings.gen";
import { type AppError, call } from "./errors";
import { queryKeys } from "./keys";
import type { ContactFolder, ContactInput, ContactResultSet, ContactRow, ContactSearchResult } from "./types";

/** The user's contact folders (two levels deep). */
export function useContactFolders(userId: string | null) {
  return useQuery<ContactFolder[], AppError>({
    queryKey: queryKeys.contactFolders(userId ?? ""),
    queryFn: () => call(commands.listContactFolders(userId)),
    enabled: userId !== null,
  });
}

export type ContactSearch = { folderId: string | null; text: string; includeChildFolders: boolean; resultSet: ContactResultSet };

/**
 * Contacts whose name, email or company matches `text`, in one folder (and its subfolders): the first, the first
 * 200 or all of them (`more`: more matched than kept).
 */
export function useContactSearch(userId: string | null, search: ContactSearch) {
  return useQuery<ContactSearchResult, AppError>({
    queryKey: queryKeys.contactSearch(userId ?? "", search.folderId, search.text, search.includeChildFolders, search.resultSet),
    queryFn: () => call(commands.searchContacts(userId, search.folderId, search.text, search.includeChildFolders, search.resultSet)),
    enabled: userId !== null,
    placeholderData: (previous) => previous,
  });
}

/** Creates a contact in a folder (the default Contacts folder when null). Invalidates: that user's contacts. */
export function useCreateContact() {
  const queryClient = useQueryClient();
  return useMutation<ContactRow, AppError, { userId: string; folderId: string | null; contact: ContactInput }>({
    mutationFn: ({ userId, folderId, contact }) => call(commands.createContact(userId, folderId, contact)),
    onSuccess: (_, { userId }) => queryClient.invalidateQueries({ queryKey: queryKeys.contacts(userId) }),
  });
}
