import { useMemo } from "react";
import { useGroupWindow } from "../../api";
import { type Choice, SearchPicker } from "../../components/SearchPicker";
import { firstChoices, usePickerSearch } from "../../components/pickerSearch";
import { GROUP_KINDS } from "./labels";

type Props = {
  selected: Choice[];
  onChange: (selected: Choice[]) => void;
  label: string;
  id?: string;
};

/** Pick security groups (to nest as members) by name from the local copy: Microsoft 365 groups can't be members of groups. */
export function SecurityGroupPicker({ selected, onChange, label, id }: Props) {
  const { query, setQuery, copyQuery } = usePickerSearch();
  const groups = useGroupWindow(copyQuery);
  const options = useMemo(
    () =>
      firstChoices(groups.data?.rows, (g) =>
        g.kind === "security"
          ? { id: g.id, name: g.displayName ?? g.id, secondary: `${GROUP_KINDS[g.kind].label} group${g.dynamic ? " · dynamic" : ""}` }
          : null,
      ),
    [groups.data],
  );
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
