// The actions on a table's selection ("3 selected: Add to group… Block sign-in …"): each opens the
// bulk job dialog with the selected rows, read across the whole selection (select all included).

import { Text, Toolbar, makeStyles, tokens } from "@fluentui/react-components";
import {
  ArrowUndoRegular,
  DeleteRegular,
  KeyMultipleRegular,
  KeyRegular,
  LockClosedRegular,
  LockOpenRegular,
  MailAddRegular,
  PeopleTeamAddRegular,
  PeopleTeamDeleteRegular,
  PersonAddRegular,
  SignOutRegular,
} from "@fluentui/react-icons";
import type { ReactElement } from "react";
import type { DataTableModel } from "../../components/useDataTable";
import { WriteToolbarButton } from "../../components/WriteAccess";
import { useBulkJobs } from "./BulkJobs";
import type { Target } from "./BulkJobSteps";
import { ACTION_LABEL, type BulkAction, needsTarget } from "./words";

const useStyles = makeStyles({
  bar: {
    display: "flex",
    alignItems: "center",
    flexWrap: "wrap",
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
});

const ICONS: Record<BulkAction, ReactElement> = {
  addToGroup: <PeopleTeamAddRegular />,
  removeFromGroup: <PeopleTeamDeleteRegular />,
  assignLicence: <KeyRegular />,
  removeLicence: <KeyMultipleRegular />,
  block: <LockClosedRegular />,
  unblock: <LockOpenRegular />,
  revokeSessions: <SignOutRegular />,
  deleteUsers: <DeleteRegular />,
  restore: <ArrowUndoRegular />,
  deleteGroups: <DeleteRegular />,
  createUsers: <PersonAddRegular />,
  inviteGuests: <MailAddRegular />,
};

type Props<T> = {
  model: DataTableModel<T>;
  actions: readonly BulkAction[];
  idOf: (row: T) => string;
  /** What the rows are, plural ("people", "deleted items"). */
  noun: string;
  /** Labels that differ from the usual ones (e.g. "Remove from this group"). */
  labels?: Partial<Record<BulkAction, string>>;
  /** The group or licence, when the page is about one (no need to choose it). */
  target?: Target;
};

/** Shown while rows are selected. */
export function SelectionActions<T>({ model, actions, idOf, noun, labels, target }: Props<T>) {
  const styles = useStyles();
  const jobs = useBulkJobs();
  const count = model.selection.count;
  if (count === 0 || jobs === null) return null;
  const open = async (action: BulkAction) => {
    const rows = await model.selection.rows();
    jobs.start(action, rows.map(idOf), noun, target);
  };
  return (
    <Toolbar className={styles.bar} aria-label={`Actions on the ${noun} selected`} data-testid="selection-actions">
      <Text weight="semibold">{`${count.toLocaleString()} selected:`}</Text>
      {actions.map((action) => (
        <WriteToolbarButton key={action} icon={ICONS[action]} onClick={() => void open(action)}>
          {`${labels?.[action] ?? ACTION_LABEL[action]}${needsTarget(action) && !target ? "…" : ""}`}
        </WriteToolbarButton>
      ))}
    </Toolbar>
  );
}
