import { Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { UseMutationResult } from "@tanstack/react-query";
import type { AppError } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { plural } from "../../lib/format";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, maxHeight: "160px", overflowY: "auto" },
  muted: { color: tokens.colorNeutralForeground2 },
});

type Props<V> = {
  search: UseMutationResult<unknown[], AppError, V>;
  rows: { id: string; name: string; detail: string | null }[];
  noun: { one: string; many: string };
  onOpen: (id: string) => void;
};

/** What "Search in Microsoft Graph" found (live), each opening its details. */
export function GraphResults<V>({ search, rows, noun, onOpen }: Props<V>) {
  const styles = useStyles();
  if (search.isIdle) return null;
  if (search.isError) return <ErrorMessageBar error={search.error} title="Microsoft Graph could not run the search" />;
  if (search.isPending) return <Text className={styles.muted}>Searching in Microsoft Graph…</Text>;
  return (
    <section className={styles.root} aria-label="Found in Microsoft Graph">
      <Text weight="semibold">
        Found in Microsoft Graph: {plural(rows.length, noun.one, noun.many)}
      </Text>
      <ul className={styles.list}>
        {rows.map((r) => (
          <li key={r.id}>
            <Link onClick={() => onOpen(r.id)}>{r.name}</Link>
            {r.detail && <Text className={styles.muted}> · {r.detail}</Text>}
          </li>
        ))}
      </ul>
    </section>
  );
}
