import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import { useState } from "react";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}` },
});

/**
 * Sentences the person should read about this start — a damaged file was set aside, where it went, what
 * to do now (`AppSnapshot.notices`, `WatchStatus.notice`). Each can be dismissed; nothing when empty.
 */
export function Notices({ notices }: { notices: ReadonlyArray<string> }) {
  const styles = useStyles();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = notices.filter((n) => !dismissed.has(n));
  if (shown.length === 0) return null;
  return (
    <div className={styles.stack} role="region" aria-label="Notices">
      {shown.map((notice) => (
        <MessageBar key={notice} intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>A damaged file was set aside</MessageBarTitle>
            {notice}
          </MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                aria-label="Dismiss"
                icon={<DismissRegular />}
                onClick={() => setDismissed((d) => new Set([...d, notice]))}
              />
            }
          />
        </MessageBar>
      ))}
    </div>
  );
}
