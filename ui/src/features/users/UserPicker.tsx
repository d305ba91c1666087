import { useMemo, useState } from "react";
import { useUsers } from "../../api";
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

/** Pick people by name, sign-in name or email from the users already loaded (instant, no request per key). */
export function UserPicker({ selected, onChange, label, exclude, single, disabled, id }: Props) {
  const users = useUsers();
  const [query, setQuery] = useState("");
  const options = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const out: Choice[] = [];
    for (const user of users.data ?? []) {
      if (exclude?.has(user.id)) continue;
      const text = [user.displayName, user.userPrincipalName, user.mail].filter(Boolean).join(" ").toLowerCase();
      if (needle && !text.includes(needle)) continue;
      out.push({ id: user.id, name: user.displayName ?? user.userPrincipalName ?? user.id, secondary: user.userPrincipalName });
      if (out.length >= 50) break;
    }
    return out;
  }, [users.data, query, exclude]);
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
