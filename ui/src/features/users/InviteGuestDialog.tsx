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
  MessageBar,
  MessageBarBody,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, type UseFormReturn, useForm, useWatch } from "react-hook-form";
import { CheckboxField } from "../../components/CheckboxField";
import { z } from "zod";
import { type GuestForm, type InvitedGuest, type PreviewAction, useInviteGuest } from "../../api";
import { FormDialogBody } from "../../components/FormDialog";
import { CopyButton } from "../../components/CopyButton";
import { isFieldError, showFieldError } from "../../lib/formErrors";

// Graph's invitation schema: no ~ ! # $ % ^ & * ( ) + = [ ] { } \ / | ; : ' < > ? , in the address.
const EMAIL = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

const schema = z.object({
  email: z.string().trim().min(1, "Enter the guest's email address.").regex(EMAIL, "This isn't an email address Microsoft accepts, like kim@fabrikam.com."),
  displayName: z.string(),
  asMember: z.boolean(),
  sendInvitationMessage: z.boolean(),
  message: z.string(),
  messageLanguage: z.string(),
  cc: z.string().trim().refine((v) => v === "" || EMAIL.test(v), "This isn't an email address, like manager@fabrikam.com."),
  ccName: z.string(),
  redirectUrl: z.string().trim().refine((v) => v === "" || /^https:\/\/\S+$/.test(v), "Use an https:// address, or leave it empty."),
});
type Form = z.infer<typeof schema>;
const FIELDS = ["email", "displayName", "message", "messageLanguage", "cc", "redirectUrl"] as const;

/** A text field of the form, labelled, with its inline message. */
function TextField({ form, name, label, hint, type }: { form: UseFormReturn<Form>; name: "email" | "displayName" | "messageLanguage" | "cc" | "ccName" | "redirectUrl"; label: string; hint?: string; type?: "email" }) {
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <Field label={label} required={name === "email"} validationMessage={fieldState.error?.message} hint={fieldState.error ? undefined : hint}>
          <Input type={type} ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
        </Field>
      )}
    />
  );
}

/** The invitation email: a personal message, its language, and one more person who gets a copy. */
function MessageFields({ form }: { form: UseFormReturn<Form> }) {
  const styles = useStyles();
  return (
    <div className={styles.message}>
      <Controller
        control={form.control}
        name="message"
        render={({ field, fieldState }) => (
          <Field label="Personal message (optional)" validationMessage={fieldState.error?.message}>
            <Textarea ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
          </Field>
        )}
      />
      <TextField
        form={form}
        name="messageLanguage"
        label="Language of the email (optional)"
        hint="A language code such as fr-FR or de. Empty: English (en-US). Microsoft ignores it when you write a personal message."
      />
      <TextField form={form} name="cc" label="Also send it to (optional)" type="email" hint="One more person, such as their manager, gets a copy." />
      <TextField form={form} name="ccName" label="Their name (optional)" />
    </div>
  );
}

/** What the invitation made: the account, the invitation's id and status, and the link to accept. */
function Invited({ invited, onDone }: { invited: InvitedGuest; onDone: () => void }) {
  const styles = useStyles();
  const rows: [string, string | null][] = [
    ["Name", invited.user.displayName],
    ["Email address", invited.user.mail],
    ["Sign-in name", invited.user.userPrincipalName],
    ["Account type", invited.userType === "Member" ? "Member" : "Guest"],
    ["Invitation status", invited.status === "PendingAcceptance" ? "Waiting for them to accept" : invited.status],
    ["Invitation id", invited.invitationId],
  ];
  return (
    <DialogBody>
      <ActivateModal />
      <DialogTitle>Invitation created</DialogTitle>
      <DialogContent className={styles.content}>
        <MessageBar intent="success">
          <MessageBarBody>{invited.message}</MessageBarBody>
        </MessageBar>
        <dl className={styles.list} aria-label="The invitation">
          {rows.map(([label, value]) => (
            <div key={label} className={styles.pair}>
              <dt className={styles.term}>{label}</dt>
              <dd className={styles.value}>{value ?? "Not set"}</dd>
            </div>
          ))}
        </dl>
        {invited.redeemUrl && (
          <Field label="Link to accept the invitation" hint="Send it to them if no email was sent.">
            <span>
              <span className={styles.link}>{invited.redeemUrl}</span> <CopyButton text={invited.redeemUrl} label="Copy link" />
            </span>
          </Field>
        )}
      </DialogContent>
      <DialogActions>
        <Button appearance="primary" onClick={onDone}>
          Done
        </Button>
      </DialogActions>
    </DialogBody>
  );
}

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  link: { fontFamily: tokens.fontFamilyMonospace, wordBreak: "break-all", userSelect: "all" },
  list: { margin: 0, display: "grid", rowGap: tokens.spacingVerticalXS },
  pair: { display: "grid", gridTemplateColumns: "160px 1fr", columnGap: tokens.spacingHorizontalM },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, wordBreak: "break-all" },
  message: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, paddingLeft: tokens.spacingHorizontalL },
});

