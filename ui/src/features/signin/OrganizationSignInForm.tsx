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
import { useState } from "react";
import { Controller, type UseFormReturn, useForm } from "react-hook-form";
import { CheckboxField } from "../../components/CheckboxField";
import { type DeviceCodeShown, type OrganizationProfile, useCancelSignIn, useDeviceCode, useSignIn, useSignInWithCode } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { DeviceCodePanel } from "./DeviceCodePanel";
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

type TextFieldProps = {
  form: UseFormReturn<SignInForm>;
  name: "tenant" | "clientId";
  label: string;
  hint: string;
  disabled: boolean;
};

/** A labelled, required text box whose plain-words error replaces the hint. Fluent's Input is controlled. */
function TextField({ form, name, label, hint, disabled }: TextFieldProps) {
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <Field label={label} required validationMessage={fieldState.error?.message} hint={fieldState.error ? undefined : hint}>
          <Input
            name={field.name}
            ref={field.ref}
            value={field.value}
            onChange={(_, data) => field.onChange(data.value)}
            onBlur={field.onBlur}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
      )}
    />
  );
}

/** Which Microsoft cloud the organization is in. */
function CloudField({ form, disabled }: { form: UseFormReturn<SignInForm>; disabled: boolean }) {
  return (
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
            disabled={disabled}
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
  );
}

/** While sign-in runs: the device code to type, or the wait for the browser; either can be cancelled. */
function Waiting({
  method,
  code,
  onCancel,
  cancelling,
}: {
  method: "browser" | "code";
  code: DeviceCodeShown | null;
  onCancel: () => void;
  cancelling: boolean;
}) {
  const styles = useStyles();
  if (method === "code") return <DeviceCodePanel code={code} onCancel={onCancel} cancelling={cancelling} />;
  return (
    <div className={styles.waiting} role="status">
      <Spinner size="small" />
      <div className={styles.waitingText}>
        <strong>Finish signing in in your browser…</strong>
        <span className={styles.hint}>We opened Microsoft's sign-in page in your web browser. Come back here when it says you can close it.</span>
      </div>
      <Button onClick={onCancel} disabled={cancelling}>
        Cancel
      </Button>
    </div>
  );
}

type Props = { remembered: OrganizationProfile | null; onSignedIn?: () => void };

/** Where to sign in: the tenant, the app's client id, the cloud, and whether to ask only to read. */
function SignInFields({ form, disabled }: { form: UseFormReturn<SignInForm>; disabled: boolean }) {
  return (
    <>
      <TextField
        form={form}
        name="tenant"
        label="Directory (tenant) ID or domain"
        hint="From the Microsoft Entra admin center → Overview. A domain like contoso.onmicrosoft.com works too."
        disabled={disabled}
      />
      <TextField
        form={form}
        name="clientId"
        label="Application (client) ID"
        hint="Your administrator gives you this. See Setup help if you are the administrator."
        disabled={disabled}
      />
      <CloudField form={form} disabled={disabled} />
      <CheckboxField
        control={form.control}
        name="readOnly"
        label="Read only"
        hint="Asks only for permission to read. You can look at everything, and nothing can be changed with this sign-in."
        disabled={disabled}
      />
    </>
  );
}

/** Tenant + client id + cloud, checked as you go, then sign-in in the system browser. */
export function OrganizationSignInForm({ remembered, onSignedIn }: Props) {
  const styles = useStyles();
  const browserSignIn = useSignIn();
  const codeSignIn = useSignInWithCode();
  const [method, setMethod] = useState<"browser" | "code">("browser");
  const signIn = method === "browser" ? browserSignIn : codeSignIn;
  const deviceCode = useDeviceCode();
  const cancel = useCancelSignIn();
  const form = useForm<SignInForm>({
    resolver: zodResolver(signInSchema),
    mode: "onTouched",
    defaultValues: {
      tenant: remembered?.tenant ?? "",
      clientId: remembered?.clientId ?? "",
      cloud: remembered?.cloud ?? "global",
      readOnly: remembered?.readOnly ?? false,
    },
  });

  const start = (how: "browser" | "code") =>
    form.handleSubmit((values) => {
      setMethod(how);
      // Only the outcome of the newest attempt is shown, and never an older attempt's code.
      browserSignIn.reset();
      codeSignIn.reset();
      deviceCode.forget();
      (how === "browser" ? browserSignIn : codeSignIn).mutate(values, {
        onSuccess: () => onSignedIn?.(),
        onError: (error) => {
          // The Rust side checks the form too; put its verdict next to the field it names.
          if (error.detail.kind === "validation" && (error.detail.field === "tenant" || error.detail.field === "clientId")) {
            form.setError(error.detail.field, { message: error.detail.message });
          }
        },
      });
    });
  const onSubmit = start("browser");
  const onCode = start("code");

  const waiting = signIn.isPending;
  const failed = signIn.isError && signIn.error.detail.kind !== "validation" ? signIn.error : null;

  return (
    <form className={styles.form} onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Sign in to your organization">
      <SignInFields form={form} disabled={waiting} />

      {waiting ? (
        <Waiting method={method} code={deviceCode.code} onCancel={() => cancel.mutate()} cancelling={cancel.isPending} />
      ) : (
        <div className={styles.actions}>
          <Button type="submit" appearance="primary">
            Sign in
          </Button>
          <Button appearance="secondary" onClick={(e) => void onCode(e)}>
            Sign in with a code instead
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
