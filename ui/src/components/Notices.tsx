import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}` },
});

/**
 * Sentences the person should read about this start — a damaged file was set aside, where it went, what
 * to do now (`AppSnapshot.notices`, `WatchStatus.notice`). Each can be dismissed; nothing when empty.
 * The caller keeps what was dismissed, so that it stays dismissed when the window moves between the
 * welcome page and the signed-in pages (adding an account).
 */
export function Notices({ notices, onDismiss }: { notices: ReadonlyArray<string>; onDismiss: (notice: string) => void }) {
  const styles = useStyles();
  if (notices.length === 0) return null;
  return (
    <div className={styles.stack} role="region" aria-label="Notices">
      {notices.map((notice) => (
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
                onClick={() => onDismiss(notice)}
              />
            }
          />
        </MessageBar>
      ))}
    </div>
  );
}
