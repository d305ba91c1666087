import { QueryClient } from "@tanstack/react-query";
import { AppError } from "./errors";

/**
 * Data comes from a local process (tables read the local copy of the directory, details read Graph), so a failed call is not
 * retried blindly: only network failures get one more try. Window focus does not refetch; events do.
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
