// Bulk jobs in the window: pages ask for one (`useBulkJobs().start(action, ids)`); one dialog, held
// above the pages, leads through the target, the preview, the progress and the results. The job
// itself runs in Rust: the dialog can be hidden and shown again (`show(jobId)`), and the banner
// says while a job runs elsewhere, or offers to resume one a closed or killed app left unfinished.

import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { type ReactNode, createContext, useContext, useEffect, useMemo, useState } from "react";
import {
  type BulkPlan,
  type Job,
  useBulkJobProgress,
  useBulkJobRows,
  useCancelBulkJob,
  useDiscardBulkJob,
  usePlanBulkJob,
  usePlanUndoBulkJob,
  useResumeBulkJob,
  useStartBulkJob,
  useUnfinishedBulkJobs,
} from "../../api";
import { ActivateModal } from "../../components/ActivateModal";
import { ErrorBoundary } from "../../components/ErrorBoundary";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { WriteButton } from "../../components/WriteAccess";
import { GroupTarget, LeftOut, LicenceTarget, PreviewStep, ProgressStep, ResultsStep, type Target, UsageLocationForRows } from "./BulkJobSteps";
import { ACTION_LABEL, type BulkAction, actionOf, hasOpenRows, jobKind, needsTarget, needsUsageLocation } from "./words";

