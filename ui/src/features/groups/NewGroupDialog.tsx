import {
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, type UseFormReturn, useForm, useWatch } from "react-hook-form";
import { CheckboxField } from "../../components/CheckboxField";
import { z } from "zod";
import { type CreatedGroup, useCreateGroup, useMembershipRuleCheck } from "../../api";
import type { Choice } from "../../components/SearchPicker";
import { isFieldError, showFieldError } from "../../lib/formErrors";
import { useDebounced } from "../../lib/useDebounced";
import { UserPicker } from "../users/UserPicker";
import { SecurityGroupPicker } from "./SecurityGroupPicker";
import { FormDialog } from "../../components/FormDialog";
import type { PreviewAction } from "../../api";

const NICKNAME = /^[\x21-\x7e]+$/;
const NICKNAME_FORBIDDEN = /[@()\\[\]";:.<>,\s]/;
const choices = z.array(z.object({ id: z.string(), name: z.string() }));

const schema = z
  .object({
    kind: z.enum(["microsoft365", "security"]),
    displayName: z.string().trim().min(1, "Enter a name for the group.").max(256, "Use at most 256 characters."),
    mailNickname: z
      .string()
      .trim()
      .min(1, "Enter a mail nickname (letters, digits, - and _).")
      .max(64, "Use at most 64 characters.")
      .refine((v) => NICKNAME.test(v) && !NICKNAME_FORBIDDEN.test(v), "Use letters, digits, - and _ only: no spaces, dots or @."),
    description: z.string(),
    visibility: z.enum(["Public", "Private", "HiddenMembership"]),
    membership: z.enum(["assigned", "dynamic"]),
    membershipRule: z.string(),
    isAssignableToRole: z.boolean(),
    owners: choices.max(10, "Choose at most 10 owners."),
    members: choices,
    memberGroups: choices,
  })
  .superRefine((v, ctx) => {
    if (v.membership === "dynamic" && v.membershipRule.trim() === "")
      ctx.addIssue({ code: "custom", path: ["membershipRule"], message: "Write the rule that chooses the members, for example (user.department -eq \"Sales\")." });
    if (v.isAssignableToRole && v.membership === "dynamic")
      ctx.addIssue({ code: "custom", path: ["isAssignableToRole"], message: "A group that can be given roles can't have dynamic membership." });
  });
type Form = z.infer<typeof schema>;
const FIELDS = ["displayName", "mailNickname", "description", "owners", "members", "membershipRule", "visibility", "isAssignableToRole"] as const;

/** "Sales & Marketing EU" → "SalesMarketingEU": ASCII letters, digits, - and _. */
export function nicknameFrom(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9_-]/g, "")
    .slice(0, 64);
}

