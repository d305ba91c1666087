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
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, type UseFormReturn, useForm } from "react-hook-form";
import { z } from "zod";
import {
  type ContactFolder,
  type ContactRow,
  type ContactSearch,
  type UserDetails,
  useContactFolders,
  useContactSearch,
  useCreateContact,
} from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import { WriteButton } from "../../components/WriteAccess";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
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

// Outlook needs a given name; everything else is optional. Emails: one or more, separated by commas.
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const schema = z.object({
  givenName: z.string().trim().min(1, "Enter the contact's first name."),
  surname: z.string(),
  emails: z
    .string()
    .refine(
      (v) => v.split(/[,;]/).map((e) => e.trim()).filter(Boolean).every((e) => EMAIL.test(e)),
      "Use email addresses like kim@fabrikam.com, separated by commas.",
    ),
  companyName: z.string(),
  jobTitle: z.string(),
  mobilePhone: z.string(),
});
type Form = z.infer<typeof schema>;
const FIELDS = ["givenName", "surname", "emails", "companyName", "jobTitle", "mobilePhone"] as const;
const blank = (v: string) => (v.trim() === "" ? null : v.trim());

function TextField({ form, name, label, required }: { form: UseFormReturn<Form>; name: (typeof FIELDS)[number]; label: string; required?: boolean }) {
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <Field label={label} required={required} validationMessage={fieldState.error?.message}>
          <Input name={field.name} ref={field.ref} value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
        </Field>
      )}
    />
  );
}

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
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    defaultValues: { givenName: "", surname: "", emails: "", companyName: "", jobTitle: "", mobilePhone: "" },
  });
  const submit = form.handleSubmit((v) => {
    create.mutate(
      {
        userId,
        folderId,
        contact: {
          givenName: v.givenName.trim(),
          surname: blank(v.surname),
          displayName: null,
          emails: v.emails.split(/[,;]/).map((e) => e.trim()).filter(Boolean),
          companyName: blank(v.companyName),
          jobTitle: blank(v.jobTitle),
          department: null,
          businessPhone: null,
          mobilePhone: blank(v.mobilePhone),
          personalNotes: null,
        },
      },
      { onSuccess: onCreated, onError: (error) => showFieldError(form, error, FIELDS) },
    );
  });
  return (
    <form className={styles.form} aria-label="New contact" noValidate onSubmit={(e) => void submit(e)}>
      <Text className={mergeClasses(styles.full, styles.secondary)}>Saved in the folder “{folderLabel}”.</Text>
      <TextField form={form} name="givenName" label="First name" required />
      <TextField form={form} name="surname" label="Last name" />
      <div className={styles.full}>
        <TextField form={form} name="emails" label="Email addresses" />
      </div>
      <TextField form={form} name="companyName" label="Company" />
      <TextField form={form} name="jobTitle" label="Job title" />
      <TextField form={form} name="mobilePhone" label="Mobile phone" />
      {create.isError && !isFieldError(create.error, FIELDS) && (
        <div className={styles.full}>
          <ErrorMessageBar error={create.error} title="Couldn't create the contact" />
        </div>
      )}
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

function ContactsBody({ user, onDone }: { user: UserDetails; onDone: (message: string) => void }) {
  const styles = useStyles();
  const name = user.displayName ?? user.userPrincipalName ?? user.id;
  const folders = useContactFolders(user.id);
  const [folderId, setFolderId] = useState<string | null>(null);
  const [includeChildFolders, setIncludeChildFolders] = useState(true);
  const [text, setText] = useState("");
  const [search, setSearch] = useState<ContactSearch | null>(null);
  const [creating, setCreating] = useState(false);
  const found = useContactSearch(search ? user.id : null, search ?? { folderId: null, text: "", includeChildFolders: false });
  const choices = [{ id: "", label: "Contacts (the default folder)" }, ...flatten(folders.data ?? [])];
  const folderLabel = choices.find((c) => c.id === (folderId ?? ""))?.label.trim() ?? "Contacts";

  return (
    <>
      <Text className={styles.secondary}>
        Outlook contacts in {name}'s mailbox. Another person's contacts can be read only if they shared their contacts folder
        with you, or your organization gave Entra Desk access to mailboxes.
      </Text>
      {folders.isError && <ErrorMessageBar error={folders.error} title="Couldn't read the contact folders" />}
      <form
        className={styles.row}
        role="search"
        aria-label="Search contacts"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) setSearch({ folderId, text: text.trim(), includeChildFolders });
        }}
      >
        <Field label="Folder">
          <Dropdown
            value={folders.isPending ? "Loading folders…" : folderLabel}
            selectedOptions={[folderId ?? ""]}
            onOptionSelect={(_, d) => setFolderId(d.optionValue ? d.optionValue : null)}
          >
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
        <Button type="submit" appearance="primary" disabled={!text.trim()}>
          Search
        </Button>
        <Checkbox
          checked={includeChildFolders}
          onChange={(_, d) => setIncludeChildFolders(d.checked === true)}
          label="Also search two levels of subfolders"
        />
      </form>
      {search && found.isFetching && <Spinner size="tiny" label="Searching…" />}
      {search && found.isError && <ErrorMessageBar error={found.error} title="Couldn't search the contacts" />}
      {search && found.isSuccess && !found.isFetching && found.data.length === 0 && (
        <Text className={styles.secondary}>No contact matches “{search.text}”.</Text>
      )}
      {search && found.isSuccess && found.data.length > 0 && <Results contacts={found.data} name={name} />}
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
