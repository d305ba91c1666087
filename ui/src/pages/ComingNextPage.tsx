import { makeStyles, tokens } from "@fluentui/react-components";
import { WrenchRegular } from "@fluentui/react-icons";
import { EmptyState } from "../components/EmptyState";
import { PageHeader } from "../components/PageHeader";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1 },
});

/** An honest placeholder for an area that is not built yet: no sample data pretending to be real. */
export function ComingNextPage({ title, what }: { title: string; what: string }) {
  const styles = useStyles();
  return (
    <section className={styles.page}>
      <PageHeader title={title} />
      <EmptyState icon={<WrenchRegular />} title="Coming next">
        {what} isn't available in this version of Entra Desk yet. Use the Microsoft Entra admin center for this for now.
      </EmptyState>
    </section>
  );
}
