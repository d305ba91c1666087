import {
  Field,
  Input,
  Subtitle2,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, type UseFormReturn, useForm } from "react-hook-form";
import { z } from "zod";
import { type UserDetails, type UserUpdate, useUpdateUser } from "../../api";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import { profileChanges, profileFormOf } from "./fields";
import { PROFILE_ALIASES, PROFILE_PATHS, ProfileFields, profileSchema } from "./ProfileFields";
import { profileProblem, upnProblem } from "./rules";
import { FormDialog } from "../../components/FormDialog";
import type { PreviewAction } from "../../api";

const schema = z
  .object({
    displayName: z.string().trim().min(1, "A display name can't be empty.").max(256, "Use at most 256 characters."),
    userPrincipalName: z.string(),
    mailNickname: z.string().trim().min(1, "A mail nickname can't be empty.").refine((v) => !/\s/.test(v), "No spaces in the mail nickname."),
    aboutMe: z.string(),
    profile: profileSchema,
  })
  .superRefine((v, ctx) => {
    const upn = upnProblem(v.userPrincipalName);
    if (upn) ctx.addIssue({ code: "custom", path: ["userPrincipalName"], message: upn });
    const about = profileProblem("aboutMe", v.aboutMe);
    if (about) ctx.addIssue({ code: "custom", path: ["aboutMe"], message: about });
  });
type Form = z.infer<typeof schema>;

const NAMES = ["displayName", "userPrincipalName", "mailNickname", "aboutMe", ...PROFILE_PATHS] as const;

function initial(u: UserDetails): Form {
  return {
    displayName: u.displayName ?? "",
    userPrincipalName: u.userPrincipalName ?? "",
    mailNickname: u.mailNickname ?? "",
    aboutMe: u.aboutMe ?? "",
    profile: profileFormOf(u),
  };
}

/**
 * Only what changed is sent: a field left alone is not in the request; a field emptied is sent as null
 * (cleared). Usage location can be changed but not removed (Graph keeps one once set).
 */
export function changesFrom(before: Form, after: Form): UserUpdate {
  const changes: UserUpdate = { ...profileChanges(before.profile, after.profile) };
  if (changes.usageLocation === null) delete changes.usageLocation;
  for (const name of ["displayName", "userPrincipalName", "mailNickname"] as const) {
    if (after[name].trim() !== before[name].trim()) changes[name] = after[name].trim();
  }
  if (after.aboutMe.trim() !== before.aboutMe.trim()) changes.aboutMe = after.aboutMe.trim() || null;
  return changes;
}

/** `changesFrom`, or none while a value cannot be read yet. */
function safeChanges(before: Form, after: Form): UserUpdate {
  try {
    return changesFrom(before, after);
  } catch {
    return {};
  }
}

const useStyles = makeStyles({
  surface: { maxWidth: "720px", width: "100%" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  grid: { display: "grid", gridTemplateColumns: "1fr 1fr", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS, alignItems: "start" },
  wide: { gridColumn: "1 / -1" },
  heading: { margin: 0, marginTop: tokens.spacingVerticalS },
  hint: { color: tokens.colorNeutralForeground2 },
});

function TextField({ form, name, label, hint, wide }: { form: UseFormReturn<Form>; name: "displayName" | "userPrincipalName" | "mailNickname"; label: string; hint?: string; wide?: boolean }) {
  const styles = useStyles();
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <Field className={wide ? styles.wide : undefined} label={label} required validationMessage={fieldState.error?.message} hint={fieldState.error ? undefined : hint}>
          <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} spellCheck={false} />
        </Field>
      )}
    />
  );
}

/** Update User: every property of the card, in sections; only the changes are sent. */
export function EditUserDialog({ user, onClose, onSaved }: { user: UserDetails; onClose: () => void; onSaved: () => void }) {
  const styles = useStyles();
  const update = useUpdateUser();
  const before = initial(user);
  const form = useForm<Form>({ resolver: zodResolver(schema), mode: "onTouched", defaultValues: before });
  const onSubmit = form.handleSubmit((values) => {
    if (before.profile.usageLocation.trim() !== "" && values.profile.usageLocation.trim() === "") {
      form.setError("profile.usageLocation", { message: "Microsoft keeps a usage location once it is set: change it to another country code instead." });
      return;
    }
    const changes = changesFrom(before, values);
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate({ id: user.id, changes }, { onSuccess: onSaved, onError: (e) => void showFieldError(form, e, NAMES, PROFILE_ALIASES) });
  });
  const banner = update.isError && !isFieldError(update.error, NAMES, PROFILE_ALIASES) ? update.error : null;
  // Only what could be saved is shown (a half-typed value is not a request yet); read at the click.
  const pendingAction = (): PreviewAction | null => {
    const now = form.getValues();
    const changes = schema.safeParse(now).success ? safeChanges(before, now) : {};
    return Object.keys(changes).length > 0 ? { action: "updateUser", key: user.id, changes } : null;
  };
  return (
    <FormDialog
      surfaceClassName={styles.surface}
      contentClassName={styles.content}
      label={`Edit ${user.displayName ?? ""}`}
      title={`Edit ${user.displayName ?? ""}`}
      onSubmit={onSubmit}
      onCancel={onClose}
      busy={update.isPending}
      submitDisabled={!form.formState.isDirty}
      submitText="Save"
      busyText="Saving…"
      error={{ error: banner, title: "Couldn't save the changes" }}
      preview={pendingAction}
    >
      {user.onPremisesSyncEnabled && (
        <Text className={styles.hint}>
          This account is synced from on-premises Active Directory: most changes made here are overwritten by the next sync.
        </Text>
      )}
      <section aria-label="Sign-in" className={styles.content}>
        <Subtitle2 as="h3" className={styles.heading}>
          Sign-in
        </Subtitle2>
        <div className={styles.grid}>
          <TextField form={form} name="displayName" label="Display name" wide />
          <TextField form={form} name="userPrincipalName" label="Sign-in name" hint="Changing it changes how they sign in." />
          <TextField form={form} name="mailNickname" label="Mail nickname" hint="No spaces." />
        </div>
      </section>
      <ProfileFields control={form.control} />
      <section aria-label="About" className={styles.content}>
        <Subtitle2 as="h3" className={styles.heading}>
          About
        </Subtitle2>
        <Controller
          control={form.control}
          name="aboutMe"
          render={({ field, fieldState }) => (
            <Field label="About me" validationMessage={fieldState.error?.message} hint={fieldState.error ? undefined : "Stored in SharePoint: saved in a request of its own."}>
              <Textarea ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} resize="vertical" />
            </Field>
          )}
        />
      </section>
    </FormDialog>
  );
}
