import { Button } from "@fluentui/react-components";
import { CheckmarkRegular, CopyRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { copyText } from "../lib/clipboard";

type Props = { text: string; label?: string; appearance?: "subtle" | "secondary" | "transparent" };

/** A small "Copy" button; says "Copied" for a moment, or asks for a manual copy if the webview refuses. */
export function CopyButton({ text, label = "Copy", appearance = "subtle" }: Props) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const onClick = () => {
    void copyText(text).then((ok) => {
      setState(ok ? "copied" : "failed");
      window.setTimeout(() => setState("idle"), 2500);
    });
  };
  return (
    <Button
      size="small"
      appearance={appearance}
      icon={state === "copied" ? <CheckmarkRegular /> : <CopyRegular />}
      onClick={onClick}
      aria-live="polite"
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Select the text and press Ctrl+C" : label}
    </Button>
  );
}
