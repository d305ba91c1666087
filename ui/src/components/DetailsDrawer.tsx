import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  body: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL, paddingBottom: tokens.spacingVerticalXXL },
});

/** A panel from the right with one object's details and actions; Escape or ✕ closes it. */
export function DetailsDrawer({ open, title, onClose, children }: { open: boolean; title: ReactNode; onClose: () => void; children: ReactNode }) {
  const styles = useStyles();
  return (
    <OverlayDrawer open={open} position="end" size="medium" modalType="non-modal" onOpenChange={(_, data) => !data.open && onClose()}>
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={onClose} />}>
          {title}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>{children}</DrawerBody>
    </OverlayDrawer>
  );
}

const usePropStyles = makeStyles({
  list: {
    display: "grid",
    gridTemplateColumns: "minmax(120px, max-content) 1fr",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, overflowWrap: "anywhere" },
  muted: { color: tokens.colorNeutralForeground4 },
});

/** Label/value pairs; empty values read "Not set". */
export function PropertyList({ items }: { items: ReadonlyArray<[string, ReactNode]> }) {
  const styles = usePropStyles();
  return (
    <dl className={styles.list}>
      {items.map(([label, value]) => (
        <div key={label} style={{ display: "contents" }}>
          <dt className={styles.term}>{label}</dt>
          <dd className={styles.value}>{value === null || value === undefined || value === "" ? <span className={styles.muted}>Not set</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}
