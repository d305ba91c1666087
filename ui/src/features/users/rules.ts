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
