import { Checkbox, Field } from "@fluentui/react-components";
import { type Control, Controller, type FieldPath, type FieldValues } from "react-hook-form";

type Props<F extends FieldValues> = {
  control: Control<F>;
  name: FieldPath<F>;
  label: string;
  /** What ticking it means, under the box (and the field's message in its place when it has one). */
  hint?: string;
  disabled?: boolean;
};

/** A yes/no value of a form, as a checkbox with its label (and a hint, when it needs saying). */
export function CheckboxField<F extends FieldValues>({ control, name, label, hint, disabled }: Props<F>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => {
        const box = <Checkbox checked={field.value === true} disabled={disabled} onChange={(_, d) => field.onChange(d.checked === true)} label={label} />;
        return hint === undefined && !fieldState.error ? (
          box
        ) : (
          <Field validationMessage={fieldState.error?.message} hint={fieldState.error ? undefined : hint}>
            {box}
          </Field>
        );
      }}
    />
  );
}
