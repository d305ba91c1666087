import { Button, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { DeviceCodeShown } from "../../api";
import { CopyButton } from "../../components/CopyButton";

const useStyles = makeStyles({
  panel: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalM,
    padding: tokens.spacingVerticalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  heading: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS },
  row: { display: "flex", alignItems: "center", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeHero800,
    lineHeight: tokens.lineHeightHero800,
    fontWeight: tokens.fontWeightSemibold,
    letterSpacing: "0.12em",
    userSelect: "all",
  },
  url: { fontFamily: tokens.fontFamilyMonospace, userSelect: "all", wordBreak: "break-all" },
  hint: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  expired: { color: tokens.colorPaletteRedForeground1 },
});

/** "m:ss" for the countdown. */
function clock(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** How long the code still works, counting down once a second from `secs` (mount it once per code). */
function Countdown({ secs, hint, expired }: { secs: number; hint: string; expired: string }) {
  const [left, setLeft] = useState(secs);
  useEffect(() => {
    const timer = window.setInterval(() => setLeft((was) => Math.max(0, was - 1)), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return left > 0 ? (
    <span className={hint}>The code works for {clock(left)} more. After that, cancel and ask for a new one.</span>
  ) : (
    <span className={expired}>The code has run out. Cancel and ask for a new one.</span>
  );
}

type Props = { code: DeviceCodeShown | null; onCancel: () => void; cancelling: boolean };

/**
 * Waiting for a device-code sign-in: the code to type and where, both copyable (the webview may not open
 * links), how long the code lasts, and Cancel. Before the code arrives it says it is asking for one.
 */
export function DeviceCodePanel({ code, onCancel, cancelling }: Props) {
  const styles = useStyles();
  return (
    <section className={styles.panel} role="status" aria-label="Sign in with a code">
      {code === null ? (
        <div className={styles.heading}>
          <Spinner size="tiny" />
          <strong>Asking Microsoft for a sign-in code…</strong>
        </div>
      ) : (
        <>
          <div className={styles.heading}>
            <Spinner size="tiny" />
            <strong>Waiting for you to sign in on another device…</strong>
          </div>
          <Text>
            On any device, open <span className={styles.url}>{code.verificationUri}</span> and enter the code{" "}
            <strong>{code.userCode}</strong>.
          </Text>
          <div className={styles.row}>
            <span className={styles.code} data-testid="device-code">
              {code.userCode}
            </span>
            <CopyButton text={code.userCode} label="Copy code" appearance="secondary" />
          </div>
          <div className={styles.row}>
            <span className={styles.url}>{code.verificationUri}</span>
            <CopyButton text={code.verificationUri} label="Copy address" />
          </div>
          <Countdown key={code.userCode} secs={code.expiresInSecs} hint={styles.hint} expired={styles.expired} />
          {code.message && <span className={styles.hint}>Microsoft says: {code.message}</span>}
        </>
      )}
      <div>
        <Button onClick={onCancel} disabled={cancelling}>
          Cancel
        </Button>
      </div>
    </section>
  );
}
