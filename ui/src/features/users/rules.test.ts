import { describe, expect, it } from "vitest";
import table from "../../../../tests/rules/sign-in-rules.json";
import { passwordProblem, upnProblem } from "./rules";

// The same table Rust's directory::validate runs (src-tauri/crates/directory/tests/rules.rs).
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
