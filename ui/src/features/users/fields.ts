// The user properties the forms and the drawer show: each one's label and section, once. The properties
// themselves are Rust's (msgraph::User, msgraph::UserProfile, generated into bindings.gen.ts); this file only
// says how a person sees them. The New user form, the Edit form and the user drawer all read these sections.
import type { UserDetails, UserProfileChange } from "../../api";
import { profileProblem, profileValue } from "./rules";

/** A property of `msgraph::UserProfile` (what Create and Update User can set). */
export type ProfileName = keyof UserProfileChange & keyof UserDetails;

type Kind =
  /** One line of text. */
  | "text"
  /** Several lines (street address). */
  | "multiline"
  /** A day (hire date): shown as year-month-day, sent as Graph's date-time. */
  | "date"
  /** Several email addresses, one per line or separated by commas. */
  | "list"
  /** Graph keeps a list but the person has one (business phone). */
  | "one"
  /** One of Graph's values (age group, consent). */
  | "choice";

export type ProfileField = {
  name: ProfileName;
  label: string;
  kind: Kind;
  hint?: string;
  choices?: ReadonlyArray<readonly [string, string]>;
};

export const AGE_GROUPS = [
  ["Adult", "Adult"],
  ["NotAdult", "Not adult"],
  ["Minor", "Minor"],
] as const;

export const CONSENT = [
  ["Granted", "Granted"],
  ["Denied", "Denied"],
  ["NotRequired", "Not required"],
] as const;

export type Section = { title: string; fields: ReadonlyArray<ProfileField> };

/** Every settable profile property, in the sections the forms and the drawer show. */
export const PROFILE_SECTIONS: ReadonlyArray<Section> = [
  {
    title: "Name",
    fields: [
      { name: "givenName", label: "First name", kind: "text" },
      { name: "surname", label: "Last name", kind: "text" },
    ],
  },
  {
    title: "Job",
    fields: [
      { name: "jobTitle", label: "Job title", kind: "text" },
      { name: "department", label: "Department", kind: "text" },
      { name: "companyName", label: "Company", kind: "text" },
      { name: "officeLocation", label: "Office", kind: "text" },
      { name: "employeeId", label: "Employee ID", kind: "text", hint: "At most 16 characters." },
      { name: "employeeType", label: "Employee type", kind: "text", hint: "For example Employee or Contractor." },
      { name: "employeeHireDate", label: "Hire date", kind: "date", hint: "Year-month-day, like 2026-03-01." },
    ],
  },
  {
    title: "Contact",
    fields: [
      { name: "businessPhones", label: "Business phone", kind: "one" },
      { name: "mobilePhone", label: "Mobile phone", kind: "text" },
      { name: "faxNumber", label: "Fax number", kind: "text" },
      { name: "otherMails", label: "Other email addresses", kind: "list", hint: "Separate addresses with commas." },
    ],
  },
  {
    title: "Address",
    fields: [
      { name: "streetAddress", label: "Street address", kind: "multiline" },
      { name: "city", label: "City", kind: "text" },
      { name: "state", label: "State or province", kind: "text" },
      { name: "postalCode", label: "Postal code", kind: "text" },
      { name: "country", label: "Country or region", kind: "text" },
    ],
  },
  {
    title: "Region and language",
    fields: [
      { name: "usageLocation", label: "Usage location", kind: "text", hint: "Two-letter country code (GB, US…). Needed before a licence can be given." },
      { name: "preferredLanguage", label: "Preferred language", kind: "text", hint: "A language code such as en-US or fr-FR." },
    ],
  },
  {
    title: "Age and consent",
    fields: [
      { name: "ageGroup", label: "Age group", kind: "choice", choices: AGE_GROUPS },
      { name: "consentProvidedForMinor", label: "Consent for a minor", kind: "choice", choices: CONSENT, hint: "Whether a parent agreed, when the person is a minor." },
    ],
  },
  {
    title: "On-premises",
    fields: [
      {
        name: "onPremisesImmutableId",
        label: "On-premises immutable ID",
        kind: "text",
        hint: "Only for a sign-in name on a federated domain: the id of the person's on-premises account.",
      },
    ],
  },
];

export const PROFILE_FIELDS: ReadonlyArray<ProfileField> = PROFILE_SECTIONS.flatMap((s) => s.fields);
export const PROFILE_NAMES: ReadonlyArray<ProfileName> = PROFILE_FIELDS.map((f) => f.name);

/** What a form holds for the profile: one string per property. */
export type ProfileForm = Record<ProfileName, string>;

export function emptyProfile(): ProfileForm {
  return Object.fromEntries(PROFILE_NAMES.map((n) => [n, ""])) as ProfileForm;
}

function splitList(v: string): string[] {
  return v
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The form's text for a property of a person. */
export function formValue(field: ProfileField, u: UserDetails): string {
  const v: unknown = u[field.name];
  if (Array.isArray(v)) {
    const items = v.map(String);
    return field.kind === "one" ? (items[0] ?? "") : items.join(", ");
  }
  if (typeof v !== "string") return "";
  return field.kind === "date" ? v.slice(0, 10) : v;
}

export function profileFormOf(u: UserDetails): ProfileForm {
  return Object.fromEntries(PROFILE_FIELDS.map((f) => [f.name, formValue(f, u)])) as ProfileForm;
}

/** What is wrong with a field's text (each address of a list checked), or null. */
export function fieldProblem(field: ProfileField, value: string): string | null {
  if (field.kind === "choice") return null;
  if (field.kind === "list") {
    for (const item of splitList(value)) {
      const p = profileProblem(field.name, item);
      if (p) return p;
    }
    return null;
  }
  return profileProblem(field.name, value);
}

/** The value sent for a field's text: null clears (or, on a create, is left out). */
function sent(field: ProfileField, value: string): string | string[] | null {
  if (field.kind === "list") return splitList(value).map((v) => profileValue(field.name, v) ?? v);
  if (field.kind === "one") {
    const v = value.trim();
    return v === "" ? [] : [v];
  }
  if (field.kind === "choice") return value === "" ? null : value;
  return profileValue(field.name, value);
}

/** For Create User: only what was filled in. */
export function profileToCreate(form: ProfileForm): UserProfileChange {
  const out: Record<string, unknown> = {};
  for (const f of PROFILE_FIELDS) {
    const v = sent(f, form[f.name]);
    if (v !== null && !(Array.isArray(v) && v.length === 0)) out[f.name] = v;
  }
  return out;
}

/** For Update User: only what changed; an emptied field is sent as null (cleared), an emptied list as []. */
export function profileChanges(before: ProfileForm, after: ProfileForm): UserProfileChange {
  const out: Record<string, unknown> = {};
  for (const f of PROFILE_FIELDS) {
    const a = sent(f, after[f.name]);
    const b = sent(f, before[f.name]);
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f.name] = a;
  }
  return out;
}

/** How the drawer shows a property: choices by their label, a hire date as a day, lists joined. */
export function shownValue(field: ProfileField, u: UserDetails): string | null {
  const text = formValue(field, u);
  if (text === "") return null;
  if (field.choices) return field.choices.find(([v]) => v === text)?.[1] ?? text;
  return text;
}
