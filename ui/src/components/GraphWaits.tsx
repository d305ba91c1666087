import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { type GraphWait, useGraphWaits, useStopWaiting } from "../api";
import { formatClock } from "../lib/format";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}` },
  request: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  // Inside a dialog: pinned to the top of the window, over the form (a long form scrolls, and the end of
  // the dialog may be below the window's edge).
  overModal: {
    position: "fixed",
    top: tokens.spacingVerticalS,
    left: "50%",
    transform: "translateX(-50%)",
    width: "min(720px, calc(100vw - 32px))",
    zIndex: 1,
    boxShadow: tokens.shadow16,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
  },
});

/** What the waiting request does, in words ("saving a change"). */
function doing(request: string): string {
  const method = request.split(" ")[0];
  switch (method) {
    case "GET":
      return "reading";
    case "PATCH":
    case "PUT":
      return "saving a change";
    case "POST":
      return "sending a request";
    case "DELETE":
      return "deleting";
    default:
      return "sending a request";
  }
}

/** Why Graph asked to wait. */
function because(status: number | null): string {
  if (status === 429) return "it is receiving too many requests from your organisation right now";
  if (status === 503) return "the service is busy";
  return "the connection dropped";
}

/** Whole seconds from now until `until` (never below 0), ticking once a second. */
function useSecondsLeft(until: string): number {
  const left = () => Math.max(0, Math.ceil((new Date(until).getTime() - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
    // `left` reads `until` only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [until]);
  return seconds;
}

function Wait({ wait, onStop, stopping }: { wait: GraphWait; onStop: () => void; stopping: boolean }) {
  const styles = useStyles();
  const left = useSecondsLeft(wait.until);
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Waiting for Microsoft Graph</MessageBarTitle>
        Microsoft Graph asked Entra Desk to wait before {doing(wait.request)} again, because {because(wait.status)}. Entra Desk
        tries again at {formatClock(wait.until)} ({left} s left). If you stop waiting, nothing more is sent and the form keeps
        what you typed. <span className={styles.request}>{wait.request}</span>
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onStop} disabled={stopping}>
          Stop waiting
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/**
 * The open modal dialog on top, if any. A modal makes the rest of the window inert (its backdrop takes
 * the clicks, focus stays inside), so a wait started from a form must be shown, and stoppable, inside it.
 */
function topModal(): HTMLElement | null {
  const open = document.querySelectorAll<HTMLElement>('[role="dialog"][aria-modal="true"], [role="alertdialog"]');
  return open.item(open.length - 1);
}

/**
 * Every long wait Graph asked of the app's own actions, each with "Stop waiting"; nothing when none.
 * Shown where the person can reach it: inside the open modal dialog (the form that is saving), or else
 * at the top of the window.
 */
export function GraphWaits() {
  const styles = useStyles();
  const waits = useGraphWaits();
  const stop = useStopWaiting();
  // While waits are shown, look again for the modal twice a second (one may open or close meanwhile).
  const [, setTick] = useState(0);
  useEffect(() => {
    if (waits.length === 0) return;
    const timer = setInterval(() => setTick((t) => t + 1), 500);
    return () => clearInterval(timer);
  }, [waits.length]);
  if (waits.length === 0) return null;
  const shown = (
    <div className={styles.stack} role="region" aria-label="Waiting for Microsoft Graph">
      {waits.map((wait) => (
        <Wait key={wait.id} wait={wait} onStop={() => stop.mutate()} stopping={stop.isPending} />
      ))}
    </div>
  );
  const modal = topModal();
  return modal ? createPortal(<div className={styles.overModal}>{shown}</div>, modal) : shown;
}
