import { Button, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CodeRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { type PreviewAction, type ShownRequest, usePreviewRequest } from "../api";
import { CopyButton } from "./CopyButton";
import { ErrorMessageBar } from "./ErrorMessageBar";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, minWidth: 0 },
  request: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXS,
    padding: tokens.spacingVerticalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    minWidth: 0,
  },
  line: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, minWidth: 0 },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    margin: 0,
    whiteSpace: "pre-wrap",
    wordBreak: "break-all",
    userSelect: "text",
    maxHeight: "220px",
    overflow: "auto",
    flex: 1,
  },
  label: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

function OneRequest({ request, index, count }: { request: ShownRequest; index: number; count: number }) {
  const styles = useStyles();
  const http = [`${request.method} ${request.url}`, ...request.headers].join("\n");
  return (
    <section className={styles.request} aria-label={count > 1 ? `Request ${index + 1} of ${count}` : "The request"}>
      <div className={styles.line}>
        <pre className={styles.code}>{http}</pre>
        <CopyButton text={request.url} label="Copy URL" />
      </div>
      {request.body && (
        <div className={styles.line}>
          <pre className={styles.code}>{request.body}</pre>
          <CopyButton text={request.body} label="Copy body" />
        </div>
      )}
      <Text className={styles.label}>Microsoft Graph PowerShell</Text>
      <div className={styles.line}>
        <pre className={styles.code}>{request.powershell}</pre>
        <CopyButton text={request.powershell} label="Copy" />
      </div>
    </section>
  );
}

/**
 * "Show the request": the exact Microsoft Graph request(s) the action would send with what is on the form
 * now — method, URL, body (passwords masked) and the PowerShell line — each to copy. Rust works them out by
 * running the action's own code without sending anything, so what is shown is what would be sent.
 * `action` is null while the form cannot be sent yet.
 */
export function ShowRequest({ action }: { action: PreviewAction | null | (() => PreviewAction | null) }) {
  const styles = useStyles();
  const preview = usePreviewRequest();
  const [open, setOpen] = useState(false);
  const [nothing, setNothing] = useState(false);
  // A form passes a function: it is read at the click, so typing does not re-render the form for it.
  const lazy = typeof action === "function";
  const show = () => {
    const now = typeof action === "function" ? action() : action;
    setOpen(true);
    setNothing(now === null);
    if (now) preview.mutate(now);
    else preview.reset();
  };
  return (
    <div className={styles.root}>
      <div>
        <Button size="small" appearance="subtle" icon={<CodeRegular />} disabled={(!lazy && !action) || preview.isPending} onClick={show}>
          {open ? "Show the request again" : "Show the request"}
        </Button>
        {open && (
          <Button size="small" appearance="subtle" onClick={() => setOpen(false)}>
            Hide
          </Button>
        )}
      </div>
      {open && nothing && <Text>Nothing would be sent yet: change something on the form, or correct what is marked.</Text>}
      {open && preview.isPending && <Spinner size="tiny" label="Working out the request…" />}
      {open && preview.isError && <ErrorMessageBar error={preview.error} title="This would not be sent" />}
      {open && preview.isSuccess && <ShownRequests requests={preview.data} />}
    </div>
  );
}

/** Requests Rust has worked out (an action's, or an undo's), each to copy; nothing sent. */
export function ShownRequests({ requests }: { requests: ShownRequest[] }) {
  const styles = useStyles();
  return (
    <div className={styles.root} data-testid="shown-request">
      {requests.length === 0 ? (
        <Text>Nothing would be sent: it is already so.</Text>
      ) : (
        requests.map((r, i) => <OneRequest key={`${r.method} ${r.url} ${i}`} request={r} index={i} count={requests.length} />)
      )}
      <Text className={styles.label}>Nothing has been sent. Passwords are never shown.</Text>
    </div>
  );
}
