// Every property of the Create Contact card (msgraph::ContactInput), each defined once here: its label, its
// section of the New contact form, and how it is typed (text, a list separated by commas, a date, a web page).
// Rust checks everything again before sending (directory::contacts::checked) and names the field it refuses.
import type { ContactInput, PhysicalAddress } from "../../api";

type TextKey =
  | "givenName"
  | "middleName"
  | "surname"
  | "displayName"
  | "nickName"
  | "title"
  | "generation"
  | "initials"
  | "fileAs"
  | "yomiGivenName"
  | "yomiSurname"
  | "mobilePhone"
  | "companyName"
  | "yomiCompanyName"
  | "jobTitle"
  | "department"
  | "officeLocation"
  | "profession"
  | "manager"
  | "assistantName"
  | "businessHomePage"
  | "birthday"
  | "spouseName"
  | "personalNotes";
type ListKey = "emailAddresses" | "businessPhones" | "homePhones" | "imAddresses" | "children" | "categories";
type AddressKey = "businessAddress" | "homeAddress" | "otherAddress";
type AddressPart = keyof PhysicalAddress;

export type ContactFieldKey = TextKey | ListKey;
export type ContactField = { name: ContactFieldKey; label: string; kind: "text" | "list" | "date" | "url" | "notes"; hint?: string; required?: boolean };

export const CONTACT_SECTIONS: { title: string; fields: ContactField[] }[] = [
  {
    title: "Name",
    fields: [
      { name: "givenName", label: "First name", kind: "text", required: true },
      { name: "middleName", label: "Middle name", kind: "text" },
      { name: "surname", label: "Last name", kind: "text" },
      { name: "displayName", label: "Display name", kind: "text", hint: "Empty: the first, middle and last name." },
      { name: "nickName", label: "Nickname", kind: "text" },
      { name: "title", label: "Title", kind: "text", hint: "Such as Dr. or Ms." },
      { name: "generation", label: "Generation", kind: "text", hint: "Such as Jr. or III." },
      { name: "initials", label: "Initials", kind: "text" },
      { name: "fileAs", label: "File as", kind: "text", hint: "How Outlook sorts the contact, such as Bansky, Pavel." },
      { name: "yomiGivenName", label: "Phonetic first name", kind: "text" },
      { name: "yomiSurname", label: "Phonetic last name", kind: "text" },
    ],
  },
  {
    title: "Email and phones",
    fields: [
      { name: "emailAddresses", label: "Email addresses", kind: "list", hint: "Separate several with commas." },
      { name: "businessPhones", label: "Business phones", kind: "list", hint: "Separate several with commas." },
      { name: "homePhones", label: "Home phones", kind: "list", hint: "Separate several with commas." },
      { name: "mobilePhone", label: "Mobile phone", kind: "text" },
      { name: "imAddresses", label: "IM addresses", kind: "list", hint: "Separate several with commas." },
    ],
  },
  {
    title: "Work",
    fields: [
      { name: "companyName", label: "Company", kind: "text" },
      { name: "yomiCompanyName", label: "Phonetic company name", kind: "text" },
      { name: "jobTitle", label: "Job title", kind: "text" },
      { name: "department", label: "Department", kind: "text" },
      { name: "officeLocation", label: "Office", kind: "text" },
      { name: "profession", label: "Profession", kind: "text" },
      { name: "manager", label: "Manager", kind: "text", hint: "Their manager's name." },
      { name: "assistantName", label: "Assistant", kind: "text" },
      { name: "businessHomePage", label: "Web page", kind: "url", hint: "Such as https://www.fabrikam.com." },
    ],
  },
  {
    title: "Personal",
    fields: [
      { name: "birthday", label: "Birthday", kind: "date", hint: "Year-month-day, such as 1990-05-17." },
      { name: "spouseName", label: "Spouse or partner", kind: "text" },
      { name: "children", label: "Children", kind: "list", hint: "Their names, separated by commas." },
      { name: "categories", label: "Categories", kind: "list", hint: "Outlook categories, separated by commas." },
      { name: "personalNotes", label: "Notes", kind: "notes" },
    ],
  },
];

