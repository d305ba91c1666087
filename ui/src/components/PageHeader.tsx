import { Body1, Title2, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  title: { margin: 0 },
  description: { color: tokens.colorNeutralForeground2 },
});

export function PageHeader({ title, description }: { title: string; description?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <Title2 as="h1" className={styles.title}>{title}</Title2>
      {description && <Body1 className={styles.description}>{description}</Body1>}
    </div>
  );
}
