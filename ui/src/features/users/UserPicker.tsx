import { useMemo } from "react";
import { useUserWindow } from "../../api";
import { type Choice, SearchPicker } from "../../components/SearchPicker";
import { firstChoices, usePickerSearch } from "../../components/pickerSearch";

type Props = {
  selected: Choice[];
  onChange: (selected: Choice[]) => void;
  label: string;
  /** Left out of the list (e.g. people who already are members). */
  exclude?: ReadonlySet<string>;
  single?: boolean;
  disabled?: boolean;
  id?: string;
};

/** Pick people by name, sign-in name, email, department or city from the local copy (instant, no Graph request). */
export function UserPicker({ selected, onChange, label, exclude, single, disabled, id }: Props) {
  const { query, setQuery, copyQuery } = usePickerSearch();
  const users = useUserWindow(copyQuery);
  const options = useMemo(
    () =>
      firstChoices(users.data?.rows, (user) =>
        exclude?.has(user.id) ? null : { id: user.id, name: user.displayName ?? user.userPrincipalName ?? user.id, secondary: user.userPrincipalName },
      ),
    [users.data, exclude],
  );
  return (
    <SearchPicker
      id={id}
      selected={selected}
      onChange={onChange}
      query={query}
      onQueryChange={setQuery}
      options={options}
      loading={users.isPending}
      error={users.isError ? `Couldn't load people: ${users.error.message}` : undefined}
      inputLabel={label}
      placeholder="Type a name or sign-in name"
      noMatch={(q) => (q ? `Nobody matches “${q}”.` : "No people to choose from.")}
      single={single}
      disabled={disabled}
    />
  );
}
