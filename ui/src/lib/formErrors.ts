import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import type { AppError } from "../api";

/**
 * Rust checks every form again and answers a `validation` error naming the field. Puts that message next
 * to the field when the form has it (returns true); otherwise the caller shows the error as a banner.
 * The form keeps everything that was typed either way.
 */
export function showFieldError<T extends FieldValues>(
  form: UseFormReturn<T>,
  error: AppError,
  fields: ReadonlyArray<Path<T>>,
  aliases: Readonly<Record<string, Path<T>>> = {},
): boolean {
  const detail = error.detail;
  if (detail.kind !== "validation" || !detail.field) return false;
  const field = aliases[detail.field] ?? (fields as ReadonlyArray<string>).find((f) => f === detail.field);
  if (!field) return false;
  form.setError(field as Path<T>, { type: "server", message: detail.message }, { shouldFocus: true });
  return true;
}

/** True when the error was a validation error that `showFieldError` placed next to a field. */
export function isFieldError(error: AppError | null, fields: ReadonlyArray<string>, aliases: Readonly<Record<string, string>> = {}): boolean {
  if (!error || error.detail.kind !== "validation" || !error.detail.field) return false;
  return error.detail.field in aliases || fields.includes(error.detail.field);
}