/** What Create Guest User is sent: the form's values (the email's parts only when the invitation is emailed). */
function guestFrom(v: Form): GuestForm {
  const mailed = (text: string) => (v.sendInvitationMessage ? text.trim() || null : null);
  return {
    email: v.email.trim(),
    displayName: v.displayName.trim() || null,
    sendInvitationMessage: v.sendInvitationMessage,
    message: mailed(v.message),
    messageLanguage: mailed(v.messageLanguage),
    cc: mailed(v.cc),
    ccName: mailed(v.ccName),
    asMember: v.asMember,
    redirectUrl: v.redirectUrl.trim() || null,
  };
}

/** Who is invited, as what, whether they are emailed (and what), and where they land. */
function GuestFields({ form }: { form: UseFormReturn<Form> }) {
  const sending = useWatch({ control: form.control, name: "sendInvitationMessage" });
  return (
    <>
      <TextField form={form} name="email" label="Email address" type="email" />
      <TextField form={form} name="displayName" label="Name" />
      <CheckboxField control={form.control} name="asMember" label="Invite as a member of the organisation, not a guest (needs an administrator)" />
      <CheckboxField control={form.control} name="sendInvitationMessage" label="Email the invitation to them" />
      {sending && <MessageFields form={form} />}
      <TextField form={form} name="redirectUrl" label="Where they land after accepting (optional)" hint="Empty: My Apps (https://myapplications.microsoft.com)." />
    </>
  );
}

/** Create Guest User: invite someone from outside the organisation. */
export function InviteGuestDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const styles = useStyles();
  const invite = useInviteGuest();
  const [invited, setInvited] = useState<InvitedGuest | null>(null);
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    defaultValues: { email: "", displayName: "", asMember: false, sendInvitationMessage: true, message: "", messageLanguage: "", cc: "", ccName: "", redirectUrl: "" },
  });
  const close = () => {
    if (invite.isPending) return;
    invite.reset();
    setInvited(null);
    form.reset();
    onClose();
  };
  const onSubmit = form.handleSubmit((v) => invite.mutate(guestFrom(v), { onSuccess: setInvited, onError: (error) => void showFieldError(form, error, FIELDS) }));
  const pendingAction = (): PreviewAction | null => {
    const values = form.getValues();
    return schema.safeParse(values).success ? { action: "inviteGuest", guest: guestFrom(values) } : null;
  };
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && close()}>
      <DialogSurface>
        {invited ? (
          <Invited invited={invited} onDone={close} />
        ) : (
          <FormDialogBody
            label="Invite guest"
            title="Invite a guest"
            contentClassName={styles.content}
            onSubmit={onSubmit}
            onCancel={close}
            busy={invite.isPending}
            submitText="Invite"
            busyText="Inviting…"
            error={{ error: invite.isError && !isFieldError(invite.error, FIELDS) ? invite.error : null, title: "Couldn't invite the guest" }}
            preview={pendingAction}
          >
            <GuestFields form={form} />
          </FormDialogBody>
        )}
      </DialogSurface>
    </Dialog>
  );
}
