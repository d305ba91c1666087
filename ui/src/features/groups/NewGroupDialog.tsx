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
  Option,
  Radio,
  RadioGroup,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { type CreatedGroup, useCreateGroup } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import type { Choice } from "../../components/SearchPicker";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import { UserPicker } from "../users/UserPicker";

const NICKNAME = /^[\x21-\x7e]+$/;
const NICKNAME_FORBIDDEN = /[@()\\[\]";:.<>,\s]/;

const schema = z.object({
  kind: z.enum(["microsoft365", "security"]),
  displayName: z.string().trim().min(1, "Enter a name for the group.").max(256, "Use at most 256 characters."),
  mailNickname: z
    .string()
    .trim()
    .min(1, "Enter a mail nickname (letters, digits, - and _).")
    .max(64, "Use at most 64 characters.")
    .refine((v) => NICKNAME.test(v) && !NICKNAME_FORBIDDEN.test(v), "Use letters, digits, - and _ only: no spaces, dots or @."),
  description: z.string(),
  visibility: z.enum(["Public", "Private"]),
  owners: z.array(z.object({ id: z.string(), name: z.string() })).max(10, "Choose at most 10 owners."),
  members: z.array(z.object({ id: z.string(), name: z.string() })),
});
type Form = z.infer<typeof schema>;
const FIELDS = ["displayName", "mailNickname", "description", "owners", "members"] as const;

/** "Sales & Marketing EU" → "SalesMarketingEU": ASCII letters, digits, - and _. */
export function nicknameFrom(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9_-]/g, "")
    .slice(0, 64);
}

const useStyles = makeStyles({
  surface: { maxWidth: "640px", width: "100%" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

type Props = { open: boolean; onClose: () => void; onCreated: (created: CreatedGroup) => void };

export function NewGroupDialog({ open, onClose, onCreated }: Props) {
  const styles = useStyles();
  const create = useCreateGroup();
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    defaultValues: { kind: "microsoft365", displayName: "", mailNickname: "", description: "", visibility: "Private", owners: [], members: [] },
  });
  const kind = useWatch({ control: form.control, name: "kind" });
  const close = () => {
    if (create.isPending) return;
    create.reset();
    form.reset();
    onClose();
  };

  const onSubmit = form.handleSubmit((values) => {
    create.mutate(
      {
        kind: values.kind,
        displayName: values.displayName.trim(),
        mailNickname: values.mailNickname.trim(),
        description: values.description.trim() || null,
        visibility: values.kind === "microsoft365" ? values.visibility : null,
        membershipRule: null,
        owners: values.owners.map((o) => o.id),
        members: values.members.map((m) => m.id),
      },
      {
        onSuccess: (created) => {
          form.reset();
          onCreated(created);
        },
        onError: (error) => void showFieldError(form, error, FIELDS),
      },
    );
  });

  const bannerError = create.isError && !isFieldError(create.error, FIELDS) ? create.error : null;

  return (
    <Dialog open={open} onOpenChange={(_, data) => !data.open && close()}>
      <DialogSurface className={styles.surface}>
        <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="New group">
          <DialogBody>
            <ActivateModal />
            <DialogTitle>New group</DialogTitle>
            <DialogContent className={styles.content}>
              <Controller
                control={form.control}
                name="kind"
                render={({ field }) => (
                  <Field label="Group type">
                    <RadioGroup layout="horizontal" value={field.value} onChange={(_, data) => field.onChange(data.value)}>
                      <Radio value="microsoft365" label="Microsoft 365 (mailbox, calendar, files)" />
                      <Radio value="security" label="Security (access to apps and resources)" />
                    </RadioGroup>
                  </Field>
                )}
              />
              <Controller
                control={form.control}
                name="displayName"
                render={({ field, fieldState }) => (
                  <Field label="Name" required validationMessage={fieldState.error?.message}>
                    <Input
                      ref={field.ref}
                      value={field.value}
                      onBlur={field.onBlur}
                      onChange={(_, data) => {
                        const before = nicknameFrom(field.value);
                        field.onChange(data.value);
                        // The nickname follows the name until someone edits it by hand.
                        const nickname = form.getValues("mailNickname");
                        if (nickname === "" || nickname === before) {
                          form.setValue("mailNickname", nicknameFrom(data.value), { shouldValidate: form.formState.isSubmitted });
                        }
                      }}
                    />
                  </Field>
                )}
              />
              <Controller
                control={form.control}
                name="mailNickname"
                render={({ field, fieldState }) => (
                  <Field
                    label="Mail nickname"
                    required
                    validationMessage={fieldState.error?.message}
                    hint={fieldState.error ? undefined : "Unique in your organisation. Made from the name; you can change it."}
                  >
                    <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, data) => field.onChange(data.value)} spellCheck={false} />
                  </Field>
                )}
              />
              <Controller
                control={form.control}
                name="description"
                render={({ field, fieldState }) => (
                  <Field label="Description" validationMessage={fieldState.error?.message}>
                    <Textarea ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, data) => field.onChange(data.value)} resize="vertical" />
                  </Field>
                )}
              />
              {kind === "microsoft365" && (
                <Controller
                  control={form.control}
                  name="visibility"
                  render={({ field }) => (
                    <Field label="Privacy" hint="Private: only owners can add members. Public: anyone in the organisation can join.">
                      <Dropdown
                        value={field.value}
                        selectedOptions={[field.value]}
                        onOptionSelect={(_, data) => data.optionValue && field.onChange(data.optionValue)}
                      >
                        <Option value="Private">Private</Option>
                        <Option value="Public">Public</Option>
                      </Dropdown>
                    </Field>
                  )}
                />
              )}
              <Controller
                control={form.control}
                name="owners"
                render={({ field, fieldState }) => (
                  <Field
                    label="Owners (optional)"
                    validationMessage={fieldState.error?.message}
                    hint={fieldState.error ? undefined : "Up to 10. With none, you become the owner."}
                  >
                    <UserPicker label="Owners" selected={field.value} onChange={(next: Choice[]) => field.onChange(next)} />
                  </Field>
                )}
              />
              <Controller
                control={form.control}
                name="members"
                render={({ field, fieldState }) => (
                  <Field
                    label="Members (optional)"
                    validationMessage={fieldState.error?.message}
                    hint={fieldState.error ? undefined : "You can add more members after the group is created."}
                  >
                    <UserPicker label="Members" selected={field.value} onChange={(next: Choice[]) => field.onChange(next)} />
                  </Field>
                )}
              />
              {bannerError && <ErrorMessageBar error={bannerError} title="Couldn't create the group" />}
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={create.isPending}>
                {create.isPending ? "Creating…" : "Create group"}
              </Button>
              <Button onClick={close} disabled={create.isPending}>
                Cancel
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
