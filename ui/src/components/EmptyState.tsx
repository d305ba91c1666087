import { Body1, Subtitle1, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    justifyContent: "center",
    textAlign: "center",
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXXL,
    color: tokens.colorNeutralForeground2,
    flex: 1,
  },
  icon: { fontSize: "48px", color: tokens.colorBrandForeground1 },
  text: { maxWidth: "520px", textAlign: "center" },
});

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.root} role="status">
      {icon && <span className={styles.icon}>{icon}</span>}
      <Subtitle1>{title}</Subtitle1>
      {children && <Body1 className={styles.text}>{children}</Body1>}
    </div>
  );
}
