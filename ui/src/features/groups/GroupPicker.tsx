import { useState } from "react";
import { type GroupChoice, useWatchGroupSearch } from "../../api";
import { SearchPicker } from "../../components/SearchPicker";
import { useDebounced } from "../../lib/useDebounced";

type Props = {
  selected: GroupChoice[];
  onChange: (selected: GroupChoice[]) => void;
  /** The input's accessible name. */
  label: string;
  disabled?: boolean;
};

/** Pick groups by name from the local copy, searched as you type (as many as you like). */
export function GroupPicker({ selected, onChange, label, disabled = false }: Props) {
  const [query, setQuery] = useState("");
  const search = useWatchGroupSearch(useDebounced(query.trim()), !disabled);
  return (
    <SearchPicker
      selected={selected}
      onChange={onChange}
      query={query}
      onQueryChange={setQuery}
      options={search.data}
      loading={search.isFetching}
      error={search.isError ? `Couldn't search groups: ${search.error.message}` : undefined}
      inputLabel={label}
      placeholder="Search groups by name"
      noMatch={(q) => (q ? `No groups match “${q}”.` : "No groups in the directory yet.")}
      disabled={disabled}
    />
  );
}
