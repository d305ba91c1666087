import { Button, Dropdown, Field, Input, Option, Text, ToolbarButton, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular, DismissRegular, FilterRegular, GlobeSearchRegular } from "@fluentui/react-icons";
import type { UseMutationResult } from "@tanstack/react-query";
import { useState } from "react";
import type { AppError, CriterionOp, DirectoryQuery, LocalCriterion, PreviewAction, SearchForm } from "../../api";
import { ShowRequest } from "../../components/ShowRequest";
import { plural } from "../../lib/format";
import { GraphResults } from "./GraphResults";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  actions: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "center" },
  muted: { color: tokens.colorNeutralForeground2 },
});

export const OPERATORS: { op: CriterionOp; label: string }[] = [
  { op: "equals", label: "equals" },
  { op: "startsWith", label: "starts with" },
  { op: "any", label: "any of its values equals" },
];

type Props<Row> = {
  /** Properties offered, with their labels; `list` ones hold several values (other mails, proxy addresses). */
  properties: { property: string; label: string; list?: boolean }[];
  criteria: LocalCriterion[];
  onChange: (criteria: LocalCriterion[]) => void;
  /** The table over the local copy: what it sends (criteria with a value only) and how many match. */
  table: { query: DirectoryQuery; isFetching: boolean; count: number; search?: string };
  /** What the rows are, one and many: person, people. */
  noun: { one: string; many: string };
  /** "Search in Microsoft Graph" (live), and how a row it finds is named. */
  graphSearch: UseMutationResult<Row[], AppError, SearchForm>;
  /** Which search "Show the request" runs (Search Users or Search Groups). */
  previewAs: "searchUsers" | "searchGroups";
  describe: (row: Row) => { id: string; name: string; detail: string | null };
  onOpen: (id: string) => void;
};

/** One criterion: property, operator, value, and Remove. */
function CriterionRow({
  index,
  criterion: c,
  properties,
  onChange,
  onRemove,
}: {
  index: number;
  criterion: LocalCriterion;
  properties: Props<unknown>["properties"];
  onChange: (change: Partial<LocalCriterion>) => void;
  onRemove: () => void;
}) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Field label="Property">
        <Dropdown
          aria-label={`Criterion ${index + 1} property`}
          value={properties.find((p) => p.property === c.property)?.label ?? c.property}
          selectedOptions={[c.property]}
          onOptionSelect={(_, d) => d.optionValue && onChange({ property: d.optionValue })}
        >
          {properties.map((p) => (
            <Option key={p.property} value={p.property}>
              {p.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Operator">
        <Dropdown
          aria-label={`Criterion ${index + 1} operator`}
          value={OPERATORS.find((o) => o.op === c.op)?.label ?? c.op}
          selectedOptions={[c.op]}
          onOptionSelect={(_, d) => d.optionValue && onChange({ op: d.optionValue as CriterionOp })}
        >
          {OPERATORS.map((o) => (
            <Option key={o.op} value={o.op}>
              {o.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Value">
        <Input aria-label={`Criterion ${index + 1} value`} value={c.value} onChange={(_, d) => onChange({ value: d.value })} />
      </Field>
      <Button
        aria-label={`Remove criterion ${index + 1}`}
        icon={<DismissRegular />}
        onClick={onRemove}
      />
    </div>
  );
}

/**
 * Search Users / Search Groups: property + operator + value, every criterion must hold; run on the
 * local copy as you type, with "Search in Microsoft Graph" for what the copy does not keep.
 */
export function AdvancedSearch<Row>({
  properties,
  criteria,
  onChange,
  table,
  noun,
  graphSearch,
  previewAs,
  describe,
  onOpen,
}: Props<Row>) {
  const styles = useStyles();
  const { query } = table;
  const matches = table.isFetching || query.criteria.length === 0 ? null : table.count;
  // What the panel and the search box hold now: the table's query follows the typing 100 ms later, and a
  // click that quick must not search Graph with the words as they were before the last keystrokes.
  const graphForm = (): SearchForm => {
    const current = criteria.filter((c) => c.value.trim() !== "");
    return {
      text: table.search === undefined ? query.text : table.search.trim() || null,
      criteria: current.map((c) => ({ property: c.property, value: c.value.trim() })),
      startsWith: current.some((c) => c.op === "startsWith"),
      firstOnly: false,
    };
  };
  const searchGraph = () => graphSearch.mutate(graphForm());
  const update = (index: number, change: Partial<LocalCriterion>) =>
    onChange(criteria.map((c, i) => (i === index ? { ...c, ...change } : c)));
  return (
    <section className={styles.root} aria-label="Advanced search">
      {criteria.map((c, index) => (
        <CriterionRow
          key={index}
          index={index}
          criterion={c}
          properties={properties}
          onChange={(change) => update(index, change)}
          onRemove={() => onChange(criteria.filter((_, i) => i !== index))}
        />
      ))}
      <div className={styles.actions}>
        <Button
          icon={<AddRegular />}
          onClick={() => {
            const first = properties[0];
            if (first) onChange([...criteria, { property: first.property, op: first.list ? "any" : "equals", value: "" }]);
          }}
        >
          Add a criterion
        </Button>
        <Button icon={<GlobeSearchRegular />} onClick={searchGraph} disabled={graphSearch.isPending || criteria.length === 0}>
          Search in Microsoft Graph
        </Button>
        <Text className={styles.muted} aria-live="polite">
          {criteria.length === 0
            ? "Add a criterion to narrow the list."
            : matches === null
              ? "Searching…"
              : `${plural(matches, noun.one, noun.many)} ${matches === 1 ? "matches" : "match"} in the local copy`}
        </Text>
      </div>
      {criteria.length > 0 && <ShowRequest action={(): PreviewAction => (previewAs === "searchUsers" ? { action: "searchUsers", search: graphForm() } : { action: "searchGroups", search: graphForm() })} />}
      <GraphResults search={graphSearch} rows={(graphSearch.data ?? []).map(describe)} noun={noun} onOpen={onOpen} />
    </section>
  );
}


/**
 * Advanced search's state for a page: the criteria (give them to useWindowedTable), whether the panel is
 * open, its toolbar button, and the props the panel shares with the page.
 */
export function useAdvancedSearch() {
  const [open, setOpen] = useState(false);
  const [criteria, setCriteria] = useState<LocalCriterion[]>([]);
  return {
    criteria,
    open,
    button: (
      <ToolbarButton icon={<FilterRegular />} aria-pressed={open} onClick={() => setOpen((o) => !o)}>
        Advanced search
      </ToolbarButton>
    ),
    panel: { criteria, onChange: setCriteria },
  };
}