const useStyles = makeStyles({
  surface: { maxWidth: "680px", width: "100%" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  rule: { fontFamily: tokens.fontFamilyMonospace },
  said: { color: tokens.colorPaletteGreenForeground1 },
  ruleBlock: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
});

const DEFAULTS: Form = {
  kind: "microsoft365",
  displayName: "",
  mailNickname: "",
  description: "",
  visibility: "Private",
  membership: "assigned",
  membershipRule: "",
  isAssignableToRole: false,
  owners: [],
  members: [],
  memberGroups: [],
};

/** What Create Group sends: the form's values as the command takes them. */
function toRequest(v: Form) {
  const dynamic = v.membership === "dynamic";
  return {
    kind: v.kind,
    displayName: v.displayName.trim(),
    mailNickname: v.mailNickname.trim(),
    description: v.description.trim() || null,
    visibility: v.isAssignableToRole ? ("Private" as const) : v.kind === "microsoft365" ? v.visibility : null,
    membershipRule: dynamic ? v.membershipRule.trim() : null,
    isAssignableToRole: v.isAssignableToRole && !dynamic,
    owners: v.owners.map((o) => o.id),
    members: dynamic ? [] : [...v.members, ...(v.kind === "security" ? v.memberGroups : [])].map((m) => m.id),
  };
}

type Props = { open: boolean; onClose: () => void; onCreated: (created: CreatedGroup) => void };

export function NewGroupDialog({ open, onClose, onCreated }: Props) {
  const styles = useStyles();
  const create = useCreateGroup();
  const form = useForm<Form>({ resolver: zodResolver(schema), mode: "onTouched", defaultValues: DEFAULTS });
  const close = () => {
    if (create.isPending) return;
    create.reset();
    form.reset();
    onClose();
  };
  const onSubmit = form.handleSubmit((values) => {
    create.mutate(toRequest(values), {
      onSuccess: (created) => {
        form.reset();
        onCreated(created);
      },
      onError: (error) => void showFieldError(form, error, FIELDS),
    });
  });
  const bannerError = create.isError && !isFieldError(create.error, FIELDS) ? create.error : null;
  const pendingAction = (): PreviewAction | null => {
    const values = form.getValues();
    return schema.safeParse(values).success ? { action: "createGroup", group: toRequest(values) } : null;
  };

  return (
    <FormDialog
      open={open}
      surfaceClassName={styles.surface}
      contentClassName={styles.content}
      label="New group"
      title="New group"
      onSubmit={onSubmit}
      onCancel={close}
      busy={create.isPending}
      submitText="Create group"
      busyText="Creating…"
      error={{ error: bannerError, title: "Couldn't create the group" }}
      preview={pendingAction}
    >
      <NameFields form={form} />
      <AccessFields form={form} />
      <MembershipFields form={form} />
    </FormDialog>
  );
}

type Part = { form: UseFormReturn<Form> };

/** Type, name, mail nickname (follows the name until edited by hand), description. */
function NameFields({ form }: Part) {
  return (
    <>
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
    </>
  );
}

const PRIVACY_HINTS: Record<Form["visibility"], string> = {
  Private: "Only owners can add members; only members see the content.",
  Public: "Anyone in the organisation can join and see the content.",
  HiddenMembership: "Like private, and nobody outside the group sees who is in it. Can only be chosen now, not changed later.",
};

/** Privacy (Microsoft 365), "can be given roles", owners. */
function AccessFields({ form }: Part) {
  const [kind, roles, membership] = useWatch({ control: form.control, name: ["kind", "isAssignableToRole", "membership"] });
  return (
    <>
      {kind === "microsoft365" && !roles && (
        <Controller
          control={form.control}
          name="visibility"
          render={({ field, fieldState }) => (
            <Field label="Privacy" validationMessage={fieldState.error?.message} hint={PRIVACY_HINTS[field.value]}>
              <Dropdown
                value={field.value === "HiddenMembership" ? "Hidden membership" : field.value}
                selectedOptions={[field.value]}
                onOptionSelect={(_, data) => data.optionValue && field.onChange(data.optionValue)}
              >
                <Option value="Private">Private</Option>
                <Option value="Public">Public</Option>
                <Option value="HiddenMembership">Hidden membership</Option>
              </Dropdown>
            </Field>
          )}
        />
      )}
      <CheckboxField
        control={form.control}
        name="isAssignableToRole"
        label="Microsoft Entra roles can be given to this group"
        hint="For groups whose members get admin roles (such as Helpdesk Administrator). The group is private, its members are chosen by hand, and this can't be changed later. You need the Privileged Role Administrator role."
        disabled={membership === "dynamic"}
      />
      <Controller
        control={form.control}
        name="owners"
        render={({ field, fieldState }) => (
          <Field
            label="Owners (optional)"
            validationMessage={fieldState.error?.message}
            hint={fieldState.error ? undefined : "Owners manage the group and its members. Up to 10. With none, you become the owner."}
          >
            <UserPicker label="Owners" selected={field.value} onChange={(next: Choice[]) => field.onChange(next)} />
          </Field>
        )}
      />
    </>
  );
}

/** Assigned (people, and security groups for security groups) or dynamic (a rule, said in words as it is typed). */
function MembershipFields({ form }: Part) {
  const [kind, membership, roles] = useWatch({ control: form.control, name: ["kind", "membership", "isAssignableToRole"] });
  return (
    <>
      <Controller
        control={form.control}
        name="membership"
        render={({ field }) => (
          <Field label="Membership">
            <RadioGroup layout="horizontal" value={field.value} onChange={(_, data) => field.onChange(data.value)}>
              <Radio value="assigned" label="Assigned: chosen by hand" />
              <Radio value="dynamic" label="Dynamic: from a rule" disabled={roles} />
            </RadioGroup>
          </Field>
        )}
      />
      {membership === "dynamic" ? (
        <RuleField form={form} />
      ) : (
        <>
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
          {kind === "security" && (
            <Controller
              control={form.control}
              name="memberGroups"
              render={({ field }) => (
                <Field label="Groups as members (optional)" hint="Security groups only: their members get what this group gives.">
                  <SecurityGroupPicker label="Groups as members" selected={field.value} onChange={(next: Choice[]) => field.onChange(next)} />
                </Field>
              )}
            />
          )}
        </>
      )}
    </>
  );
}

/** The membership rule, and under it what it selects in plain words (or what is wrong), checked by Rust as it is typed. */
function RuleField({ form }: Part) {
  const styles = useStyles();
  const rule = useWatch({ control: form.control, name: "membershipRule" });
  const typed = useDebounced(rule.trim(), 250);
  const check = useMembershipRuleCheck(typed);
  const problem = check.isError ? check.error.message : undefined;
  const said = typed && check.data ? `Members will be ${check.data.explanation}.` : undefined;
  return (
    <div className={styles.ruleBlock}>
      <Controller
        control={form.control}
        name="membershipRule"
        render={({ field, fieldState }) => (
          <Field
            label="Membership rule"
            required
            validationMessage={fieldState.error?.message ?? problem}
            validationState={fieldState.error || problem ? "error" : "none"}
            hint={said ? undefined : 'For example (user.department -eq "Sales") -and (user.country -eq "GB").'}
          >
            <Textarea
              ref={field.ref}
              className={styles.rule}
              value={field.value}
              onBlur={field.onBlur}
              onChange={(_, data) => field.onChange(data.value)}
              spellCheck={false}
              resize="vertical"
            />
          </Field>
        )}
      />
      {said && (
        <Text role="status" className={styles.said} data-testid="rule-explanation">
          {said}
        </Text>
      )}
    </div>
  );
}