const useStyles = makeStyles({
  surface: { maxWidth: "min(960px, 94vw)", width: "960px" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

/** `target`: the group or licence when the page already knows it (a group's members, a licence's holders). */
type Request = { action: BulkAction; ids: string[]; noun: string; target?: Target };
/**
 * What the dialog is about: a new request (until planned), the undo of job `undoOf` (until planned), a job
 * previewed elsewhere (`plan`: a CSV import's good rows), and/or a job.
 */
type Current = { request: Request | null; undoOf?: number; jobId: number | null; action: BulkAction; open: boolean; title?: string; plan?: BulkPlan };
type Api = {
  /** Opens the dialog for `action` over the chosen rows (`noun`: "people", "deleted items"). */
  start: (action: BulkAction, ids: string[], noun: string, target?: Target) => void;
  /** Opens the dialog on a job already previewed elsewhere (a CSV import's good rows). */
  preview: (plan: BulkPlan) => void;
  /** Shows a job again (it runs in Rust whether or not it is shown). */
  show: (jobId: number, action: BulkAction, title?: string) => void;
  /** Opens the preview of undoing a whole job (the opposite job over its done rows). */
  undo: (jobId: number, action: BulkAction, title: string) => void;
  current: Current | null;
};

const BulkJobsContext = createContext<Api | null>(null);

/** Starts or shows a bulk job from any page; `null` outside a signed-in window (no provider). */
export function useBulkJobs(): Api | null {
  return useContext(BulkJobsContext);
}

/** Holds the job dialog above the pages, so a job outlives the page that started it. */
export function BulkJobsProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<Current | null>(null);
  const api = useMemo<Api>(
    () => ({
      start: (action, ids, noun, target) => setCurrent({ request: { action, ids, noun, target }, jobId: null, action, open: true }),
      preview: (plan) => setCurrent({ request: null, jobId: plan.job.id, action: actionOf(plan.job.kind), open: true, title: plan.job.title, plan }),
      show: (jobId, action, title) => setCurrent({ request: null, jobId, action, open: true, title }),
      undo: (jobId, action, title) => setCurrent({ request: null, undoOf: jobId, jobId: null, action, open: true, title: `Undo: ${title}` }),
      current,
    }),
    [current],
  );
  return (
    <BulkJobsContext.Provider value={api}>
      {children}
      {current && (
        // A failure inside the dialog is shown in its place, never blanking the window.
        <ErrorBoundary resetKey={current}>
        <BulkJobDialog
          key={current.request ? `new-${current.request.ids.join(",").length}` : current.undoOf !== undefined ? `undo-${current.undoOf}` : `job-${current.jobId ?? 0}`}
          current={current}
          onUndo={(jobId, title) => api.undo(jobId, current.action, title)}
          onPlanned={(jobId, title) => setCurrent((c) => c && { ...c, jobId, title })}
          onHide={() => setCurrent((c) => (c === null || c.jobId === null ? null : { ...c, open: false }))}
          onClose={() => setCurrent(null)}
        />
        </ErrorBoundary>
      )}
    </BulkJobsContext.Provider>
  );
}

type Stage = "target" | "planning" | "preview" | "running" | "results";

/** Previewing: a new request's job (again with a usage location, the earlier preview discarded) or the undo of a job. */
function useJobPlan(current: Current, onPlanned: (jobId: number, title: string) => void) {
  const planning = usePlanBulkJob();
  const planningUndo = usePlanUndoBulkJob();
  const discard = useDiscardBulkJob();
  const [plan, setPlan] = useState<BulkPlan | null>(current.plan ?? null);
  const onSuccess = (p: BulkPlan) => {
    setPlan(p);
    onPlanned(p.job.id, p.job.title);
  };
  const runPlan = (action: BulkAction, t: Target) => {
    const kind = jobKind(action, t);
    if (!current.request || !kind) return;
    // A preview checked again replaces the earlier one, which is never run.
    if (plan) discard.mutate(plan.job.id);
    planning.mutate({ kind, objectIds: current.request.ids }, { onSuccess });
  };
  const runUndo = (jobId: number) => planningUndo.mutate(jobId, { onSuccess });
  const pending = planning.isPending || planningUndo.isPending;
  return { plan, runPlan, runUndo, pending, error: planning.error ?? planningUndo.error };
}

// Long: one dialog whose content and buttons follow the job's stage (target → preview → progress →
// results); each stage's body is its own component in BulkJobSteps.
function BulkJobDialog({
  current,
  onPlanned,
  onHide,
  onClose,
  onUndo,
}: {
  current: Current;
  onPlanned: (jobId: number, title: string) => void;
  onHide: () => void;
  onClose: () => void;
  onUndo: (jobId: number, title: string) => void;
}) {
  const styles = useStyles();
  const { request, jobId, undoOf } = current;
  const [target, setTarget] = useState<Target>(request?.target ?? {});
  const { plan, runPlan, runUndo, pending, error: planError } = useJobPlan(current, onPlanned);
  // An undo's action is the opposite job's, known once it is planned.
  const action = plan ? actionOf(plan.job.kind) : current.action;
  const asksTarget = needsTarget(action) !== null && !request?.target && undoOf === undefined;
  const [left, setLeft] = useState<ReadonlySet<number>>(new Set());
  const starting = useStartBulkJob();
  const cancel = useCancelBulkJob();
  const rows = useBulkJobRows(plan === null ? jobId : starting.isSuccess ? jobId : null);
  const { progress, error: stopped } = useBulkJobProgress(jobId);
  // Results once Rust says the job ended (or stopped), or when the rows read show nothing left to send
  // and no event says otherwise; until the rows are read, a started or shown job counts as running.
  const ended = progress !== null && (progress.state !== "running" || stopped !== null);
  const running = !ended && (progress !== null || (rows.data ? hasOpenRows(rows.data) : true));
  const stage: Stage =
    jobId === null ? (pending ? "planning" : asksTarget ? "target" : "planning") : plan && !starting.isSuccess ? "preview" : running ? "running" : "results";

  // Actions without a target (and undos) are previewed as soon as the dialog opens.
  useEffect(() => {
    if (jobId !== null) return;
    if (undoOf !== undefined) runUndo(undoOf);
    else if (!asksTarget) runPlan(action, target);
    // Once, when the dialog opens for a new request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Rows read before the job ended still show it sending: the results wait for the re-read the end asked for.
  const settled = !(rows.isFetching && rows.data !== undefined && hasOpenRows(rows.data));
  const chosen = plan ? plan.rows.filter((r) => r.check.answer === "willChange" && !left.has(r.index)).map((r) => r.index) : [];
  const title = plan?.job.title ?? current.title ?? (request ? `${ACTION_LABEL[action]}: ${request.ids.length.toLocaleString()} ${request.noun}` : ACTION_LABEL[action]);
  // A new job's people without a usage location can be given one here (an undo's rows held the licence before).
  const withoutLocation = plan && request && stage === "preview" ? needsUsageLocation(action, plan.rows) : 0;
  const done = rows.data?.some((r) => r.status === "done") ?? false;

  return (
    <Dialog open={current.open} modalType="alert" onOpenChange={(_, d) => !d.open && (stage === "running" ? onHide() : onClose())}>
      <DialogSurface className={styles.surface} data-testid="bulk-dialog">
        <DialogBody>
          <ActivateModal />
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={styles.content}>
            {stopped && (
              <MessageBar intent="error">
                <MessageBarBody>{`The job stopped: ${stopped} It can be resumed from the banner.`}</MessageBarBody>
              </MessageBar>
            )}
            {stage === "target" && needsTarget(action) === "group" && <GroupTarget action={action} onChange={setTarget} />}
            {stage === "target" && needsTarget(action) === "licence" && <LicenceTarget action={action} target={target} onChange={setTarget} />}
            {stage === "planning" && !planError && <Spinner label="Checking each row with Microsoft Graph…" />}
            {stage === "preview" && plan && <LeftOut reasons={plan.leftOut} />}
            {stage === "preview" && plan && (
              <PreviewStep
                action={action}
                rows={plan.rows}
                left={left}
                onToggle={(i) => setLeft((s) => (s.has(i) ? new Set([...s].filter((x) => x !== i)) : new Set([...s, i])))}
              />
            )}
            {withoutLocation > 0 && (
              <UsageLocationForRows
                count={withoutLocation}
                pending={pending}
                onCheck={(usageLocation) => {
                  const next = { ...target, usageLocation };
                  setTarget(next);
                  runPlan(action, next);
                }}
              />
            )}
            {stage === "running" && <ProgressStep progress={progress} cancelling={cancel.isSuccess} />}
            {stage === "results" && settled && rows.data && <ResultsStep rows={rows.data} fileName={`bulk-job-${jobId ?? 0}`} />}
            {stage === "results" && !(settled && rows.data) && <Spinner label="Reading the results…" />}
            {planError && <ErrorMessageBar error={planError} title={undoOf !== undefined ? "Couldn't prepare the undo" : "Couldn't prepare the changes"} />}
            {starting.error && <ErrorMessageBar error={starting.error} title="Couldn't start the changes" />}
          </DialogContent>
          <DialogActions>
            {stage === "target" && (
              <WriteButton appearance="primary" disabled={!jobKind(action, target) || pending} onClick={() => runPlan(action, target)}>
                Preview changes
              </WriteButton>
            )}
            {stage === "preview" && plan && (
              <WriteButton appearance="primary" disabled={chosen.length === 0 || starting.isPending || pending} onClick={() => starting.mutate({ jobId: plan.job.id, rows: chosen })}>
                {starting.isPending ? "Starting…" : `${ACTION_LABEL[action]}: apply ${chosen.length.toLocaleString()} change${chosen.length === 1 ? "" : "s"}`}
              </WriteButton>
            )}
            {stage === "running" && jobId !== null && (
              <Button disabled={cancel.isPending || cancel.isSuccess} onClick={() => cancel.mutate(jobId)}>
                Cancel the job
              </Button>
            )}
            {stage === "results" && jobId !== null && done && <WriteButton onClick={() => onUndo(jobId, title)}>Undo this job</WriteButton>}
            {stage === "running" ? <Button onClick={onHide}>Hide (keeps running)</Button> : <Button onClick={onClose}>{stage === "results" ? "Close" : "Cancel"}</Button>}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Above the pages: a job running while its dialog is hidden, and jobs a closed or killed app left unfinished. */
export function BulkJobsBanner() {
  const jobs = useBulkJobs();
  const current = jobs?.current ?? null;
  const onShow = (jobId: number, action: BulkAction, title?: string) => jobs?.show(jobId, action, title);
  const hidden = current !== null && !current.open && current.jobId !== null ? current : null;
  const { progress } = useBulkJobProgress(hidden?.jobId ?? null);
  const unfinished = useUnfinishedBulkJobs(true);
  return (
    <>
      {hidden && hidden.jobId !== null && (
        <MessageBar intent="info" data-testid="bulk-running-banner">
          <MessageBarBody>
            {progress
              ? `A bulk job is running: ${(progress.done + progress.skipped + progress.failed).toLocaleString()} of ${progress.toSend.toLocaleString()} rows answered.`
              : "A bulk job is running."}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => hidden.jobId !== null && onShow(hidden.jobId, hidden.action, hidden.title)}>Show</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {(unfinished.data ?? []).map((job) => (
        <UnfinishedJob key={job.id} job={job} onResumed={() => onShow(job.id, actionOf(job.kind), job.title)} />
      ))}
    </>
  );
}

function UnfinishedJob({ job, onResumed }: { job: Job; onResumed: () => void }) {
  const resume = useResumeBulkJob();
  const discard = useDiscardBulkJob();
  const c = job.counts;
  return (
    <MessageBar intent="warning" data-testid="bulk-unfinished">
      <MessageBarBody>
        {`“${job.title}” stopped before it finished (the app was closed): ${c.done.toLocaleString()} done, ${c.pending.toLocaleString()} not yet sent. Resuming checks each of those in Microsoft Graph first, so nothing is done twice.`}
        {job.kind.kind === "createUsers" && " Temporary passwords are never saved, so people not yet created will need the file imported again."}
        {(resume.error ?? discard.error) && <ErrorMessageBar error={resume.error ?? discard.error} />}
      </MessageBarBody>
      <MessageBarActions>
        <WriteButton appearance="primary" disabled={resume.isPending} onClick={() => resume.mutate(job.id, { onSuccess: onResumed })}>
          Resume
        </WriteButton>
        <WriteButton disabled={discard.isPending} onClick={() => discard.mutate(job.id)}>
          Discard
        </WriteButton>
      </MessageBarActions>
    </MessageBar>
  );
}
