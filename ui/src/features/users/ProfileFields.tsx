import { Dropdown, Field, Input, Option, Subtitle2, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { type Control, Controller, type FieldValues, type Path } from "react-hook-form";
import { z } from "zod";
import { PROFILE_FIELDS, PROFILE_SECTIONS, type ProfileField, type ProfileForm, fieldProblem } from "./fields";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0, marginTop: tokens.spacingVerticalS },
  grid: { display: "grid", gridTemplateColumns: "1fr 1fr", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS, alignItems: "start" },
  wide: { gridColumn: "1 / -1" },
});

/** The profile part of a form's schema: every property as text, each checked as Rust checks it (./rules). */
export const profileSchema = z
  .object(Object.fromEntries(PROFILE_FIELDS.map((f) => [f.name, z.string()])) as Record<keyof ProfileForm, z.ZodString>)
  .superRefine((v, ctx) => {
    for (const f of PROFILE_FIELDS) {
      const problem = fieldProblem(f, v[f.name]);
      if (problem) ctx.addIssue({ code: "custom", path: [f.name], message: problem });
    }
  });

/** The form field names Rust may name in a validation error, as paths of a form holding `profile`. */
export const PROFILE_PATHS = PROFILE_FIELDS.map((f) => `profile.${f.name}` as const);
/** Rust names a profile property by its Graph name; the form holds it under `profile.`. */
export const PROFILE_ALIASES = Object.fromEntries(PROFILE_FIELDS.map((f) => [f.name, `profile.${f.name}`])) as Record<
  string,
  (typeof PROFILE_PATHS)[number]
>;

function Input1<T extends FieldValues>({ control, field: f }: { control: Control<T>; field: ProfileField }) {
  const styles = useStyles();
  const name = `profile.${f.name}` as Path<T>;
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <Field
          className={f.kind === "multiline" || f.kind === "list" ? styles.wide : undefined}
          label={f.label}
          validationMessage={fieldState.error?.message}
          hint={fieldState.error ? undefined : f.hint}
        >
          {f.kind === "choice" ? (
            <Dropdown
              ref={field.ref}
              value={f.choices?.find(([v]) => v === field.value)?.[1] ?? "Not set"}
              selectedOptions={[String(field.value)]}
              onOptionSelect={(_, d) => field.onChange(d.optionValue ?? "")}
              onBlur={field.onBlur}
            >
              <Option value="">Not set</Option>
              {(f.choices ?? []).map(([v, label]) => (
                <Option key={v} value={v}>
                  {label}
                </Option>
              ))}
            </Dropdown>
          ) : f.kind === "multiline" ? (
            <Textarea ref={field.ref} value={String(field.value)} onBlur={field.onBlur} onChange={(_, d) => field.onChange(d.value)} resize="vertical" />
          ) : (
            <Input
              ref={field.ref}
              placeholder={f.kind === "date" ? "2026-03-01" : undefined}
              value={String(field.value)}
              onBlur={field.onBlur}
              onChange={(_, d) => field.onChange(d.value)}
            />
          )}
        </Field>
      )}
    />
  );
}

/** The profile's sections (name, job, contact, address, region and language, age and consent, on-premises). */
export function ProfileFields<T extends FieldValues>({ control, skip = [] }: { control: Control<T>; skip?: ReadonlyArray<string> }) {
  const styles = useStyles();
  return (
    <>
      {PROFILE_SECTIONS.filter((s) => s.fields.some((f) => !skip.includes(f.name))).map((s) => (
        <section key={s.title} className={styles.section} aria-label={s.title}>
          <Subtitle2 as="h3" className={styles.heading}>
            {s.title}
          </Subtitle2>
          <div className={styles.grid}>
            {s.fields
              .filter((f) => !skip.includes(f.name))
              .map((f) => (
                <Input1 key={f.name} control={control} field={f} />
              ))}
          </div>
        </section>
      ))}
    </>
  );
}
