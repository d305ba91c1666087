import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { type GraphWait, useGraphWaits, useStopWaiting } from "../api";
import { formatClock } from "../lib/format";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}` },
  request: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
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

/** Every long wait Graph asked of the app's own actions, each with "Stop waiting"; nothing when none. */
export function GraphWaits() {
  const styles = useStyles();
  const waits = useGraphWaits();
  const stop = useStopWaiting();
  if (waits.length === 0) return null;
  return (
    <div className={styles.stack} role="region" aria-label="Waiting for Microsoft Graph">
      {waits.map((wait) => (
        <Wait key={wait.id} wait={wait} onStop={() => stop.mutate()} stopping={stop.isPending} />
      ))}
    </div>
  );
}
