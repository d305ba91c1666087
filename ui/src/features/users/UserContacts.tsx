import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Spinner,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { Fragment, useState } from "react";
import { DRAWER_SECTION } from "../../components/drawerStyles";
import { Controller, type UseFormReturn, useForm } from "react-hook-form";
import { z } from "zod";
import {
  type ContactFolder,
  type ContactResultSet,
  type ContactRow,
  type ContactSearch,
  type PreviewAction,
  type UserDetails,
  useContactFolders,
  useContactSearch,
  useCreateContact,
} from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { ShowRequest } from "../../components/ShowRequest";
import { plural } from "../../lib/format";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import {
  ADDRESSES,
  ADDRESS_PARTS,
  CONTACT_ALIASES,
  CONTACT_FIELD_NAMES,
  CONTACT_SECTIONS,
  type ContactField,
  type ContactValues,
  contactFrom,
  contactProblems,
  emptyContact,
} from "./contactFields";
import { WriteButton } from "../../components/WriteAccess";

const useStyles = makeStyles({
  ...DRAWER_SECTION,
  grow: { flex: 1, minWidth: "180px" },
  form: {
    display: "grid",
    gridTemplateColumns: "1fr 1fr",
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  full: { gridColumn: "1 / -1" },
  actions: { gridColumn: "1 / -1", display: "flex", columnGap: tokens.spacingHorizontalS },
  sectionTitle: { margin: 0, marginTop: tokens.spacingVerticalS },
  fieldset: {
    display: "grid",
    gridTemplateColumns: "1fr 1fr",
    gap: tokens.spacingHorizontalM,
    margin: 0,
    padding: tokens.spacingVerticalS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  legend: { padding: `0 ${tokens.spacingHorizontalXS}`, color: tokens.colorNeutralForeground2 },
  // The drawer is narrow: a long email address wraps inside its column instead of running over the next one.
  cell: { overflowWrap: "anywhere" },
});

/** The folder tree (two levels below the Contacts folder) as one flat, indented list. */
function flatten(folders: ContactFolder[], depth = 0): Array<{ id: string; label: string }> {
  return folders.flatMap((f) => [
    { id: f.id, label: `${"\u00a0\u00a0\u00a0".repeat(depth)}${f.displayName ?? "(no name)"}` },
    ...flatten(f.childFolders, depth + 1),
  ]);
}

function contactName(c: ContactRow): string {
  return c.displayName ?? ([c.givenName, c.surname].filter(Boolean).join(" ") || c.id);
}

const schema = z.custom<ContactValues>().superRefine((v, ctx) => {
  for (const p of contactProblems(v)) ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
});

/** One field of the contact form, drawn by its kind (a line, a list on one line, a date, notes). */
function ContactFieldInput({ form, field: f }: { form: UseFormReturn<ContactValues>; field: ContactField }) {
  const styles = useStyles();
  return (
    <Controller
      control={form.control}
      name={f.name}
      render={({ field, fieldState }) => (
        <Field
          className={f.kind === "notes" || f.kind === "list" ? styles.full : undefined}
          label={f.label}
          required={f.required}
          validationMessage={fieldState.error?.message}
          hint={fieldState.error ? undefined : f.hint}
        >
          {f.kind === "notes" ? (
            <Textarea name={field.name} ref={field.ref} value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
          ) : (
            <Input
              placeholder={f.kind === "date" ? "1990-05-17" : undefined}
              name={field.name}
              ref={field.ref}
              value={field.value}
              onChange={(_, d) => field.onChange(d.value)}
              onBlur={field.onBlur}
            />
          )}
        </Field>
      )}
    />
  );
}

/** An address: street, city, state, postal code and country, each its own field. */
function AddressInput({ form, name, label }: { form: UseFormReturn<ContactValues>; name: (typeof ADDRESSES)[number]["name"]; label: string }) {
  const styles = useStyles();
  return (
    <fieldset className={mergeClasses(styles.full, styles.fieldset)}>
      <legend className={styles.legend}>{label}</legend>
      {ADDRESS_PARTS.map((part) => (
        <Controller
          key={part.name}
          control={form.control}
          name={`${name}.${part.name}`}
          render={({ field, fieldState }) => (
            <Field label={`${part.label} (${label.toLowerCase()})`} validationMessage={fieldState.error?.message}>
              <Input name={field.name} ref={field.ref} value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
            </Field>
          )}
        />
      ))}
    </fieldset>
  );
}

/** Create Contact: every property of the card, in sections; checked as typed here and again in Rust before sending. */
function NewContactForm({
  userId,
  folderId,
  folderLabel,
  onCreated,
  onCancel,
}: {
  userId: string;
  folderId: string | null;
  folderLabel: string;
  onCreated: (contact: ContactRow) => void;
  onCancel: () => void;
}) {
  const styles = useStyles();
  const create = useCreateContact();
  const form = useForm<ContactValues>({ resolver: zodResolver(schema), mode: "onTouched", defaultValues: emptyContact() });
  const submit = form.handleSubmit((v) => {
    create.mutate(
      { userId, folderId, contact: contactFrom(v) },
      { onSuccess: onCreated, onError: (error) => showFieldError(form, error, CONTACT_FIELD_NAMES, CONTACT_ALIASES) },
    );
  });
  // Read at the click: what Create contact would send now (nothing while the form has a mistake).
  const pendingAction = (): PreviewAction | null => {
    const values = form.getValues();
    return schema.safeParse(values).success ? { action: "createContact", userId, folderId, contact: contactFrom(values) } : null;
  };
  return (
    <form className={styles.form} aria-label="New contact" noValidate onSubmit={(e) => void submit(e)}>
      <Text className={mergeClasses(styles.full, styles.secondary)}>Saved in the folder “{folderLabel}”.</Text>
      {CONTACT_SECTIONS.map((section) => (
        <Fragment key={section.title}>
          <Text as="h4" weight="semibold" className={mergeClasses(styles.full, styles.sectionTitle)}>
            {section.title}
          </Text>
          {section.fields.map((f) => (
            <ContactFieldInput key={f.name} form={form} field={f} />
          ))}
        </Fragment>
      ))}
      <Text as="h4" weight="semibold" className={mergeClasses(styles.full, styles.sectionTitle)}>
        Addresses
      </Text>
      {ADDRESSES.map((a) => (
        <AddressInput key={a.name} form={form} name={a.name} label={a.label} />
      ))}
      {create.isError && !isFieldError(create.error, CONTACT_FIELD_NAMES, CONTACT_ALIASES) && (
        <div className={styles.full}>
          <ErrorMessageBar error={create.error} title="Couldn't create the contact" />
        </div>
      )}
      <div className={styles.full}>
        <ShowRequest action={pendingAction} />
      </div>
      <div className={styles.actions}>
        <WriteButton type="submit" appearance="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create contact"}
        </WriteButton>
        <Button onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

const RESULT_SETS: { value: ContactResultSet; label: string }[] = [
  { value: "first", label: "The first match" },
  { value: "first200", label: "The first 200 matches" },
  { value: "all", label: "All matches" },
];

function Results({ contacts, name }: { contacts: ContactRow[]; name: string }) {
  const styles = useStyles();
  return (
    <Table size="small" aria-label={`Contacts found in ${name}'s mailbox`}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Email</TableHeaderCell>
          <TableHeaderCell>Company</TableHeaderCell>
          <TableHeaderCell>Phone</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {contacts.map((c) => (
          <TableRow key={c.id}>
            <TableCell className={styles.cell}>{contactName(c)}</TableCell>
            <TableCell className={styles.cell}>{c.emails.join(", ")}</TableCell>
            <TableCell className={styles.cell}>{[c.companyName, c.jobTitle].filter(Boolean).join(" · ")}</TableCell>
            <TableCell className={styles.cell}>{c.mobilePhone ?? c.businessPhones[0] ?? ""}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** What a search found: a spinner, Graph's refusal, "nothing matches", or the table with how many were kept. */
function SearchOutcome({ found, search, name }: { found: ReturnType<typeof useContactSearch>; search: ContactSearch; name: string }) {
  const styles = useStyles();
  if (found.isError) return <ErrorMessageBar error={found.error} title="Couldn't search the contacts" />;
  if (!found.isSuccess) return <Spinner size="tiny" label="Searching…" />;
  const { contacts, more } = found.data;
  return (
    <>
      {found.isFetching && <Spinner size="tiny" label="Searching…" />}
      {!found.isFetching && contacts.length === 0 && <Text className={styles.secondary}>No contact matches “{search.text}”.</Text>}
      {contacts.length > 0 && (
        <>
          <Text className={styles.secondary} aria-live="polite">
            {more
              ? `More contacts match: showing the first ${contacts.length === 1 ? "one" : contacts.length.toLocaleString()}. Choose All matches to see every one.`
              : `${plural(contacts.length, "contact")} found.`}
          </Text>
          <Results contacts={contacts} name={name} />
        </>
      )}
    </>
  );
}

type FolderChoice = { id: string; label: string };

/**
 * Search Contacts' form: the folder (shared with New contact), the words, how many results, subfolders; and
 * "Show the request" for what it reads.
 */
function ContactSearchForm({
  userId,
  choices,
  folderId,
  folderText,
  onFolder,
  onSearch,
}: {
  userId: string;
  choices: FolderChoice[];
  folderId: string | null;
  folderText: string;
  onFolder: (folderId: string | null) => void;
  onSearch: (search: ContactSearch) => void;
}) {
  const styles = useStyles();
  const [includeChildFolders, setIncludeChildFolders] = useState(true);
  const [resultSet, setResultSet] = useState<ContactResultSet>("first200");
  const [text, setText] = useState("");
  return (
    <>
      <form
        className={styles.row}
        role="search"
        aria-label="Search contacts"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) onSearch({ folderId, text: text.trim(), includeChildFolders, resultSet });
        }}
      >
        <Field label="Folder">
          <Dropdown value={folderText} selectedOptions={[folderId ?? ""]} onOptionSelect={(_, d) => onFolder(d.optionValue ? d.optionValue : null)}>
            {choices.map((c) => (
              <Option key={c.id} value={c.id} text={c.label.trim()}>
                {c.label}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Search for" hint="The start of a name or company, or a whole email address." className={styles.grow}>
          <Input value={text} onChange={(_, d) => setText(d.value)} placeholder="e.g. Pavel or pavelb@contoso.com" />
        </Field>
        <Field label="Results">
          <Dropdown
            value={RESULT_SETS.find((r) => r.value === resultSet)?.label ?? ""}
            selectedOptions={[resultSet]}
            onOptionSelect={(_, d) => setResultSet((d.optionValue as ContactResultSet | undefined) ?? "first200")}
          >
            {RESULT_SETS.map((r) => (
              <Option key={r.value} value={r.value}>
                {r.label}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button type="submit" appearance="primary" disabled={!text.trim()}>
          Search
        </Button>
        <Checkbox checked={includeChildFolders} onChange={(_, d) => setIncludeChildFolders(d.checked === true)} label="Also search two levels of subfolders" />
      </form>
      <ShowRequest
        action={() => (text.trim() ? { action: "searchContacts", userId, folderId, text: text.trim(), includeChildFolders, resultSet } : null)}
      />
    </>
  );
}

/** A person's contacts: the search (its folder shared with New contact), what it found, and New contact. */
function ContactsBody({ user, onDone }: { user: UserDetails; onDone: (message: string) => void }) {
  const styles = useStyles();
  const name = user.displayName ?? user.userPrincipalName ?? user.id;
  const folders = useContactFolders(user.id);
  const [folderId, setFolderId] = useState<string | null>(null);
  const [search, setSearch] = useState<ContactSearch | null>(null);
  const [creating, setCreating] = useState(false);
  const found = useContactSearch(search ? user.id : null, search ?? { folderId: null, text: "", includeChildFolders: false, resultSet: "first" });
  const choices = [{ id: "", label: "Contacts (the default folder)" }, ...flatten(folders.data ?? [])];
  const folderLabel = choices.find((c) => c.id === (folderId ?? ""))?.label.trim() ?? "Contacts";

  return (
    <>
      <Text className={styles.secondary}>
        Outlook contacts in {name}'s mailbox. Another person's contacts can be read only if they shared their contacts folder
        with you, or your organization gave Entra Desk access to mailboxes.
      </Text>
      {folders.isError && <ErrorMessageBar error={folders.error} title="Couldn't read the contact folders" />}
      <ContactSearchForm
        userId={user.id}
        choices={choices}
        folderId={folderId}
        folderText={folders.isPending ? "Loading folders…" : folderLabel}
        onFolder={setFolderId}
        onSearch={setSearch}
      />
      {search && <SearchOutcome found={found} search={search} name={name} />}
      {creating ? (
        <NewContactForm
          userId={user.id}
          folderId={folderId}
          folderLabel={folderLabel}
          onCancel={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            onDone(`${contactName(c)} was added to ${name}'s contacts.`);
          }}
        />
      ) : (
        <div>
          <WriteButton onClick={() => setCreating(true)}>New contact</WriteButton>
        </div>
      )}
    </>
  );
}

/**
 * A person's Outlook contacts (their mailbox, not the directory): folders, search, New contact.
 * Opened on request, so opening someone's details never touches their mailbox.
 */
export function UserContacts({ user, onDone }: { user: UserDetails; onDone: (message: string) => void }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  return (
    <section className={styles.section} aria-labelledby="user-contacts">
      <Subtitle2 as="h3" id="user-contacts" className={styles.heading}>
        Contacts
      </Subtitle2>
      {open ? (
        <ContactsBody user={user} onDone={onDone} />
      ) : (
        <div>
          <Button onClick={() => setOpen(true)}>Show Outlook contacts</Button>
        </div>
      )}
    </section>
  );
}
