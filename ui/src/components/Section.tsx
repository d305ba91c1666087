import { Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  head: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXXS },
  heading: { margin: 0 },
  help: { color: tokens.colorNeutralForeground2 },
});

/** A titled panel of a page (a region named by its heading), with an optional line of help. */
export function Section({ id, title, help, children }: { id: string; title: string; help?: ReactNode; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <div className={styles.head}>
        <Subtitle2 as="h2" id={id} className={styles.heading}>
          {title}
        </Subtitle2>
        {help && <Text className={styles.help}>{help}</Text>}
      </div>
      {children}
    </section>
  );
}
