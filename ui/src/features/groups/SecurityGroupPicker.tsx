import { useMemo, useState } from "react";
import { useGroupWindow } from "../../api";
import { type Choice, SearchPicker } from "../../components/SearchPicker";
import { useDebounced } from "../../lib/useDebounced";
import { GROUP_KINDS } from "./labels";

type Props = {
  selected: Choice[];
  onChange: (selected: Choice[]) => void;
  label: string;
  id?: string;
};

/** Pick security groups (to nest as members) by name from the local copy: Microsoft 365 groups can't be members of groups. */
export function SecurityGroupPicker({ selected, onChange, label, id }: Props) {
  const [query, setQuery] = useState("");
  const text = useDebounced(query.trim(), 100);
  const groups = useGroupWindow({ text: text || null, criteria: [], sort: null, descending: false, offset: 0, limit: 60 });
  const options = useMemo(() => {
    const out: Choice[] = [];
    for (const g of groups.data?.rows ?? []) {
      if (g.kind !== "security") continue;
      out.push({ id: g.id, name: g.displayName ?? g.id, secondary: `${GROUP_KINDS[g.kind].label} group${g.dynamic ? " · dynamic" : ""}` });
      if (out.length >= 50) break;
    }
    return out;
  }, [groups.data]);
  return (
    <SearchPicker
      id={id}
      selected={selected}
      onChange={onChange}
      query={query}
      onQueryChange={setQuery}
      options={options}
      loading={groups.isPending}
      error={groups.isError ? `Couldn't load groups: ${groups.error.message}` : undefined}
      inputLabel={label}
      placeholder="Type a group name"
      noMatch={(q) => (q ? `No security group matches “${q}”.` : "No security groups to choose from.")}
    />
  );
}
