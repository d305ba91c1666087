// The sign-in name and password rules Rust checks before creating a person (directory::validate::upn and
// ::password), with the same words, so the New user form refuses what Rust would refuse before anything is
// sent. Both sides run every case of tests/rules/sign-in-rules.json (rules.test.ts here,
// src-tauri/crates/directory/tests/rules.rs there).

const ALIAS_CHAR = /^[A-Za-z0-9'.\-_!#^~]$/;

/** Characters, not UTF-16 units: "😀" is one (Rust counts `char`s). */
function length(s: string): number {
  return [...s].length;
}

function domainProblem(domain: string): string | null {
  const ok =
    domain.includes(".") &&
    domain.split(".").every((label) => label !== "" && !label.startsWith("-") && !label.endsWith("-") && /^[A-Za-z0-9-]+$/.test(label));
  return ok ? null : `“${domain}” is not a domain name. After the @ write one of your organisation's domains, such as contoso.com.`;
}

/** What is wrong with a sign-in name (`alias@domain`), or null. */
export function upnProblem(value: string): string | null {
  const v = value.trim();
  if (v === "") return "Enter a sign-in name (user principal name) such as adele.vance@contoso.com.";
  const at = v.lastIndexOf("@");
  if (at < 0) return `“${v}” needs an @ and a domain, for example adele.vance@contoso.com.`;
  const alias = v.slice(0, at);
  const domain = v.slice(at + 1);
  if (alias === "") return "Enter the part before the @ of the sign-in name.";
  const bad = [...alias].find((c) => !ALIAS_CHAR.test(c));
  if (bad !== undefined) {
    return `The sign-in name cannot contain “${bad}”. Use only letters A–Z without accents, digits and ' . - _ ! # ^ ~ before the @.`;
  }
  if (alias.startsWith(".") || alias.endsWith(".") || alias.includes("..")) {
    return "The part before the @ cannot start or end with a dot, or have two dots in a row.";
  }
  if (length(alias) > 64) return "The part before the @ can be at most 64 characters long.";
  if (length(v) > 113) return "The sign-in name can be at most 113 characters long.";
  return domainProblem(domain);
}

/**
 * What is wrong with a new password under Entra's default policy, or null: 8–256 characters, three of lower
 * case, upper case, digits and symbols (any script's letters count as letters), and not containing the
 * person's sign-in name (the part before the @, when it has 3 bytes or more).
 */
export function passwordProblem(password: string, alias: string): string | null {
  const n = length(password);
  if (n < 8) return "The password must be at least 8 characters long.";
  if (n > 256) return "The password can be at most 256 characters long.";
  const kinds = [/\p{Lowercase}/u, /\p{Uppercase}/u, /[0-9]/, /[^\p{Alphabetic}\p{N}]/u].filter((r) => r.test(password)).length;
  if (kinds < 3) return "The password needs at least three of these: lower-case letters, upper-case letters, digits, symbols.";
  if (new TextEncoder().encode(alias).length >= 3 && password.toLowerCase().includes(alias.toLowerCase())) {
    return "The password must not contain the person's sign-in name.";
  }
  return null;
}

// ---- Profile values (Create and Update User) ----
// directory::profile::field, with the same words; both sides run tests/rules/profile-rules.json.

/** Graph's length limits of the free-text properties, with the label a person sees. */
const TEXT_LIMITS: Record<string, [string, number]> = {
  givenName: ["first name", 64],
  surname: ["last name", 64],
  jobTitle: ["job title", 128],
  department: ["department", 64],
  companyName: ["company name", 64],
  officeLocation: ["office", 128],
  employeeId: ["employee id", 16],
  employeeType: ["employee type", 64],
  mobilePhone: ["mobile phone", 64],
  businessPhones: ["business phone", 64],
  faxNumber: ["fax number", 64],
  streetAddress: ["street address", 1024],
  city: ["city", 128],
  state: ["state or province", 128],
  postalCode: ["postal code", 40],
  country: ["country or region", 128],
  onPremisesImmutableId: ["on-premises immutable id", 256],
  otherMails: ["other email address", 256],
  aboutMe: ["about me", 4000],
};

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function language(v: string): string | null {
  const dash = v.indexOf("-");
  const lang = dash < 0 ? v : v.slice(0, dash);
  const region = dash < 0 ? "" : v.slice(dash + 1);
  const langOk = /^[A-Za-z]{2,3}$/.test(lang);
  const regionOk = (region === "" && dash < 0) || /^[A-Za-z]{2}$/.test(region);
  if (!langOk || !regionOk) throw new Error(`“${v}” is not a language code. Use one such as en-US, fr-FR or de.`);
  return region === "" ? lang.toLowerCase() : `${lang.toLowerCase()}-${region.toUpperCase()}`;
}

function hireDate(v: string): string {
  const day = v.includes("T") ? v.slice(0, v.indexOf("T")) : v;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || y < 1900 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) {
    throw new Error(`“${v}” is not a date. Write the hire date as year-month-day, for example 2026-03-01.`);
  }
  return v.includes("T") ? v : `${day}T00:00:00Z`;
}

function otherMail(v: string): string {
  const at = v.lastIndexOf("@");
  const local = at < 0 ? "" : v.slice(0, at);
  const domain = at < 0 ? "" : v.slice(at + 1);
  const ok = local !== "" && !/\s/.test(v) && domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".");
  if (!ok) throw new Error(`“${v}” is not an email address, such as kim@fabrikam.com.`);
  return v;
}

/**
 * One profile value as Rust sends it (trimmed; a hire date written as a day becomes Graph's date-time; a
 * language code in its usual case; a usage location upper-cased), or null when empty. Throws an Error with
 * Rust's words when the value would be refused.
 */
export function profileValue(field: string, value: string): string | null {
  const v = value.trim();
  if (v === "") return null;
  const limit = TEXT_LIMITS[field];
  if (limit && length(v) > limit[1]) throw new Error(`The ${limit[0]} can be at most ${limit[1]} characters long.`);
  switch (field) {
    case "preferredLanguage":
      return language(v);
    case "employeeHireDate":
      return hireDate(v);
    case "otherMails":
      return otherMail(v);
    case "usageLocation":
      if (!/^[A-Za-z]{2}$/.test(v)) throw new Error("Usage location is a two-letter country code, for example US, GB or DE.");
      return v.toUpperCase();
    default:
      return v;
  }
}

/** What is wrong with a profile value, or null. */
export function profileProblem(field: string, value: string): string | null {
  try {
    profileValue(field, value);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
