import { useMemo, useState } from "react";
import { useUserWindow } from "../../api";
import { useDebounced } from "../../lib/useDebounced";
import { type Choice, SearchPicker } from "../../components/SearchPicker";

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
  const [query, setQuery] = useState("");
  const text = useDebounced(query.trim(), 100);
  const users = useUserWindow({ text: text || null, criteria: [], sort: null, descending: false, offset: 0, limit: 60 });
  const options = useMemo(() => {
    const out: Choice[] = [];
    for (const user of users.data?.rows ?? []) {
      if (exclude?.has(user.id)) continue;
      out.push({ id: user.id, name: user.displayName ?? user.userPrincipalName ?? user.id, secondary: user.userPrincipalName });
      if (out.length >= 50) break;
    }
    return out;
  }, [users.data, exclude]);
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
