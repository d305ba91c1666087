import { ActivateModal } from "../../components/ActivateModal";
import {
  Button,
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
  Spinner,
  Subtitle2,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular, CheckmarkCircleRegular, ClockRegular, WarningRegular } from "@fluentui/react-icons";
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useMemo, useRef, useState } from "react";
import { Controller, type UseFormReturn, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import {
  type AppError,
  type CreateStep,
  type CreatedUser,
  type NewUserProgress,
  type NewUserRequest,
  type PreviewAction,
  newTemporaryPassword,
  useCreateUser,
  useNewUserProgress,
  useDomains,
  useLicences,
  useUserWindow,
} from "../../api";
import type { Choice } from "../../components/SearchPicker";
import { GroupPicker } from "../groups/GroupPicker";
import { emptyProfile, profileToCreate } from "./fields";
import { PROFILE_ALIASES, PROFILE_PATHS, ProfileFields, profileSchema } from "./ProfileFields";
import { UserPicker } from "./UserPicker";
import { CopyButton } from "../../components/CopyButton";
import { FormDialogBody } from "../../components/FormDialog";
import { CheckboxField } from "../../components/CheckboxField";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import { passwordProblem, upnProblem } from "./rules";

const schema = z.object({
  displayName: z.string().trim().min(1, "Enter the person's name as people should see it.").max(256, "Use at most 256 characters."),
  alias: z.string().trim().min(1, "Enter the part before the @, like adele.vance."),
  domain: z.string(),
  mailNickname: z.string().trim().min(1, "Enter a mail nickname.").refine((v) => !/\s/.test(v), "No spaces in the mail nickname."),
  password: z.string(),
  forceChange: z.boolean(),
  disabled: z.boolean(),
  profile: profileSchema,
  manager: z.array(z.object({ id: z.string(), name: z.string() })),
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
  license: z.string(),
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
    if (v.license !== "" && v.profile.usageLocation.trim() === "") {
      ctx.addIssue({
        code: "custom",
        path: ["profile", "usageLocation"],
        message: "Microsoft requires a usage location (the country where the licence is used, such as US or GB) before a licence can be given.",
      });
    }
  });
}

const FIELDS = ["displayName", "mailNickname", "password", "manager", "groups", "license", ...PROFILE_PATHS] as const;
const ALIASES = { userPrincipalName: "alias", ...PROFILE_ALIASES } as const;

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
  heading: { margin: 0, marginTop: tokens.spacingVerticalS },
  steps: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  ok: { color: tokens.colorPaletteGreenForeground1, verticalAlign: "middle" },
  waited: { color: tokens.colorNeutralForeground2, verticalAlign: "middle" },
  inline: { display: "inline-flex", verticalAlign: "middle" },
  failed: { color: tokens.colorPaletteDarkOrangeForeground1, verticalAlign: "middle" },
});

/** What Create User is sent: the account (alias at `domain`), its profile as filled in, and what to give it. */
function requestFrom(values: Form, domain: string): NewUserRequest {
  return {
    user: {
      displayName: values.displayName.trim(),
      userPrincipalName: `${values.alias.trim()}@${domain}`,
      mailNickname: values.mailNickname.trim(),
      passwordProfile: { password: values.password, forceChangePasswordNextSignIn: values.forceChange },
      accountEnabled: !values.disabled,
      ...profileToCreate(values.profile),
    },
    manager: values.manager[0]?.id ?? null,
    groups: values.groups.map((g) => g.id),
    license: values.license || null,
  };
}

/** A fresh temporary password from Rust's generator (the one Reset password uses), set in the form. */
function renewPassword(form: UseFormReturn<Form>) {
  void newTemporaryPassword(form.getValues("alias")).then((password) =>
    form.setValue("password", password, { shouldValidate: form.formState.isSubmitted, shouldDirty: true }),
  );
}

/**
 * While the chain runs, as Rust tells it (`newUserProgress`): creating, then "created" and each step done so far,
 * and "waiting for Microsoft…" while it waits; then what is still to do.
 */
function ChainProgress({ progress, planned }: { progress: NewUserProgress | null; planned: string[] }) {
  const styles = useStyles();
  // The form is long and the progress is at its end: each report brings the whole list into view.
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => list.current?.scrollIntoView?.({ block: "end" }), [progress]);
  const done = progress?.steps.filter((s) => s.kind !== "waited").length ?? 0;
  const left = planned.slice(done);
  return (
    <ol ref={list} className={styles.steps} aria-label="Progress" aria-live="polite">
      {progress ? (
        <li>
          <CheckmarkCircleRegular className={styles.ok} /> created
        </li>
      ) : (
        <li>
          <Spinner size="extra-tiny" className={styles.inline} /> creating the account…
        </li>
      )}
      {(progress?.steps ?? []).map((step, i) => (
        <li key={i}>
          <StepIcon step={step} /> {stepText(step)}
        </li>
      ))}
      {progress?.waiting && (
        <li>
          <Spinner size="extra-tiny" className={styles.inline} /> waiting for Microsoft to finish creating the account…
        </li>
      )}
      {progress &&
        left.map((what, i) => (
          <li key={`left-${i}`} className={styles.fallback}>
            {i === 0 && !progress.waiting ? <Spinner size="extra-tiny" className={styles.inline} /> : <ClockRegular className={styles.waited} />} {what}
          </li>
        ))}
    </ol>
  );
}

