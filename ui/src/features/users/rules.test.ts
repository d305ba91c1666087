import { describe, expect, it } from "vitest";
import profileTable from "../../../../tests/rules/profile-rules.json";
import table from "../../../../tests/rules/sign-in-rules.json";
import { passwordProblem, profileProblem, profileValue, upnProblem } from "./rules";

// The same tables Rust's directory::validate and directory::profile run (src-tauri/crates/directory/tests/rules.rs).
describe("sign-in rules agree with Rust's", () => {
  it("has the whole table", () => {
    expect(table.upn.length).toBeGreaterThanOrEqual(20);
    expect(table.password.length).toBeGreaterThanOrEqual(20);
  });

  it.each(table.upn)("sign-in name $input", ({ input, error }) => {
    expect(upnProblem(input)).toBe(error);
  });

  it.each(table.password)("password $password for $alias", ({ password, alias, error }) => {
    expect(passwordProblem(password, alias)).toBe(error);
  });
});

describe("profile rules agree with Rust's", () => {
  it("has the whole table", () => {
    expect(profileTable.profile.length).toBeGreaterThanOrEqual(20);
  });

  it.each(profileTable.profile)("$field $input", ({ field, input, value, error }) => {
    expect(profileProblem(field, input)).toBe(error);
    if (error === null) expect(profileValue(field, input)).toBe(value);
  });
});
