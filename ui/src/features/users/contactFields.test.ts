import { describe, expect, it } from "vitest";
import { type ContactValues, contactFrom, contactProblems, emptyContact, splitList } from "./contactFields";

const filled = (changes: Partial<ContactValues>): ContactValues => ({ ...emptyContact(), givenName: "Pavel", ...changes });

describe("the New contact form", () => {
  it("sends every field typed, lists split at commas, and an address only when part of it is filled in", () => {
    const v = filled({
      surname: " Bansky ",
      birthday: "1990-05-17",
      businessHomePage: "www.contoso.com",
      emailAddresses: "pavelb@contoso.com, pavel@fabrikam.com",
      businessPhones: "+1 732 555 0102; +1 732 555 0104",
      children: "Mia, ",
      personalNotes: "Met at the fair.",
      businessAddress: { street: "1 Main Street", city: "Redmond", state: "", postalCode: "98052", countryOrRegion: "" },
    });
    expect(contactFrom(v)).toEqual({
      givenName: "Pavel",
      surname: "Bansky",
      birthday: "1990-05-17",
      businessHomePage: "www.contoso.com",
      emailAddresses: [
        { address: "pavelb@contoso.com", name: null },
        { address: "pavel@fabrikam.com", name: null },
      ],
      businessPhones: ["+1 732 555 0102", "+1 732 555 0104"],
      children: ["Mia"],
      personalNotes: "Met at the fair.",
      businessAddress: { street: "1 Main Street", city: "Redmond", postalCode: "98052" },
    });
    expect(contactProblems(v)).toEqual([]);
    expect(splitList(" , ;")).toEqual([]);
  });

  it("refuses what Rust would refuse, in the same words, before sending", () => {
    const problems = contactProblems({
      ...emptyContact(),
      emailAddresses: "pavel@contoso",
      businessHomePage: "not a page",
      birthday: "1990-02-30",
    });
    expect(problems).toEqual([
      { field: "givenName", message: "Enter the contact's first name." },
      { field: "emailAddresses", message: "“pavel@contoso” is not an email address, such as kim@fabrikam.com." },
      { field: "businessHomePage", message: "“not a page” is not a web address, such as https://www.fabrikam.com." },
      { field: "birthday", message: "“1990-02-30” is not a date. Write the birthday as year-month-day, for example 1990-05-17." },
    ]);
  });
});
