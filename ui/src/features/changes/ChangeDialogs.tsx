import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ChangeRow } from "../../api";
import { useUndoChange, useUndoPlan } from "../../api";
import { ActivateModal } from "../../components/ActivateModal";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { ShownRequests } from "../../components/ShowRequest";
import { formatDateTime } from "../../lib/format";
import { ACTION_LABELS, actionDetail, propertyLabel, valueText } from "./labels";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS },
  label: { color: tokens.colorNeutralForeground2 },
  requestId: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, fontFamily: tokens.fontFamilyMonospace },
});

/** One entry: when, who, what, before → after, and Graph's request id to copy for support. */
export function ChangeDetailsDialog({ row, onClose }: { row: ChangeRow | null; onClose: () => void }) {
  const styles = useStyles();
  const entry = row?.entry;
  return (
    <Dialog open={row !== null} onOpenChange={(_, data) => !data.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <ActivateModal />
          <DialogTitle>{entry ? ACTION_LABELS[entry.action.kind] : ""}</DialogTitle>
          {entry && (
            <DialogContent className={styles.content}>
              <div className={styles.facts}>
                <Text className={styles.label}>On</Text>
                <Text>{entry.target.name}</Text>
                {actionDetail(entry.action) && (
                  <>
                    <Text className={styles.label}>Details</Text>
                    <Text>{actionDetail(entry.action)}</Text>
                  </>
                )}
                <Text className={styles.label}>When</Text>
                <Text>{formatDateTime(entry.at)}</Text>
                <Text className={styles.label}>By</Text>
                <Text>{entry.account.name}</Text>
                <Text className={styles.label}>Result</Text>
                <Text>{entry.outcome.result === "done" ? "Done" : `Failed: ${entry.outcome.reason}`}</Text>
                {entry.undoneBy != null && (
                  <>
                    <Text className={styles.label}>Undone</Text>
                    <Text>by change #{entry.undoneBy}</Text>
                  </>
                )}
                <Text className={styles.label}>Request id</Text>
                {entry.requestId ? (
                  <span className={styles.requestId}>
                    <Text data-testid="request-id">{entry.requestId}</Text>
                    <CopyButton text={entry.requestId} label="Copy" />
                  </span>
                ) : (
                  <Text>Not known (nothing was sent to Microsoft)</Text>
                )}
              </div>
              {entry.changes.length > 0 && (
                <Table size="small" aria-label="Values before and after">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Property</TableHeaderCell>
                      <TableHeaderCell>Before</TableHeaderCell>
                      <TableHeaderCell>After</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {entry.changes.map((c) => (
                      <TableRow key={c.property}>
                        <TableCell>{propertyLabel(c.property)}</TableCell>
                        <TableCell>{valueText(c.before)}</TableCell>
                        <TableCell>{valueText(c.after)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </DialogContent>
          )}
          <DialogActions>
            <Button onClick={onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/**
 * Undo: Rust checks Graph now and says what the undo will do (with the requests it would send), or why it
 * cannot be done; the button waits for that answer.
 */
export function UndoDialog({ row, onClose, onDone }: { row: ChangeRow | null; onClose: () => void; onDone: (message: string) => void }) {
  const styles = useStyles();
  const plan = useUndoPlan(row?.entry.id ?? null);
  const undo = useUndoChange();
  const refused = plan.data?.refused ?? null;
  const close = () => {
    undo.reset();
    onClose();
  };
  const confirm = () => {
    if (!row) return;
    undo.mutate(row.entry.id, {
      onSuccess: (done) => {
        onDone(done.message);
        close();
      },
    });
  };
  const title = row ? `Undo “${ACTION_LABELS[row.entry.action.kind]}” on ${row.entry.target.name}?` : "";
  return (
    <ConfirmDialog
      open={row !== null}
      title={title}
      confirmLabel="Undo"
      pending={undo.isPending}
      confirmDisabled={!plan.data || refused !== null}
      error={undo.error}
      onConfirm={confirm}
      onCancel={close}
    >
      <div className={styles.content} data-testid="undo-plan">
        {plan.isPending && <Spinner size="tiny" label="Checking the directory as it is now…" />}
        {plan.isError && <ErrorMessageBar error={plan.error} title="Couldn't check whether this can be undone" />}
        {refused !== null && (
          <MessageBar intent="warning">
            <MessageBarBody data-testid="undo-refused">{refused}</MessageBarBody>
          </MessageBar>
        )}
        {plan.data?.what && (
          <>
            <Text data-testid="undo-what">{plan.data.what}</Text>
            <ShownRequests requests={plan.data.requests} />
          </>
        )}
      </div>
    </ConfirmDialog>
  );
}
