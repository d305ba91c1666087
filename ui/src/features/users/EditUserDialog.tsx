import { ActivateModal } from "../../components/ActivateModal";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { type UserDetails, type UserPatch, useUpdateUser } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { isFieldError, showFieldError } from "../../lib/formErrors";

const FIELDS = [
  ["displayName", "Display name"],
  ["givenName", "First name"],
  ["surname", "Last name"],
  ["jobTitle", "Job title"],
  ["department", "Department"],
  ["companyName", "Company"],
  ["officeLocation", "Office"],
  ["businessPhone", "Business phone"],
  ["mobilePhone", "Mobile phone"],
  ["city", "City"],
  ["country", "Country or region"],
  ["usageLocation", "Usage location"],
] as const;
const NAMES = FIELDS.map(([n]) => n);

const text = z.string();
const schema = z.object({
  displayName: z.string().trim().min(1, "A display name can't be empty.").max(256, "Use at most 256 characters."),
  givenName: text,
  surname: text,
  jobTitle: text,
  department: text,
  companyName: text,
  officeLocation: text,
  businessPhone: text,
  mobilePhone: text,
  city: text,
  country: text,
  usageLocation: z.string().trim().refine((v) => v === "" || /^[A-Za-z]{2}$/.test(v), "Use the two-letter country code, like GB or US."),
});
type Form = z.infer<typeof schema>;

function initial(u: UserDetails): Form {
  return Object.fromEntries(NAMES.map((n) => [n, u[n] ?? ""])) as Form;
}

/** Only what changed is sent: a field left alone is unchanged; a field emptied is cleared. */
export function changesFrom(before: Form, after: Form): UserPatch {
  const patch: Record<string, string> = {};
  for (const n of NAMES) {
    const value = n === "usageLocation" ? after[n].trim().toUpperCase() : after[n].trim();
    if (value !== before[n].trim()) patch[n] = value;
  }
  return patch;
}

const useStyles = makeStyles({
  surface: { maxWidth: "640px", width: "100%" },
  grid: { display: "grid", gridTemplateColumns: "1fr 1fr", gap: tokens.spacingHorizontalM },
  hint: { color: tokens.colorNeutralForeground2 },
});

/** Update User: the common properties, with the changes listed before they are saved. */
export function EditUserDialog({ user, onClose, onSaved }: { user: UserDetails; onClose: () => void; onSaved: () => void }) {
  const styles = useStyles();
  const update = useUpdateUser();
  const before = initial(user);
  const form = useForm<Form>({ resolver: zodResolver(schema), mode: "onTouched", defaultValues: before });
  const onSubmit = form.handleSubmit((values) => {
    const changes = changesFrom(before, values);
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate({ id: user.id, changes }, { onSuccess: onSaved, onError: (e) => void showFieldError(form, e, NAMES) });
  });
  const banner = update.isError && !isFieldError(update.error, NAMES) ? update.error : null;
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && !update.isPending && onClose()}>
      <DialogSurface className={styles.surface}>
        <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label={`Edit ${user.displayName ?? ""}`}>
          <DialogBody>
            <ActivateModal />
            <DialogTitle>Edit {user.displayName}</DialogTitle>
            <DialogContent>
              {user.onPremisesSyncEnabled && (
                <Text className={styles.hint}>
                  This account is synced from on-premises Active Directory: most changes made here are overwritten by the next sync.
                </Text>
              )}
              <div className={styles.grid}>
                {FIELDS.map(([name, label]) => (
                  <Controller
                    key={name}
                    control={form.control}
                    name={name}
                    render={({ field, fieldState }) => (
                      <Field label={label} required={name === "displayName"} validationMessage={fieldState.error?.message}>
                        <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
                      </Field>
                    )}
                  />
                ))}
              </div>
              {banner && <ErrorMessageBar error={banner} title="Couldn't save the changes" />}
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={update.isPending || !form.formState.isDirty}>
                {update.isPending ? "Saving…" : "Save"}
              </Button>
              <Button onClick={onClose} disabled={update.isPending}>
                Cancel
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
