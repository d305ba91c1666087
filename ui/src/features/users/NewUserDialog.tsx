import { ActivateModal } from "../../components/ActivateModal";
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { Controller, type UseFormReturn, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { type AppError, type UserRow, useCreateUser, useDomains, useUserWindow } from "../../api";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import { generatePassword } from "./password";
import { passwordProblem, upnProblem } from "./rules";

const schema = z.object({
  displayName: z.string().trim().min(1, "Enter the person's name as people should see it.").max(256, "Use at most 256 characters."),
  alias: z.string().trim().min(1, "Enter the part before the @, like adele.vance."),
  domain: z.string(),
  mailNickname: z.string().trim().min(1, "Enter a mail nickname.").refine((v) => !/\s/.test(v), "No spaces in the mail nickname."),
  password: z.string(),
  forceChange: z.boolean(),
  department: z.string(),
  jobTitle: z.string(),
  usageLocation: z
    .string()
    .trim()
    .refine((v) => v === "" || /^[A-Za-z]{2}$/.test(v), "Use the two-letter country code, like GB or US."),
});
type Form = z.infer<typeof schema>;

/**
 * The form's checks, with the sign-in name and password checked as Rust checks them (./rules). The sign-in name
 * is the alias at the domain picked, else at `preselected` (the first domain offered); with no domain yet, the
 * name waits for one (submitting asks for it).
 */
function schemaFor(preselected: string) {
  return schema.superRefine((v, ctx) => {
    const domain = v.domain || preselected;
    const upn = v.alias !== "" && domain !== "" ? upnProblem(`${v.alias}@${domain}`) : null;
    if (upn) ctx.addIssue({ code: "custom", path: ["alias"], message: upn });
    const password = passwordProblem(v.password, v.alias);
    if (password) ctx.addIssue({ code: "custom", path: ["password"], message: password });
  });
}

const FIELDS = ["displayName", "mailNickname", "password", "department", "jobTitle", "usageLocation"] as const;
const ALIASES = { userPrincipalName: "alias" } as const;

const useStyles = makeStyles({
  surface: { maxWidth: "640px", width: "100%" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-start" },
  grow: { flex: 1, minWidth: 0 },
  domain: { minWidth: "200px" },
  at: { paddingTop: "6px" },
  password: { fontFamily: tokens.fontFamilyMonospace },
  pair: { display: "grid", gridTemplateColumns: "1fr 1fr", columnGap: tokens.spacingHorizontalM },
  secret: { fontFamily: tokens.fontFamilyMonospace, userSelect: "all" },
  fallback: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

type DomainChoices = {
  /** Usable domains, the preselected one first. */
  domains: string[];
  /** Set when the organisation's domains couldn't be read: the list is a guess from existing sign-in names. */
  failed: AppError | null;
  loading: boolean;
};

/**
 * The organisation's verified domains (default first, preselected). If they can't be read, falls back to the
 * domains people here already sign in with, most used first, and says so.
 */
function useDomainChoices(): DomainChoices {
  const org = useDomains();
  // Only read when the organisation's domains can't be: a window of the local copy is a fair sample.
  const users = useUserWindow({ text: null, criteria: [], sort: null, descending: false, offset: 0, limit: 500 }, org.isError);
  const guessed = useMemo(() => {
    const counts = new Map<string, number>();
    for (const u of users.data?.rows ?? []) {
      const domain = u.userPrincipalName?.split("@")[1]?.toLowerCase();
      if (domain && !domain.includes("#ext#")) counts.set(domain, (counts.get(domain) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([d]) => d);
  }, [users.data]);
  const verified = useMemo(
    () =>
      [...(org.data ?? [])]
        .filter((d) => d.isVerified)
        .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
        .map((d) => d.id),
    [org.data],
  );
  if (org.isError) return { domains: guessed, failed: org.error, loading: false };
  return { domains: verified, failed: null, loading: org.isPending };
}

function TextField({ form, name, label, required, hint }: { form: UseFormReturn<Form>; name: "displayName" | "mailNickname" | "department" | "jobTitle" | "usageLocation"; label: string; required?: boolean; hint?: string }) {
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <Field label={label} required={required} validationMessage={fieldState.error?.message} hint={fieldState.error ? undefined : hint}>
          <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
        </Field>
      )}
    />
  );
}

type Created = { user: UserRow; password: string };

/** After creating: the sign-in name and the temporary password, shown this once. */
function CreatedUser({ created, onDone }: { created: Created; onDone: () => void }) {
  const styles = useStyles();
  return (
    <DialogBody>
      <ActivateModal />
      <DialogTitle>{created.user.displayName} was created</DialogTitle>
      <DialogContent className={styles.content}>
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Give them their sign-in name and temporary password</MessageBarTitle>
            This is the only time Entra Desk shows the password; it is not saved anywhere.
          </MessageBarBody>
        </MessageBar>
        <Field label="Sign-in name">
          <span className={styles.secret}>{created.user.userPrincipalName}</span>
        </Field>
        <Field label="Temporary password">
          <span className={styles.row}>
            <span className={styles.secret}>{created.password}</span>
            <CopyButton text={created.password} label="Copy password" />
          </span>
        </Field>
      </DialogContent>
      <DialogActions>
        <Button appearance="primary" onClick={onDone}>
          Done
        </Button>
      </DialogActions>
    </DialogBody>
  );
}

/** The sign-in name: the part before the @ (filling in the mail nickname as it goes) and a domain. */
function SignInNameField({ form, domain, domains, loading }: { form: UseFormReturn<Form>; domain: string; domains: string[]; loading: boolean }) {
  const styles = useStyles();
  return (
    <Controller
      control={form.control}
      name="alias"
      render={({ field, fieldState }) => (
        <Field
          label="Sign-in name (user principal name)"
          required
          validationMessage={fieldState.error?.message}
          hint={fieldState.error ? undefined : "The part before the @, and one of your organisation's domains."}
        >
          {() => (
            <div className={styles.row}>
              <Input
                className={styles.grow}
                ref={field.ref}
                value={field.value}
                onBlur={field.onBlur}
                spellCheck={false}
                onChange={(_, d) => {
                  const nickname = form.getValues("mailNickname");
                  if (nickname === "" || nickname === field.value) form.setValue("mailNickname", d.value);
                  field.onChange(d.value);
                }}
              />
              <span className={styles.at}>@</span>
              <Controller
                control={form.control}
                name="domain"
                render={({ field: domainField }) => (
                  <Dropdown
                    className={styles.domain}
                    aria-label="Domain"
                    placeholder={loading ? "Loading domains…" : "No domains"}
                    value={domainField.value || domain}
                    selectedOptions={[domainField.value || domain]}
                    onOptionSelect={(_, d) => d.optionValue && domainField.onChange(d.optionValue)}
                  >
                    {domains.map((d) => (
                      <Option key={d} value={d}>
                        {d}
                      </Option>
                    ))}
                  </Dropdown>
                )}
              />
            </div>
          )}
        </Field>
      )}
    />
  );
}

/** Create Cloud User: name, sign-in name (alias @ domain), a generated temporary password, and a few details. */
export function NewUserDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (user: UserRow) => void }) {
  const styles = useStyles();
  const create = useCreateUser();
  const { domains, failed: domainsFailed, loading: domainsLoading } = useDomainChoices();
  const [created, setCreated] = useState<Created | null>(null);
  const preselected = domains[0] ?? "";
  const resolver = useMemo(() => zodResolver(schemaFor(preselected)), [preselected]);
  const form = useForm<Form>({
    resolver,
    mode: "onTouched",
    defaultValues: {
      displayName: "",
      alias: "",
      domain: "",
      mailNickname: "",
      password: generatePassword(),
      forceChange: true,
      department: "",
      jobTitle: "",
      usageLocation: "",
    },
  });
  const domain = useWatch({ control: form.control, name: "domain" }) || domains[0] || "";

  const close = () => {
    if (create.isPending) return;
    create.reset();
    setCreated(null);
    form.reset({ ...form.formState.defaultValues, password: generatePassword() });
    onClose();
  };

  const onSubmit = form.handleSubmit((values) => {
    const chosenDomain = values.domain || domain;
    if (!chosenDomain) {
      form.setError("alias", { message: "Choose one of your organisation's domains after the @." });
      return;
    }
    const upn = `${values.alias.trim()}@${chosenDomain}`;
    create.mutate(
      {
        displayName: values.displayName.trim(),
        userPrincipalName: upn,
        mailNickname: values.mailNickname.trim(),
        password: values.password,
        forceChangePasswordNextSignIn: values.forceChange,
        accountEnabled: true,
        department: values.department.trim() || null,
        jobTitle: values.jobTitle.trim() || null,
        usageLocation: values.usageLocation.trim().toUpperCase() || null,
      },
      {
        onSuccess: (user) => {
          setCreated({ user, password: values.password });
          onCreated(user);
        },
        onError: (error) => void showFieldError(form, error, FIELDS, ALIASES),
      },
    );
  });

  const bannerError = create.isError && !isFieldError(create.error, FIELDS, ALIASES) ? create.error : null;

  return (
    <Dialog open={open} onOpenChange={(_, data) => !data.open && close()}>
      <DialogSurface className={styles.surface}>
        {created ? (
          <CreatedUser created={created} onDone={close} />
        ) : (
          <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="New user">
            <DialogBody>
            <ActivateModal />
              <DialogTitle>New user</DialogTitle>
              <DialogContent className={styles.content}>
                <Controller
                  control={form.control}
                  name="displayName"
                  render={({ field, fieldState }) => (
                    <Field label="Display name" required validationMessage={fieldState.error?.message}>
                      <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
                    </Field>
                  )}
                />
                <SignInNameField form={form} domain={domain} domains={domains} loading={domainsLoading} />
                {domainsFailed && (
                  <div role="status" className={styles.content}>
                    <ErrorMessageBar error={domainsFailed} title="Couldn't read your organisation's domains" />
                    <span className={styles.fallback}>
                      {domains.length > 0
                        ? "The domain list shows the domains people here already sign in with. Pick one you know is verified."
                        : "No domain to offer: close this form and try again, or check the domains in the Entra admin center."}
                    </span>
                  </div>
                )}
                <TextField form={form} name="mailNickname" label="Mail nickname" required hint="Filled in from the sign-in name; no spaces." />
                <Controller
                  control={form.control}
                  name="password"
                  render={({ field, fieldState }) => (
                    <Field
                      label="Temporary password"
                      required
                      validationMessage={fieldState.error?.message}
                      hint={fieldState.error ? undefined : "Generated for you. Copy it now: it is shown again only once, after the user is created."}
                    >
                      {() => (
                        <div className={styles.row}>
                          <Input
                            className={mergeClasses(styles.grow, styles.password)}
                            ref={field.ref}
                            value={field.value}
                            onBlur={field.onBlur}
                            onChange={(_, d) => field.onChange(d.value)}
                            spellCheck={false}
                            autoComplete="off"
                          />
                          <Button
                            icon={<ArrowClockwiseRegular />}
                            onClick={() => form.setValue("password", generatePassword(), { shouldValidate: true, shouldDirty: true })}
                          >
                            New password
                          </Button>
                          <CopyButton text={field.value} appearance="secondary" />
                        </div>
                      )}
                    </Field>
                  )}
                />
                <Controller
                  control={form.control}
                  name="forceChange"
                  render={({ field }) => (
                    <Checkbox
                      checked={field.value}
                      onChange={(_, d) => field.onChange(d.checked === true)}
                      label="Ask them to choose a new password when they first sign in"
                    />
                  )}
                />
                <div className={styles.pair}>
                  <TextField form={form} name="department" label="Department" />
                  <TextField form={form} name="jobTitle" label="Job title" />
                </div>
                <TextField
                  form={form}
                  name="usageLocation"
                  label="Usage location"
                  hint="Two-letter country code (GB, US…). Needed before a licence can be assigned."
                />
                {bannerError && <ErrorMessageBar error={bannerError} title="Couldn't create the user" />}
              </DialogContent>
              <DialogActions>
                <Button type="submit" appearance="primary" disabled={create.isPending}>
                  {create.isPending ? "Creating…" : "Create user"}
                </Button>
                <Button onClick={close} disabled={create.isPending}>
                  Cancel
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        )}
      </DialogSurface>
    </Dialog>
  );
}
