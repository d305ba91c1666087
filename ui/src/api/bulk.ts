// Bulk jobs: preview, start, follow, cancel, resume or discard. The job runs in Rust; the UI
// only shows where it is (BulkJobProgress events) and can re-attach after navigating away.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type BulkPlan, type Job, type JobKind, type JobProgress, type JobRow, type RowCheck, commands, events } from "../bindings.gen";
import { type AppError, call } from "./errors";
import { applyInvalidation } from "./hooks";
import { invalidation, queryKeys } from "./keys";

export type { BulkPlan, Job, JobKind, JobProgress, JobRow, RowCheck };

/** Reads what the job would change, row by row. Nothing is changed. */
export function usePlanBulkJob() {
  return useMutation<BulkPlan, AppError, { kind: JobKind; objectIds: string[] }>({
    mutationFn: ({ kind, objectIds }) => call(commands.planBulkJob(kind, objectIds)),
  });
}

/** Reads what undoing a whole job would change, row by row (the opposite job, checked in Graph again). Nothing is changed. */
export function usePlanUndoBulkJob() {
  return useMutation<BulkPlan, AppError, number>({
    mutationFn: (jobId) => call(commands.planUndoBulkJob(jobId)),
  });
}

/** The account's jobs that ran (or run now), newest first. */
export function useBulkJobList() {
  return useQuery<Job[], AppError>({
    queryKey: queryKeys.bulkJobs,
    queryFn: async () => (await call(commands.listBulkJobs())).filter((j) => j.state !== "planned"),
  });
}

/** Starts a previewed job with the rows kept (1-based). */
export function useStartBulkJob() {
  const queryClient = useQueryClient();
  return useMutation<null, AppError, { jobId: number; rows: number[] }>({
    mutationFn: ({ jobId, rows }) => call(commands.startBulkJob(jobId, rows)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.bulkJobs }),
  });
}

export function useCancelBulkJob() {
  return useMutation<boolean, AppError, number>({ mutationFn: (jobId) => call(commands.cancelBulkJob(jobId)) });
}

export function useResumeBulkJob() {
  const queryClient = useQueryClient();
  return useMutation<null, AppError, number>({
    mutationFn: (jobId) => call(commands.resumeBulkJob(jobId)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.unfinishedBulkJobs }),
  });
}

export function useDiscardBulkJob() {
  const queryClient = useQueryClient();
  return useMutation<null, AppError, number>({
    mutationFn: (jobId) => call(commands.discardBulkJob(jobId)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.bulkJobs }),
  });
}

/** A job's rows with their answers and results. */
export function useBulkJobRows(jobId: number | null) {
  return useQuery<JobRow[], AppError>({
    queryKey: queryKeys.bulkJobRows(jobId ?? -1),
    queryFn: () => call(commands.bulkJobRows(jobId ?? -1)),
    enabled: jobId !== null,
  });
}

/** Jobs stopped mid-way by a closed or killed app. */
export function useUnfinishedBulkJobs(enabled: boolean) {
  return useQuery<Job[], AppError>({
    queryKey: queryKeys.unfinishedBulkJobs,
    queryFn: () => call(commands.unfinishedBulkJobs()),
    enabled,
  });
}

/** Where a job is, as Rust tells it; `error` when it stopped as a whole. Ends re-read the tables and the job's rows. */
export function useBulkJobProgress(jobId: number | null): { progress: JobProgress | null; error: string | null } {
  const queryClient = useQueryClient();
  const [latest, setLatest] = useState<{ jobId: number | null; progress: JobProgress | null; error: string | null }>({ jobId: null, progress: null, error: null });
  useEffect(() => {
    if (jobId === null) return;
    let disposed = false;
    let unlisten: (() => void) | null = null;
    events.bulkJobProgress
      .listen((event) => {
        const { progress, error } = event.payload;
        if (progress.jobId !== jobId) return;
        setLatest({ jobId, progress, error });
        void queryClient.invalidateQueries({ queryKey: queryKeys.bulkJobRows(jobId) });
        if (progress.state !== "running" || error !== null) void applyInvalidation(queryClient, invalidation.bulkJobEnded);
      })
      .then((u) => {
        if (disposed) u();
        else unlisten = u;
      })
      .catch((e: unknown) => console.warn("Could not follow the bulk job", e));
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, [jobId, queryClient]);
  return latest.jobId === jobId ? { progress: latest.progress, error: latest.error } : { progress: null, error: null };
}
