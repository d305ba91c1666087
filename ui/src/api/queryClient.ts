import { QueryClient } from "@tanstack/react-query";
import { AppError } from "./errors";

/**
 * Data comes from the Rust side of this app: the Users and Groups tables, members, owners, licence holders and Find a
 * person read its local copy of the directory; the detail panels, licences, roles and who holds a role read Microsoft
 * Graph live. So a failed call is not retried blindly: only network failures get one more try. Window focus does not
 * refetch; events do.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => error instanceof AppError && error.kind === "network" && failureCount < 1,
      },
      mutations: { retry: false },
    },
  });
}
