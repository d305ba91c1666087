import {
  Dropdown,
  Field,
  Input,
  Label,
  Option,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, type UseFormReturn, useForm } from "react-hook-form";
import { z } from "zod";
import { type GroupDetails, type GroupPatch, useUpdateGroup } from "../../api";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import { FormDialog } from "../../components/FormDialog";
import type { PreviewAction } from "../../api";

const schema = z.object({
  displayName: z.string().trim().min(1, "A group's name can't be empty.").max(256, "Use at most 256 characters."),
  description: z.string(),
  mailNickname: z
    .string()
    .trim()
    .min(1, "A mail nickname can't be empty.")
    .max(64, "Use at most 64 characters.")
    .refine((v) => /^[\x21-\x7e]+$/.test(v) && !/[@()\\[\]";:.<>,]/.test(v), "Use letters, digits, - and _ only: no spaces, dots or @."),
  visibility: z.enum(["Public", "Private", ""]),
  // Microsoft 365 groups' mail settings: null = not known (Microsoft didn't say); sent only when changed.
  allowExternalSenders: z.boolean().nullable(),
  autoSubscribeNewMembers: z.boolean().nullable(),
  hideFromAddressLists: z.boolean().nullable(),
  hideFromOutlookClients: z.boolean().nullable(),
});
type Form = z.infer<typeof schema>;
const FIELDS = ["displayName", "description", "mailNickname", "visibility", "allowExternalSenders"] as const;

/** The mail settings of a Microsoft 365 group, each with what it means. Microsoft saves each in a request of its own. */
const MAIL_SETTINGS = [
  ["allowExternalSenders", "People outside the organisation can email the group"],
  ["autoSubscribeNewMembers", "New members get the group's emails in their inbox"],
  ["hideFromAddressLists", "Hide the group from the address book"],
  ["hideFromOutlookClients", "Hide the group from Outlook"],
] as const;

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  settings: { display: "flex", flexDirection: "column" },
  hint: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/** The form as the group is now. */
function formOf(group: GroupDetails): Form {
  return {
    displayName: group.displayName ?? "",
    description: group.description ?? "",
    mailNickname: group.mailNickname ?? "",
    visibility: group.visibility === "Public" || group.visibility === "Private" ? group.visibility : "",
    allowExternalSenders: group.allowExternalSenders,
    autoSubscribeNewMembers: group.autoSubscribeNewMembers,
    hideFromAddressLists: group.hideFromAddressLists,
    hideFromOutlookClients: group.hideFromOutlookClients,
  };
}

/** What changed from `before` (for Save and for "Show the request": one computation). */
function groupChanges(before: Form, v: Form): GroupPatch {
  const changes: GroupPatch = {};
  if (v.displayName.trim() !== before.displayName) changes.displayName = v.displayName.trim();
  if (v.description.trim() !== before.description.trim()) changes.description = v.description.trim();
  if (v.mailNickname.trim() !== before.mailNickname) changes.mailNickname = v.mailNickname.trim();
  if (v.visibility && v.visibility !== before.visibility) changes.visibility = v.visibility;
  for (const [key] of MAIL_SETTINGS) {
    const value = v[key];
    if (value !== null && value !== before[key]) changes[key] = value;
  }
  return changes;
}

/** Update Group: name, description, mail nickname and (Microsoft 365) privacy and mail settings; only changes are sent. */
export function EditGroupDialog({ group, onClose, onSaved }: { group: GroupDetails; onClose: () => void; onSaved: () => void }) {
  const styles = useStyles();
  const update = useUpdateGroup();
  const before = formOf(group);
  const form = useForm<Form>({ resolver: zodResolver(schema), mode: "onTouched", defaultValues: before });
  const changesOf = (v: Form) => groupChanges(before, v);
  const onSubmit = form.handleSubmit((v) => {
    const changes = changesOf(v);
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate({ id: group.id, changes }, { onSuccess: onSaved, onError: (e) => void showFieldError(form, e, FIELDS) });
  });
  const banner = update.isError && !isFieldError(update.error, FIELDS) ? update.error : null;
  const pendingAction = (): PreviewAction | null => {
    const changes = changesOf(form.getValues());
    return Object.keys(changes).length > 0 ? { action: "updateGroup", key: group.id, changes } : null;
  };
  return (
    <FormDialog
      contentClassName={styles.content}
      label={`Edit ${group.displayName ?? ""}`}
      title={`Edit ${group.displayName ?? ""}`}
      onSubmit={onSubmit}
      onCancel={onClose}
      busy={update.isPending}
      submitDisabled={!form.formState.isDirty}
      submitText="Save"
      busyText="Saving…"
      error={{ error: banner, title: "Couldn't save the changes" }}
      preview={pendingAction}
    >
      <Controller
        control={form.control}
        name="displayName"
        render={({ field, fieldState }) => (
          <Field label="Name" required validationMessage={fieldState.error?.message}>
            <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
          </Field>
        )}
      />
      <Controller
        control={form.control}
        name="mailNickname"
        render={({ field, fieldState }) => (
          <Field label="Mail nickname" required validationMessage={fieldState.error?.message}>
            <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
          </Field>
        )}
      />
      <Controller
        control={form.control}
        name="description"
        render={({ field, fieldState }) => (
          <Field label="Description" validationMessage={fieldState.error?.message} hint="Empty it to remove the description.">
            <Textarea ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
          </Field>
        )}
      />
      {group.kind === "microsoft365" && <PrivacyField form={form} hidden={group.visibility === "HiddenMembership"} />}
      {group.kind === "microsoft365" && <MailSettings form={form} />}
    </FormDialog>
  );
}

/** A Microsoft 365 group's mail settings, each a switch with what it means. */
function MailSettings({ form }: { form: UseFormReturn<Form> }) {
  const styles = useStyles();
  return (
    <div role="group" aria-labelledby="mail-settings-label" className={styles.settings}>
      <Label id="mail-settings-label">Mail settings</Label>
      {MAIL_SETTINGS.map(([key, label]) => (
        <Controller
          key={key}
          control={form.control}
          name={key}
          render={({ field }) => <Switch checked={field.value === true} onChange={(_, d) => field.onChange(d.checked)} label={label} />}
        />
      ))}
      <Text className={styles.hint}>
        {form.formState.errors.allowExternalSenders?.message ?? "Microsoft saves each mail setting on its own, after the other changes."}
      </Text>
    </div>
  );
}

/** Public or Private; hidden membership is shown as fixed (it can only be chosen at creation). */
function PrivacyField({ form, hidden }: { form: UseFormReturn<Form>; hidden: boolean }) {
  if (hidden) {
    return (
      <Field label="Privacy" hint="Hidden membership is chosen when a group is created and can't be changed.">
        <Text>Hidden membership</Text>
      </Field>
    );
  }
  return (
    <Controller
      control={form.control}
      name="visibility"
      render={({ field, fieldState }) => (
        <Field label="Privacy" validationMessage={fieldState.error?.message}>
          <Dropdown value={field.value} selectedOptions={field.value ? [field.value] : []} onOptionSelect={(_, d) => d.optionValue && field.onChange(d.optionValue)}>
            <Option value="Private">Private</Option>
            <Option value="Public">Public</Option>
          </Dropdown>
        </Field>
      )}
    />
  );
}
