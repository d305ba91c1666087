import {
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ReactNode } from "react";
import { AppError, type IpcError, toAppError } from "../api";
import { CopyButton } from "./CopyButton";

const useStyles = makeStyles({
  body: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  support: {
    display: "flex",
    alignItems: "center",
    flexWrap: "wrap",
    columnGap: tokens.spacingHorizontalS,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
  },
  code: { fontFamily: tokens.fontFamilyMonospace, userSelect: "text", wordBreak: "break-all" },
});

/** A plain-language headline for each kind of failure. */
export function errorTitle(error: IpcError): string {
  switch (error.kind) {
    case "validation":
      return "Check what you entered";
    case "notSignedIn":
      return "You are not signed in";
    case "forbidden":
      return "You don't have permission to do this";
    case "throttled":
      return "Microsoft Entra is busy";
    case "notFound":
      return "Microsoft Entra couldn't find it";
    case "conflict":
      return "That already exists";
    case "graph":
      return "Microsoft Entra could not do this";
    case "signIn":
      return "Sign-in didn't work";
    case "network":
      return "Can't reach Microsoft";
    case "readOnly":
      return "This account can't make changes";
    case "cancelled":
      return "Cancelled";
    case "internal":
      return "Something went wrong in Entra Desk";
  }
}

/** The line support staff ask for: "Support code: AADSTS65001 · trace id 1f2e…" or "Request ID: …". */
export function supportLine(error: IpcError): string | null {
  const parts: string[] = [];
  if (error.kind === "signIn") {
    if (error.code) parts.push(`Support code: ${error.code}`);
    if (error.traceId) parts.push(`trace id ${error.traceId}`);
  } else if ("requestId" in error) {
    if (error.code) parts.push(`Error code: ${error.code}`);
    if (error.requestId) parts.push(`Request ID: ${error.requestId}`);
  }
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** "Try again in 5 seconds." when Microsoft said how long to wait. */
export function retryStep(retryAfterSecs: number | null): string {
  if (retryAfterSecs === null) return "Try again in a minute.";
  const seconds = Math.max(1, retryAfterSecs);
  return `Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
}

function nextStep(error: IpcError): string | null {
  switch (error.kind) {
    case "signIn":
      return error.nextStep;
    case "throttled":
      return retryStep(error.retryAfterSecs);
    case "network":
      return "Check your internet connection, then try again.";
    case "notSignedIn":
      return "Sign in to your organization or open the practice tenant.";
    default:
      return null;
  }
}

type Props = { error: unknown; title?: string; action?: ReactNode };

/** Shows any failure: what happened, what to do next, and the codes support needs (copyable). */
export function ErrorMessageBar({ error, title, action }: Props) {
  const styles = useStyles();
  const detail = (error instanceof AppError ? error : toAppError(error)).detail;
  const support = supportLine(detail);
  const step = nextStep(detail);
  const consentUrl = detail.kind === "signIn" ? detail.adminConsentUrl : null;
  // What would allow it (the role needed) leads; Microsoft's own words follow.
  const needed = detail.kind === "forbidden" ? detail.needed : null;
  return (
    <MessageBar intent={detail.kind === "cancelled" ? "info" : "error"} layout="multiline">
      <MessageBarBody className={styles.body}>
        <MessageBarTitle>{title ?? errorTitle(detail)}</MessageBarTitle>
        {needed && <strong>{needed}</strong>}
        <span>{detail.message}</span>
        {step && <span>{step}</span>}
        {consentUrl && (
          // Shown as text to copy, not a link: the person signing in is rarely the administrator, and the
          // webview must not navigate away from the app.
          <span className={styles.support}>
            <span>Send this approval link to an administrator:</span>
            <span className={styles.code} aria-label="Admin consent link">
              {consentUrl}
            </span>
            <CopyButton text={consentUrl} label="Copy link" />
          </span>
        )}
        {support && (
          <span className={styles.support}>
            <span className={styles.code}>{support}</span>
            <CopyButton text={support} />
          </span>
        )}
      </MessageBarBody>
      {action && <MessageBarActions>{action}</MessageBarActions>}
    </MessageBar>
  );
}