export const ADDRESSES: { name: AddressKey; label: string }[] = [
  { name: "businessAddress", label: "Business address" },
  { name: "homeAddress", label: "Home address" },
  { name: "otherAddress", label: "Other address" },
];
export const ADDRESS_PARTS: { name: AddressPart; label: string }[] = [
  { name: "street", label: "Street" },
  { name: "city", label: "City" },
  { name: "state", label: "State or province" },
  { name: "postalCode", label: "Postal code" },
  { name: "countryOrRegion", label: "Country or region" },
];

export type AddressValues = Record<AddressPart, string>;
/** What the form holds: every field as typed (lists as one line, separated by commas). */
export type ContactValues = Record<ContactFieldKey, string> & Record<AddressKey, AddressValues>;

const ALL_FIELDS = CONTACT_SECTIONS.flatMap((s) => s.fields);
/** The form's field names Rust may name in a refusal (an address is named as a whole: its street is marked). */
export const CONTACT_FIELD_NAMES = ALL_FIELDS.map((f) => f.name);
export const CONTACT_ALIASES = {
  businessAddress: "businessAddress.street",
  homeAddress: "homeAddress.street",
  otherAddress: "otherAddress.street",
} as const;

export function emptyContact(): ContactValues {
  const blankAddress = (): AddressValues => ({ street: "", city: "", state: "", postalCode: "", countryOrRegion: "" });
  const values = Object.fromEntries(ALL_FIELDS.map((f) => [f.name, ""])) as Record<ContactFieldKey, string>;
  return { ...values, businessAddress: blankAddress(), homeAddress: blankAddress(), otherAddress: blankAddress() };
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A list typed on one line: split at commas and semicolons, trimmed, empty entries dropped. */
export function splitList(v: string): string[] {
  return v
    .split(/[,;]/)
    .map((e) => e.trim())
    .filter(Boolean);
}

function isDay(v: string): boolean {
  const m = DAY.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** What is wrong with what was typed, field by field, in plain words (nothing: it can be sent). */
export function contactProblems(v: ContactValues): { field: ContactFieldKey; message: string }[] {
  const out: { field: ContactFieldKey; message: string }[] = [];
  if (!v.givenName.trim()) out.push({ field: "givenName", message: "Enter the contact's first name." });
  const bad = splitList(v.emailAddresses).find((e) => !EMAIL.test(e));
  if (bad) out.push({ field: "emailAddresses", message: `“${bad}” is not an email address, such as kim@fabrikam.com.` });
  const page = v.businessHomePage.trim();
  if (page && !/^(https?:\/\/)?[^\s/.]+(\.[^\s/.]+)+(\/\S*)?$/.test(page)) {
    out.push({ field: "businessHomePage", message: `“${page}” is not a web address, such as https://www.fabrikam.com.` });
  }
  const day = v.birthday.trim();
  if (day && !isDay(day)) out.push({ field: "birthday", message: `“${day}” is not a date. Write the birthday as year-month-day, for example 1990-05-17.` });
  return out;
}

const text = (v: string): string | null => (v.trim() === "" ? null : v.trim());

function address(a: AddressValues): PhysicalAddress | null {
  const out: PhysicalAddress = {};
  for (const p of ADDRESS_PARTS) {
    const t = text(a[p.name]);
    if (t !== null) out[p.name] = t;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The contact as it is sent: every field typed (empty ones left out), lists split, addresses only when filled in. */
export function contactFrom(v: ContactValues): ContactInput {
  const out: ContactInput = {};
  for (const f of ALL_FIELDS) {
    if (f.name === "emailAddresses") continue;
    if (f.kind === "list") {
      const items = splitList(v[f.name]);
      if (items.length > 0) out[f.name as Exclude<ListKey, "emailAddresses">] = items;
    } else {
      const t = text(v[f.name]);
      if (t !== null) out[f.name as TextKey] = t;
    }
  }
  const emails = splitList(v.emailAddresses);
  if (emails.length > 0) out.emailAddresses = emails.map((address) => ({ address, name: null }));
  for (const a of ADDRESSES) {
    const filled = address(v[a.name]);
    if (filled) out[a.name] = filled;
  }
  return out;
}