/** What the chain will do after the create, in order, in the person's words. */
function planned(v: Form): string[] {
  return [
    v.manager[0] ? `manager: ${v.manager[0].name}` : null,
    ...v.groups.map((g) => `add to ${g.name}`),
    v.license ? "licence" : null,
  ].filter((s) => s !== null);
}

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

function TextField({ form, name, label, required, hint }: { form: UseFormReturn<Form>; name: "displayName" | "mailNickname"; label: string; required?: boolean; hint?: string }) {
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

type Created = { result: CreatedUser; password: string };

function StepIcon({ step }: { step: CreateStep }) {
  const styles = useStyles();
  if (step.kind === "failed") return <WarningRegular className={styles.failed} />;
  if (step.kind === "waited") return <ClockRegular className={styles.waited} />;
  return <CheckmarkCircleRegular className={styles.ok} />;
}

function stepText(step: CreateStep): string {
  switch (step.kind) {
    case "done":
      return step.what;
    case "waited":
      return `waited ${step.seconds} s for Microsoft to finish creating the account`;
    case "failed":
      return `${step.what}: ${step.reason}`;
  }
}

/** After creating: each step's result, then the sign-in name and the temporary password, shown this once. */
function CreatedUserView({ created, onDone }: { created: Created; onDone: () => void }) {
  const styles = useStyles();
  const { result } = created;
  const name = result.user.displayName ?? result.user.userPrincipalName ?? "The user";
  return (
    <DialogBody>
      <ActivateModal />
      <DialogTitle>{name} was created</DialogTitle>
      <DialogContent className={styles.content}>
        <MessageBar intent={result.complete ? "success" : "warning"}>
          <MessageBarBody>
            <MessageBarTitle>{result.complete ? "Done" : "The account exists, but not everything was done"}</MessageBarTitle>
            {result.summary}
          </MessageBarBody>
        </MessageBar>
        <ol className={styles.steps} aria-label="What was done">
          <li>
            <CheckmarkCircleRegular className={styles.ok} /> created
          </li>
          {result.steps.map((step, i) => (
            <li key={i}>
              <StepIcon step={step} /> {stepText(step)}
            </li>
          ))}
        </ol>
        <Text weight="semibold">Give them their sign-in name and temporary password</Text>
        <Text className={styles.fallback}>This is the only time Entra Desk shows the password; it is not saved anywhere.</Text>
        <Field label="Sign-in name">
          <span className={styles.secret}>{result.user.userPrincipalName}</span>
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

/** What to give the new account at once: a manager, groups, a licence (done after the create, in this order). */
function GiveAtOnce({ form }: { form: UseFormReturn<Form> }) {
  const styles = useStyles();
  const licences = useLicences();
  const usable = (licences.data ?? []).filter((l) => l.capabilityStatus !== "Suspended" && l.capabilityStatus !== "Deleted" && l.capabilityStatus !== "LockedOut");
  return (
    <section className={styles.content} aria-label="Give at once">
      <Subtitle2 as="h3" className={styles.heading}>
        Give at once
      </Subtitle2>
      <Text className={styles.fallback}>Done right after the account is created. Microsoft may need a few seconds first; Entra Desk waits for it.</Text>
      <Controller
        control={form.control}
        name="manager"
        render={({ field, fieldState }) => (
          <Field label="Manager" validationMessage={fieldState.error?.message}>
            <UserPicker label="Manager" single selected={field.value} onChange={(next: Choice[]) => field.onChange(next)} />
          </Field>
        )}
      />
      <Controller
        control={form.control}
        name="groups"
        render={({ field, fieldState }) => (
          <Field label="Groups" validationMessage={fieldState.error?.message} hint={fieldState.error ? undefined : "Groups whose members are set by a rule are not offered by Microsoft for this."}>
            <GroupPicker label="Groups" selected={field.value} onChange={(next) => field.onChange(next)} />
          </Field>
        )}
      />
      <Controller
        control={form.control}
        name="license"
        render={({ field, fieldState }) => (
          <Field label="Licence" validationMessage={fieldState.error?.message ?? (licences.isError ? `Couldn't read the licences: ${licences.error.message}` : undefined)}>
            <Dropdown
              aria-label="Licence"
              value={usable.find((l) => l.skuId === field.value)?.name ?? "No licence"}
              selectedOptions={[field.value]}
              onOptionSelect={(_, d) => field.onChange(d.optionValue ?? "")}
            >
              <Option value="">No licence</Option>
              {usable.map((l) => (
                <Option key={l.skuId} value={l.skuId} text={l.name} disabled={l.free <= 0}>
                  {`${l.name} · ${l.free <= 0 ? "none free" : `${l.free.toLocaleString()} free`}`}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
      />
    </section>
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

/** The organisation's domains could not be read: why, and what the domain list offers instead. */
function DomainsUnreadable({ error, guessed }: { error: AppError; guessed: boolean }) {
  const styles = useStyles();
  return (
    <div role="status" className={styles.content}>
      <ErrorMessageBar error={error} title="Couldn't read your organisation's domains" />
      <span className={styles.fallback}>
        {guessed
          ? "The domain list shows the domains people here already sign in with. Pick one you know is verified."
          : "No domain to offer: close this form and try again, or check the domains in the Entra admin center."}
      </span>
    </div>
  );
}

/** The temporary password (generated, with New password and Copy), "change it at first sign-in", "create disabled". */
function PasswordFields({ form }: { form: UseFormReturn<Form> }) {
  const styles = useStyles();
  return (
    <>
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
                <Button icon={<ArrowClockwiseRegular />} onClick={() => renewPassword(form)}>
                  New password
                </Button>
                <CopyButton text={field.value} appearance="secondary" />
              </div>
            )}
          </Field>
        )}
      />
      <CheckboxField control={form.control} name="forceChange" label="Ask them to choose a new password when they first sign in" />
      <CheckboxField control={form.control} name="disabled" label="Create the account disabled (they can't sign in until you enable it)" />
    </>
  );
}

// Long: the form and its result view share one mutation, the form's state and Rust's progress events.
/** Create Cloud User: name, sign-in name (alias @ domain), a generated temporary password, and a few details. */
export function NewUserDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (created: CreatedUser) => void }) {
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
      password: "",
      forceChange: true,
      disabled: false,
      profile: emptyProfile(),
      manager: [],
      groups: [],
      license: "",
    },
  });
  const domain = useWatch({ control: form.control, name: "domain" }) || domains[0] || "";
  const { progress, forget } = useNewUserProgress();
  // Each time the form opens empty, a temporary password from Rust.
  const password = useWatch({ control: form.control, name: "password" });
  useEffect(() => {
    if (open && !created && password === "") renewPassword(form);
  }, [open, created, password, form]);

  const close = () => {
    if (create.isPending) return;
    create.reset();
    setCreated(null);
    forget();
    form.reset({ ...form.formState.defaultValues, password: "" });
    onClose();
  };

  const onSubmit = form.handleSubmit((values) => {
    const chosenDomain = values.domain || domain;
    if (!chosenDomain) {
      form.setError("alias", { message: "Choose one of your organisation's domains after the @." });
      return;
    }
    forget();
    create.mutate(requestFrom(values, chosenDomain), {
      onSuccess: (result) => {
        setCreated({ result, password: values.password });
        onCreated(result);
      },
      onError: (error) => void showFieldError(form, error, FIELDS, ALIASES),
    });
  });

  const bannerError = create.isError && !isFieldError(create.error, FIELDS, ALIASES) ? create.error : null;
  // Read at the click: the whole request, as Create user would send it now (nothing while the form has a mistake).
  const pendingAction = (): PreviewAction | null => {
    const values = form.getValues();
    const chosenDomain = values.domain || domain;
    return chosenDomain && schemaFor(preselected).safeParse(values).success ? { action: "createUser", request: requestFrom(values, chosenDomain) } : null;
  };

  return (
    <Dialog open={open} onOpenChange={(_, data) => !data.open && close()}>
      <DialogSurface className={styles.surface}>
        {created ? (
          <CreatedUserView created={created} onDone={close} />
        ) : (
          <FormDialogBody
            label="New user"
            title="New user"
            contentClassName={styles.content}
            onSubmit={onSubmit}
            onCancel={close}
            busy={create.isPending}
            submitText="Create user"
            busyText="Creating…"
            error={{ error: bannerError, title: "Couldn't create the user" }}
            preview={pendingAction}
          >
            <TextField form={form} name="displayName" label="Display name" required />
            <SignInNameField form={form} domain={domain} domains={domains} loading={domainsLoading} />
            {domainsFailed && <DomainsUnreadable error={domainsFailed} guessed={domains.length > 0} />}
            <TextField form={form} name="mailNickname" label="Mail nickname" required hint="Filled in from the sign-in name; no spaces." />
            <PasswordFields form={form} />
            <ProfileFields control={form.control} />
            <GiveAtOnce form={form} />
            {create.isPending && <ChainProgress progress={progress} planned={planned(form.getValues())} />}
          </FormDialogBody>
        )}
      </DialogSurface>
    </Dialog>
  );
}
