import {
  Button,
  type ButtonProps,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ToolbarButton,
  type ToolbarButtonProps,
  Tooltip,
} from "@fluentui/react-components";
import { type ReactNode, createContext, useContext } from "react";

/**
 * Whether the active account may change the directory. A read-only sign-in may not: every button that
 * would change something stays visible but is disabled, says why on hover and focus, and the Rust side
 * refuses the change anyway (its Graph client sends no write for a read-only account).
 */
export type WriteAccess = { allowed: true } | { allowed: false; reason: string };

export const READ_ONLY_REASON =
  "You signed in read-only, so nothing can be changed with this account. To make changes, add the account again without “Read only” (account menu → Add account).";

const WriteAccessContext = createContext<WriteAccess>({ allowed: true });

export function WriteAccessProvider({ readOnly, children }: { readOnly: boolean; children: ReactNode }) {
  const value: WriteAccess = readOnly ? { allowed: false, reason: READ_ONLY_REASON } : { allowed: true };
  return <WriteAccessContext.Provider value={value}>{children}</WriteAccessContext.Provider>;
}

export function useWriteAccess(): WriteAccess {
  return useContext(WriteAccessContext);
}

/**
 * Refused: focusable but inert, with the reason as the control's description (read on hover, on focus and
 * by screen readers); Fluent's `disabledFocusable` keeps it in the Tab order, where `disabled` would hide the why.
 */
function Refused({ reason, children }: { reason: string; children: React.ReactElement }) {
  return (
    <Tooltip content={reason} relationship="description" withArrow>
      {children}
    </Tooltip>
  );
}

/** A Button that changes something: disabled with the reason for a read-only account. */
export function WriteButton({ ref, ...props }: ButtonProps & { ref?: React.Ref<HTMLButtonElement> }) {
  const access = useWriteAccess();
  if (access.allowed) return <Button ref={ref} {...props} />;
  return (
    <Refused reason={access.reason}>
      <Button ref={ref} {...props} onClick={undefined} type="button" disabledFocusable data-read-only="true" />
    </Refused>
  );
}

/** A ToolbarButton that changes something: disabled with the reason for a read-only account. */
export function WriteToolbarButton({ ref, ...props }: ToolbarButtonProps & { ref?: React.Ref<HTMLButtonElement> }) {
  const access = useWriteAccess();
  if (access.allowed) return <ToolbarButton ref={ref} {...props} />;
  return (
    <Refused reason={access.reason}>
      <ToolbarButton ref={ref} {...props} onClick={undefined} disabledFocusable data-read-only="true" />
    </Refused>
  );
}

/** At the top of the window while a read-only account is active. */
export function ReadOnlyBanner() {
  const access = useWriteAccess();
  if (access.allowed) return null;
  return (
    <MessageBar intent="info" layout="multiline" data-testid="read-only-banner">
      <MessageBarBody>
        <MessageBarTitle>Read-only sign-in</MessageBarTitle>
        You can look at everything. {READ_ONLY_REASON}
      </MessageBarBody>
    </MessageBar>
  );
}
