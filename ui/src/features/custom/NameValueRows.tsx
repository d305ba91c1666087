import { Button, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, DismissRegular } from "@fluentui/react-icons";
import type { Row } from "./request";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "center" },
  name: { flex: "0 1 240px", minWidth: 0 },
  value: { flex: 1, minWidth: 0 },
  add: { alignSelf: "flex-start" },
});

type Props = {
  /** "Query parameters", "Headers": the field's label. */
  label: string;
  /** "query parameter", "header": names each row's controls ("Name of header 2"). */
  noun: string;
  hint: string;
  namePlaceholder: string;
  valuePlaceholder: string;
  rows: Row[];
  error?: string;
  onChange: (rows: Row[]) => void;
};

/** Name/value rows that can be added and removed (query parameters, headers). */
export function NameValueRows({ label, noun, hint, namePlaceholder, valuePlaceholder, rows, error, onChange }: Props) {
  const styles = useStyles();
  const set = (index: number, row: Row) => onChange(rows.map((r, i) => (i === index ? row : r)));
  return (
    <Field label={label} hint={hint} validationMessage={error}>
      <div className={styles.list}>
        {rows.map((row, index) => (
          <div key={index} className={styles.row}>
            <Input
              className={styles.name}
              aria-label={`Name of ${noun} ${index + 1}`}
              placeholder={namePlaceholder}
              value={row.name}
              spellCheck={false}
              onChange={(_, d) => set(index, { ...row, name: d.value })}
            />
            <Input
              className={styles.value}
              aria-label={`Value of ${noun} ${index + 1}`}
              placeholder={valuePlaceholder}
              value={row.value}
              spellCheck={false}
              onChange={(_, d) => set(index, { ...row, value: d.value })}
            />
            <Button
              appearance="subtle"
              icon={<DismissRegular />}
              aria-label={`Remove ${noun} ${index + 1}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            />
          </div>
        ))}
        <Button className={styles.add} size="small" icon={<AddRegular />} onClick={() => onChange([...rows, { name: "", value: "" }])}>
          Add {noun}
        </Button>
      </div>
    </Field>
  );
}
