import {
  Button,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Skeleton,
  SkeletonItem,
  Switch,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { zodResolver } from "@hookform/resolvers/zod";
import { type ReactNode, useState } from "react";
import { Controller, type ControllerRenderProps, type UseFormReturn, useForm, useWatch } from "react-hook-form";
import {
  type WatchSettings,
  useSaveWatchSettings,
  useSetStartAtLogin,
  useAppState,
  useStartAtLogin,
  useWatchSettings,
} from "../api";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { GroupPicker } from "../features/groups/GroupPicker";
import { Section } from "../components/Section";
import { PracticeReset } from "../features/settings/PracticeReset";
import { KindsTable } from "../features/settings/KindsTable";
import { SERVER_FIELDS, type SettingsForm, fromForm, settingsSchema, toForm } from "../features/settings/schema";
import { UserPicker } from "../features/users/UserPicker";
import { CheckNowButton } from "../features/watch/CheckNowButton";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL, maxWidth: "880px" },
  inline: { display: "flex", alignItems: "flex-start", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  number: { width: "120px" },
  unit: { minWidth: "130px" },
  footer: {
    position: "sticky",
    bottom: `calc(-1 * ${tokens.spacingVerticalXL})`,
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} 0`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  footerNote: { color: tokens.colorNeutralForeground2, marginLeft: tokens.spacingHorizontalM },
  skeleton: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

/** The watch-list picker: searches the local copy of the directory's groups as you type. */
function WatchedGroupsPicker({
  value,
  onChange,
  disabled,
  error,
}: {
  value: SettingsForm["watchedGroups"];
  onChange: (value: SettingsForm["watchedGroups"]) => void;
  disabled: boolean;
  error?: string;
}) {
  return (
    <Field
      label="Groups to watch"
      validationMessage={error}
      hint={error ? undefined : "Type part of a group's name. Choose as many groups as you like."}
    >
      <GroupPicker label="Groups to watch" selected={value} onChange={onChange} disabled={disabled} />
    </Field>
  );
}

function StartAtLoginSwitch() {
  const current = useStartAtLogin();
  const set = useSetStartAtLogin();
  return (
    <>
      <Switch
        label="Start Entra Desk when I sign in to this computer"
        checked={set.isPending ? set.variables : (current.data ?? false)}
        disabled={!current.isSuccess || set.isPending}
        onChange={(_, data) => set.mutate(data.checked)}
      />
      {current.isError && <ErrorMessageBar error={current.error} title="Couldn't read the start-up setting" />}
      {set.isError && <ErrorMessageBar error={set.error} title="Couldn't change the start-up setting" />}
    </>
  );
}

/** Edits the watch settings: each section changes part of one form, saved together. */
function SettingsFormView({ initial }: { initial: WatchSettings }) {
  const styles = useStyles();
  const save = useSaveWatchSettings();
  const [savedNote, setSavedNote] = useState(false);
  const form = useForm<SettingsForm>({
    resolver: zodResolver(settingsSchema),
    mode: "onChange",
    defaultValues: toForm(initial),
  });
  const onEdit = () => setSavedNote(false);

  const onSubmit = form.handleSubmit((values) => {
    setSavedNote(false);
    save.mutate(fromForm(values), {
      onSuccess: (saved) => {
        form.reset(toForm(saved));
        setSavedNote(true);
      },
      onError: (error) => {
        // Rust checks the rules too; its message goes next to the field it names. The form keeps what was typed.
        const detail = error.detail;
        if (detail.kind === "validation" && detail.field && detail.field in SERVER_FIELDS) {
          const field = SERVER_FIELDS[detail.field as keyof typeof SERVER_FIELDS];
          form.setError(field, { type: "server", message: detail.message }, { shouldFocus: true });
        }
      },
    });
  });

  const serverFieldError =
    save.isError && save.error.detail.kind === "validation" && save.error.detail.field && save.error.detail.field in SERVER_FIELDS;

  return (
    <form className={styles.page} onSubmit={(e) => void onSubmit(e)} onChange={onEdit} noValidate aria-label="Watch settings">
      <KindsSection form={form} onEdit={onEdit} />
      <GroupsSection form={form} onEdit={onEdit} />
      <MemberTypeSection form={form} />
      <PeopleSection form={form} onEdit={onEdit} />
      <OftenSection form={form} />
      <Section id="settings-startup" title="Start-up" help="Entra Desk keeps watching in the tray after you close its window.">
        <StartAtLoginSwitch />
      </Section>

      {save.isError && !serverFieldError && <ErrorMessageBar error={save.error} title="Couldn't save the settings" />}
      <SaveBar form={form} save={save} savedNote={savedNote} />
    </form>
  );
}

/** What each section is given: the form, and `onEdit` where a change is not an input event of the form. */
type SectionProps = { form: UseFormReturn<SettingsForm>; onEdit: () => void };

function KindsSection({ form, onEdit }: SectionProps) {
  const kinds = useWatch({ control: form.control, name: "kinds" });
  return (
    <Section
      id="settings-what"
      title="What to watch"
      help="Choose which changes Entra Desk records in Activity, and which of them it announces on your desktop."
    >
      <KindsTable
        kinds={kinds}
        onChange={(index, next) => {
          onEdit();
          form.setValue(`kinds.${index}`, next, { shouldDirty: true });
        }}
      />
    </Section>
  );
}

/** "All …" or "Only these …" (a radio group), and the picker of the chosen ones under "Only these". */
function AllOrOnly({
  form,
  name,
  list,
  label,
  allLabel,
  onlyLabel,
  children,
}: {
  form: UseFormReturn<SettingsForm>;
  name: "watchAllGroups" | "watchAllUsers";
  /** The list the picker edits: checked again when the choice changes. */
  list: "watchedGroups" | "watchedUsers";
  label: string;
  allLabel: string;
  onlyLabel: string;
  children: ReactNode;
}) {
  const all = useWatch({ control: form.control, name });
  return (
    <>
      <Controller
        control={form.control}
        name={name}
        render={({ field }) => (
          <RadioGroup
            aria-label={label}
            value={field.value ? "all" : "only"}
            onChange={(_, data) => {
              field.onChange(data.value === "all");
              void form.trigger(list);
            }}
          >
            <Radio value="all" label={allLabel} />
            <Radio value="only" label={onlyLabel} />
          </RadioGroup>
        )}
      />
      {!all && children}
    </>
  );
}

function GroupsSection({ form, onEdit }: SectionProps) {
  return (
    <Section
      id="settings-groups"
      title="Which groups"
      help="Membership changes and group updates can be watched for every group, or only for the groups you choose."
    >
      <AllOrOnly form={form} name="watchAllGroups" list="watchedGroups" label="Which groups" allLabel="All groups" onlyLabel="Only these groups">
        <Controller
          control={form.control}
          name="watchedGroups"
          render={({ field, fieldState }) => (
            <WatchedGroupsPicker
              value={field.value}
              onChange={(next) => {
                onEdit();
                field.onChange(next);
              }}
              disabled={false}
              error={fieldState.error?.message}
            />
          )}
        />
      </AllOrOnly>
    </Section>
  );
}

function MemberTypeSection({ form }: Pick<SectionProps, "form">) {
  return (
    <Section
      id="settings-member-type"
      title="Members or owners"
      help="“Member added” and “Member removed” can follow the people who join and leave groups, the groups' owners, or both."
    >
      <Controller
        control={form.control}
        name="memberType"
        render={({ field }) => (
          <RadioGroup aria-label="Members or owners" value={field.value} onChange={(_, data) => field.onChange(data.value)}>
            <Radio value="members" label="Members" />
            <Radio value="owners" label="Owners" />
            <Radio value="both" label="Members and owners" />
          </RadioGroup>
        )}
      />
    </Section>
  );
}

function PeopleSection({ form, onEdit }: SectionProps) {
  return (
    <Section
      id="settings-people"
      title="Which people"
      help="“User updated” can be announced for everyone, or only for the people you choose. New and deleted accounts are always recorded."
    >
      <AllOrOnly form={form} name="watchAllUsers" list="watchedUsers" label="Which people" allLabel="Everyone" onlyLabel="Only these people">
        <Controller
          control={form.control}
          name="watchedUsers"
          render={({ field, fieldState }) => (
            <Field
              label="People to watch"
              validationMessage={fieldState.error?.message}
              hint={fieldState.error ? undefined : "Type part of a name, sign-in name or email address."}
            >
              <UserPicker
                label="People to watch"
                selected={field.value}
                onChange={(next) => {
                  onEdit();
                  field.onChange(next.map((c) => ({ id: c.id, name: c.name })));
                }}
              />
            </Field>
          )}
        />
      </AllOrOnly>
    </Section>
  );
}

/** A whole number typed in a form field (the interval, the days of history): a Controller's field, spread. */
function NumberInput(field: ControllerRenderProps<SettingsForm, "interval" | "retentionDays">) {
  const styles = useStyles();
  const { onChange, ...rest } = field;
  return <Input className={styles.number} type="number" min={1} inputMode="numeric" {...rest} onChange={(_, data) => onChange(data.value)} />;
}

function OftenSection({ form }: Pick<SectionProps, "form">) {
  const styles = useStyles();
  const { control } = form;
  return (
    <Section id="settings-often" title="How often" help="Each check is one small request per kind of object. Changes are kept on this computer.">
      <Controller
        control={control}
        name="interval"
        render={({ field, fieldState }) => (
          <Field
            label="Check the directory every"
            validationMessage={fieldState.error?.message}
            hint={fieldState.error ? undefined : "At least every 15 seconds, at most once a day."}
          >
            {() => (
              <div className={styles.inline}>
                <NumberInput {...field} />
                <Controller
                  control={control}
                  name="unit"
                  render={({ field: unit }) => (
                    <Dropdown
                      className={styles.unit}
                      aria-label="Unit"
                      value={unit.value}
                      selectedOptions={[unit.value]}
                      onOptionSelect={(_, data) => {
                        if (data.optionValue) unit.onChange(data.optionValue);
                        void form.trigger("interval");
                      }}
                    >
                      <Option value="seconds">seconds</Option>
                      <Option value="minutes">minutes</Option>
                    </Dropdown>
                  )}
                />
              </div>
            )}
          </Field>
        )}
      />
      <Controller
        control={control}
        name="retentionDays"
        render={({ field, fieldState }) => (
          <Field
            label="Keep history for (days)"
            validationMessage={fieldState.error?.message}
            hint={fieldState.error ? undefined : "Microsoft keeps its audit log for 7 to 30 days; Entra Desk can keep years."}
          >
            <NumberInput {...field} />
          </Field>
        )}
      />
      <CheckNowButton />
    </Section>
  );
}

/** Save and Reset, with what happened: saved, or changes not saved yet. */
function SaveBar({
  form,
  save,
  savedNote,
}: {
  form: UseFormReturn<SettingsForm>;
  save: ReturnType<typeof useSaveWatchSettings>;
  savedNote: boolean;
}) {
  const styles = useStyles();
  const { formState } = form;
  return (
    <div className={styles.footer}>
      <Button type="submit" appearance="primary" disabled={save.isPending || !formState.isDirty}>
        {save.isPending ? "Saving…" : "Save"}
      </Button>
      <Button
        disabled={save.isPending || !formState.isDirty}
        onClick={() => {
          form.reset();
          save.reset();
        }}
      >
        Reset
      </Button>
      {savedNote && !formState.isDirty && (
        <Text className={styles.footerNote} role="status">
          Saved. The new settings apply from the next check.
        </Text>
      )}
      {formState.isDirty && !save.isPending && <Text className={styles.footerNote}>You have unsaved changes.</Text>}
    </div>
  );
}

export function SettingsPage() {
  const styles = useStyles();
  const settings = useWatchSettings();
  const app = useAppState();
  const active = app.data?.accounts.find((account) => account.id === app.data?.activeAccountId);
  return (
    <div className={styles.page}>
      <PageHeader title="Settings" description="How Entra Desk watches the directory for this account." />
      {settings.isError && <ErrorMessageBar error={settings.error} title="Couldn't load the settings" />}
      {settings.isPending && (
        <Skeleton aria-label="Loading settings" className={styles.skeleton}>
          {Array.from({ length: 6 }, (_, i) => (
            <SkeletonItem key={i} size={32} />
          ))}
        </Skeleton>
      )}
      {settings.isSuccess && <SettingsFormView initial={settings.data} />}
      {active?.kind === "practice" && (
        <Section
          id="settings-practice"
          title="Practice tenant"
          help="The practice tenant runs only on this computer. Start over to get the sample directory back as it was when you first opened it."
        >
          <PracticeReset />
        </Section>
      )}
    </div>
  );
}
