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
import { Controller, useForm, useWatch } from "react-hook-form";
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
  sendInvitationMessage: z.boolean(),
  message: z.string(),
  redirectUrl: z.string().trim().refine((v) => v === "" || /^https:\/\/\S+$/.test(v), "Use an https:// address, or leave it empty."),
});
type Form = z.infer<typeof schema>;
const FIELDS = ["email", "displayName", "message", "redirectUrl"] as const;

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  link: { fontFamily: tokens.fontFamilyMonospace, wordBreak: "break-all", userSelect: "all" },
});

/** Create Guest User: invite someone from outside the organisation. */
export function InviteGuestDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const styles = useStyles();
  const invite = useInviteGuest();
  const [invited, setInvited] = useState<InvitedGuest | null>(null);
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    defaultValues: { email: "", displayName: "", sendInvitationMessage: true, message: "", redirectUrl: "" },
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
          <DialogBody>
            <ActivateModal />
            <DialogTitle>Invitation created</DialogTitle>
            <DialogContent className={styles.content}>
              <MessageBar intent="success">
                <MessageBarBody>{invited.message}</MessageBarBody>
              </MessageBar>
              {invited.redeemUrl && (
                <Field label="Link to accept the invitation" hint="Send it to the guest if no email was sent.">
                  <span>
                    <span className={styles.link}>{invited.redeemUrl}</span> <CopyButton text={invited.redeemUrl} label="Copy link" />
                  </span>
                </Field>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={close}>
                Done
              </Button>
            </DialogActions>
          </DialogBody>
        ) : (
          <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Invite guest">
            <DialogBody>
            <ActivateModal />
              <DialogTitle>Invite a guest</DialogTitle>
              <DialogContent className={styles.content}>
                <Controller
                  control={form.control}
                  name="email"
                  render={({ field, fieldState }) => (
                    <Field label="Email address" required validationMessage={fieldState.error?.message}>
                      <Input type="email" ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
                    </Field>
                  )}
                />
                <Controller
                  control={form.control}
                  name="displayName"
                  render={({ field, fieldState }) => (
                    <Field label="Name" validationMessage={fieldState.error?.message}>
                      <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
                    </Field>
                  )}
                />
                <Controller
                  control={form.control}
                  name="sendInvitationMessage"
                  render={({ field }) => (
                    <Checkbox checked={field.value} onChange={(_, d) => field.onChange(d.checked === true)} label="Email the invitation to them" />
                  )}
                />
                {sending && (
                  <Controller
                    control={form.control}
                    name="message"
                    render={({ field, fieldState }) => (
                      <Field label="Personal message (optional)" validationMessage={fieldState.error?.message}>
                        <Textarea ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
                      </Field>
                    )}
                  />
                )}
                <Controller
                  control={form.control}
                  name="redirectUrl"
                  render={({ field, fieldState }) => (
                    <Field
                      label="Where they land after accepting (optional)"
                      validationMessage={fieldState.error?.message}
                      hint={fieldState.error ? undefined : "Empty: My Apps (https://myapplications.microsoft.com)."}
                    >
                      <Input ref={field.ref} value={field.value} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} />
                    </Field>
                  )}
                />
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
