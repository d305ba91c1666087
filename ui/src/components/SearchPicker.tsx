import {
  Spinner,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ReactNode } from "react";

export type Choice = { id: string; name: string; secondary?: string | null };

const useStyles = makeStyles({
  control: { minWidth: "320px", maxWidth: "640px" },
  hint: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, color: tokens.colorNeutralForeground2 },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

type Props = {
  /** What is chosen, in the order chosen; shown as removable tags. */
  selected: Choice[];
  onChange: (selected: Choice[]) => void;
  /** The text typed in the search box (the parent runs the search with it). */
  query: string;
  onQueryChange: (query: string) => void;
  /** Search results for `query`; already-chosen ones are left out of the list. */
  options: Choice[] | undefined;
  loading?: boolean;
  /** Shown in the list when the search failed. */
  error?: ReactNode;
  inputLabel: string;
  placeholder?: string;
  /** "No groups match …" */
  noMatch: (query: string) => string;
  disabled?: boolean;
  /** Pick one only (a manager); the input then replaces the choice. */
  single?: boolean;
  id?: string;
};

/**
 * A searchable multi-select over a Rust-side search: type part of a name, pick from the list, and the
 * choices show as tags that a click (or Backspace/Delete) removes. Several can be added in a row.
 */
export function SearchPicker(props: Props) {
  const { selected, onChange, query, onQueryChange, options, loading, error, inputLabel, placeholder, noMatch, disabled, single } =
    props;
  const styles = useStyles();
  const chosen = new Set(selected.map((c) => c.id));
  const known = new Map<string, Choice>([...selected, ...(options ?? [])].map((c) => [c.id, c]));
  const listed = (options ?? []).filter((c) => !chosen.has(c.id));

  return (
    <TagPicker
      disabled={disabled}
      selectedOptions={selected.map((c) => c.id)}
      onOptionSelect={(_, data) => {
        const next = data.selectedOptions.map((id) => known.get(id)).filter((c): c is Choice => c !== undefined);
        onChange(single ? next.filter((c) => c.id === data.value).slice(0, 1) : next);
        onQueryChange("");
      }}
    >
      <TagPickerControl className={styles.control}>
        <TagPickerGroup aria-label={`Chosen: ${inputLabel}`}>
          {selected.map((choice) => (
            <Tag key={choice.id} value={choice.id} shape="rounded" title={`Remove ${choice.name}`} aria-label={`Remove ${choice.name}`}>
              {choice.name}
            </Tag>
          ))}
        </TagPickerGroup>
        <TagPickerInput
          id={props.id}
          aria-label={inputLabel}
          placeholder={selected.length === 0 ? placeholder : undefined}
          value={query}
          onChange={(event) => onQueryChange(event.target.value)}
        />
      </TagPickerControl>
      <TagPickerList>
        {error ? (
          <div className={styles.hint} role="alert">
            {error}
          </div>
        ) : loading && listed.length === 0 ? (
          <div className={styles.hint}>
            <Spinner size="extra-tiny" label="Searching…" />
          </div>
        ) : listed.length === 0 ? (
          <div className={styles.hint}>{noMatch(query)}</div>
        ) : (
          listed.map((choice) => (
            <TagPickerOption
              key={choice.id}
              value={choice.id}
              text={choice.name}
              secondaryContent={choice.secondary ? <span className={styles.secondary}>{choice.secondary}</span> : undefined}
            >
              {choice.name}
            </TagPickerOption>
          ))
        )}
      </TagPickerList>
    </TagPicker>
  );
}
