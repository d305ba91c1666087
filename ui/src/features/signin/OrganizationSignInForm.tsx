import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useForm } from "react-hook-form";
import { type OrganizationProfile, useCancelSignIn, useSignIn } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { CLOUDS, type SignInForm, cloudLabel, signInSchema } from "./schema";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  waiting: {
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  waitingText: { flex: 1, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXXS },
  hint: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  actions: { display: "flex", columnGap: tokens.spacingHorizontalS },
});

type Props = { remembered: OrganizationProfile | null; onSignedIn?: () => void };

/** Tenant + client id + cloud, checked as you go, then sign-in in the system browser. */
export function OrganizationSignInForm({ remembered, onSignedIn }: Props) {
  const styles = useStyles();
  const signIn = useSignIn();
  const cancel = useCancelSignIn();
  const form = useForm<SignInForm>({
    resolver: zodResolver(signInSchema),
    mode: "onTouched",
    defaultValues: {
      tenant: remembered?.tenant ?? "",
      clientId: remembered?.clientId ?? "",
      cloud: remembered?.cloud ?? "global",
    },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    signIn.mutate(values, {
      onSuccess: () => onSignedIn?.(),
      onError: (error) => {
        // The Rust side checks the form too; put its verdict next to the field it names.
        if (error.detail.kind === "validation" && (error.detail.field === "tenant" || error.detail.field === "clientId")) {
          form.setError(error.detail.field, { message: error.detail.message });
        }
      },
    });
  });

  const waiting = signIn.isPending;
  const failed = signIn.isError && signIn.error.detail.kind !== "validation" ? signIn.error : null;

  return (
    <form className={styles.form} onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Sign in to your organization">
      <Field
        label="Directory (tenant) ID or domain"
        required
        validationMessage={errors.tenant?.message}
        hint={errors.tenant ? undefined : "From Microsoft Entra admin center → Overview. A domain like contoso.onmicrosoft.com works too."}
      >
        <Input {...form.register("tenant")} disabled={waiting} autoComplete="off" spellCheck={false} />
      </Field>
      <Field
        label="Application (client) ID"
        required
        validationMessage={errors.clientId?.message}
        hint={errors.clientId ? undefined : "Your administrator gives you this. See Setup help if you are the administrator."}
      >
        <Input {...form.register("clientId")} disabled={waiting} autoComplete="off" spellCheck={false} />
      </Field>
      <Controller
        control={form.control}
        name="cloud"
        render={({ field }) => (
          <Field label="Cloud">
            <Dropdown
              value={cloudLabel(field.value)}
              selectedOptions={[field.value]}
              onOptionSelect={(_, data) => data.optionValue && field.onChange(data.optionValue)}
              onBlur={field.onBlur}
              disabled={waiting}
            >
              {CLOUDS.map((cloud) => (
                <Option key={cloud.value} value={cloud.value}>
                  {cloud.label}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
      />

      {waiting ? (
        <div className={styles.waiting} role="status">
          <Spinner size="small" />
          <div className={styles.waitingText}>
            <strong>Finish signing in in your browser…</strong>
            <span className={styles.hint}>We opened Microsoft's sign-in page in your web browser. Come back here when it says you can close it.</span>
          </div>
          <Button onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            Cancel
          </Button>
        </div>
      ) : (
        <div className={styles.actions}>
          <Button type="submit" appearance="primary">
            Sign in
          </Button>
        </div>
      )}

      {signIn.isError && signIn.error.kind === "cancelled" && (
        <MessageBar intent="info">
          <MessageBarBody>Sign-in was cancelled. You can try again whenever you're ready.</MessageBarBody>
        </MessageBar>
      )}
      {failed && failed.kind !== "cancelled" && <ErrorMessageBar error={failed} />}
      {cancel.isError && <ErrorMessageBar error={cancel.error} title="Couldn't cancel sign-in" />}
    </form>
  );
}
