import { Input, MessageBar, MessageBarBody, ToolbarButton, makeStyles } from "@fluentui/react-components";
import { PersonSearchRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { useFindPerson } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";

const useStyles = makeStyles({
  find: { width: "260px", maxWidth: "100%" },
});

/**
 * Find a person by object ID, sign-in name or any email address: `box` goes in the toolbar,
 * `messages` (nobody found, the lookup failed) above the table; `onFound` opens the person.
 */
export function useFindPersonBox(onFound: (id: string) => void) {
  const styles = useStyles();
  const [findKey, setFindKey] = useState("");
  const [notFound, setNotFound] = useState<string | null>(null);
  const find = useFindPerson();

  const findPerson = () => {
    const key = findKey.trim();
    if (!key) return;
    setNotFound(null);
    find.mutate(key, {
      onSuccess: (person) => {
        if (person) onFound(person.id);
        else setNotFound(`Nobody in the directory has “${key}” as their object ID, sign-in name or email address.`);
      },
    });
  };

  const box = (
    <Input
      className={styles.find}
      aria-label="Find a person by ID, sign-in name or email"
      placeholder="Find a person: ID, sign-in name or email"
      value={findKey}
      onChange={(_, d) => setFindKey(d.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") findPerson();
      }}
      contentAfter={<ToolbarButton aria-label="Find" icon={<PersonSearchRegular />} onClick={findPerson} disabled={find.isPending} />}
    />
  );
  const messages = (
    <>
      {find.isError && <ErrorMessageBar error={find.error} title="Couldn't look the person up" />}
      {notFound && (
        <MessageBar intent="info">
          <MessageBarBody>{notFound}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
  return { box, messages };
}
