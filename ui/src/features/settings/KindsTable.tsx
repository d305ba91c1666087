import {
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { EventKind, KindSetting } from "../../api";
import { kindLabel } from "../activity/labels";

/** What each kind means, in the words of someone looking after the directory. */
export const KIND_HELP: Record<EventKind, string> = {
  userCreated: "Someone added a new user account.",
  userUpdated: "A user's properties changed: name, department, job title, enabled or disabled…",
  userDeleted: "A user was deleted (restorable for 30 days) or removed for good.",
  userRestored: "A deleted user came back from the recycle bin.",
  groupCreated: "A new group was created.",
  groupUpdated: "A group's name, description or other properties changed.",
  groupDeleted: "A group was deleted.",
  groupRestored: "A deleted group came back.",
  memberAdded: "A user, group or contact was added to a group.",
  memberRemoved: "A member was removed from a group.",
};

const useStyles = makeStyles({
  table: { maxWidth: "760px" },
  name: { display: "flex", flexDirection: "column", rowGap: "2px", paddingBlock: tokens.spacingVerticalS },
  help: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  switchCol: { width: "120px" },
});

type Props = { kinds: KindSetting[]; onChange: (index: number, next: KindSetting) => void };

/** One row per kind of change: show it in Activity, and announce it in a desktop notification. */
export function KindsTable({ kinds, onChange }: Props) {
  const styles = useStyles();
  return (
    <Table className={styles.table} aria-label="Kinds of change" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Change</TableHeaderCell>
          <TableHeaderCell className={styles.switchCol}>Show in Activity</TableHeaderCell>
          <TableHeaderCell className={styles.switchCol}>Notify me</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {kinds.map((setting, index) => {
          const label = kindLabel(setting.kind);
          return (
            <TableRow key={setting.kind}>
              <TableCell>
                <div className={styles.name}>
                  <span>{label}</span>
                  <span className={styles.help}>{KIND_HELP[setting.kind]}</span>
                </div>
              </TableCell>
              <TableCell className={styles.switchCol}>
                <Switch
                  aria-label={`Show ${label}`}
                  checked={setting.enabled}
                  onChange={(_, data) => onChange(index, { ...setting, enabled: data.checked })}
                />
              </TableCell>
              <TableCell className={styles.switchCol}>
                <Switch
                  aria-label={`Notify ${label}`}
                  title={setting.enabled ? undefined : "Turn on “Show in Activity” first"}
                  checked={setting.enabled && setting.notify}
                  disabled={!setting.enabled}
                  onChange={(_, data) => onChange(index, { ...setting, notify: data.checked })}
                />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
