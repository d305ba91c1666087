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
import { z } from "zod";
import { type InvitedGuest, useInviteGuest } from "../../api";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
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

// Long: the form and the invitation it made share one dialog and one mutation.
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
  const sending = useWatch({ control: form.control, name: "sendInvitationMessage" });
  const close = () => {
    if (invite.isPending) return;
    invite.reset();
    setInvited(null);
    form.reset();
    onClose();
  };
  const onSubmit = form.handleSubmit((v) =>
    invite.mutate(
      {
        email: v.email.trim(),
        displayName: v.displayName.trim() || null,
        sendInvitationMessage: v.sendInvitationMessage,
        message: v.sendInvitationMessage ? v.message.trim() || null : null,
        messageLanguage: v.sendInvitationMessage ? v.messageLanguage.trim() || null : null,
        cc: v.sendInvitationMessage ? v.cc.trim() || null : null,
        ccName: v.sendInvitationMessage ? v.ccName.trim() || null : null,
        asMember: v.asMember,
        redirectUrl: v.redirectUrl.trim() || null,
      },
      { onSuccess: setInvited, onError: (error) => void showFieldError(form, error, FIELDS) },
    ),
  );
  const banner = invite.isError && !isFieldError(invite.error, FIELDS) ? invite.error : null;

  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && close()}>
      <DialogSurface>
        {invited ? (
          <Invited invited={invited} onDone={close} />
        ) : (
          <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Invite guest">
            <DialogBody>
            <ActivateModal />
              <DialogTitle>Invite a guest</DialogTitle>
              <DialogContent className={styles.content}>
                <TextField form={form} name="email" label="Email address" type="email" />
                <TextField form={form} name="displayName" label="Name" />
                <Controller
                  control={form.control}
                  name="asMember"
                  render={({ field }) => (
                    <Checkbox
                      checked={field.value}
                      onChange={(_, d) => field.onChange(d.checked === true)}
                      label="Invite as a member of the organisation, not a guest (needs an administrator)"
                    />
                  )}
                />
                <Controller
                  control={form.control}
                  name="sendInvitationMessage"
                  render={({ field }) => (
                    <Checkbox checked={field.value} onChange={(_, d) => field.onChange(d.checked === true)} label="Email the invitation to them" />
                  )}
                />
                {sending && <MessageFields form={form} />}
                <TextField form={form} name="redirectUrl" label="Where they land after accepting (optional)" hint="Empty: My Apps (https://myapplications.microsoft.com)." />
                {banner && <ErrorMessageBar error={banner} title="Couldn't invite the guest" />}
              </DialogContent>
              <DialogActions>
                <Button type="submit" appearance="primary" disabled={invite.isPending}>
                  {invite.isPending ? "Inviting…" : "Invite"}
                </Button>
                <Button onClick={close} disabled={invite.isPending}>
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
