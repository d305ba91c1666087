import { type ReactNode, createContext, useContext, useMemo, useState } from "react";
import { useCustomRequest } from "../../api";
import { EMPTY_DRAFT, type RequestDraft } from "./request";

type CustomRequestSession = {
  draft: RequestDraft;
  setDraft: (update: (draft: RequestDraft) => RequestDraft) => void;
  /** The request in flight or its last answer; it lives here so leaving the page loses neither. */
  send: ReturnType<typeof useCustomRequest>;
};

const Context = createContext<CustomRequestSession | null>(null);

/**
 * Keeps the Custom API page's request and its last answer for the session, so a person can look
 * something up on another page and come back to what they typed. Key it by the account: another
 * account's answer must not be shown.
 */
export function CustomRequestProvider({ children }: { children: ReactNode }) {
  const [draft, setDraftState] = useState<RequestDraft>(EMPTY_DRAFT);
  const send = useCustomRequest();
  const value = useMemo(() => ({ draft, setDraft: setDraftState, send }), [draft, send]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useCustomRequestSession(): CustomRequestSession {
  const session = useContext(Context);
  if (!session) throw new Error("useCustomRequestSession needs a CustomRequestProvider");
  return session;
}
