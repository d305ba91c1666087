import { useActivateModal } from "@fluentui/react-tabster";
import { useEffect, useRef } from "react";

/**
 * Put inside a Fluent DialogSurface. In this app Tabster (Fluent's focus manager) registers the dialog's
 * modalizer but never activates it (seen in Chromium and jsdom: focus is inside, yet no modal is active), and
 * with no active modal it marks every modal aria-hidden, so screen readers would skip the open dialog.
 * Activating it explicitly once it is mounted fixes that; nothing changes on screen.
 */
export function ActivateModal() {
  const activate = useActivateModal();
  const marker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const surface = marker.current?.closest<HTMLElement>("[role=dialog],[role=alertdialog]");
    if (surface) activate(surface);
  }, [activate]);
  return <span ref={marker} hidden />;
}
