// Test data from Microsoft's documentation examples (shared/graph/data/seed-tenant.json, the users the
// practice tenant serves), shaped as the Rust side sends them (UserRow: every field present, null when empty).
import type { AccountView, ActivityEvent, AppSnapshot, DomainView, GroupChoice, LicenseRow, UserDetails, UserRow, WatchSettings } from "../api";

const seed = (
  id: string,
  displayName: string,
  userPrincipalName: string,
  jobTitle: string | null,
  extra: Partial<UserRow> = {},
): UserRow => ({
  id,
  displayName,
  userPrincipalName,
  mail: userPrincipalName,
  department: null,
  jobTitle,
  accountEnabled: null,
  city: null,
  country: null,
  officeLocation: null,
  employeeId: null,
  userType: "Member",
  mobilePhone: null,
  createdDateTime: null,
  ...extra,
});

export const SEED_USERS: UserRow[] = [
  seed("87d349ed-44d7-43e1-9a83-5f2406dee5bd", "Adele Vance", "AdeleV@contoso.com", "Retail Manager", {
    accountEnabled: true,
    city: "Seattle",
    country: "United States",
  }),
  seed("db60ab61-caea-4889-a824-98de31ef31b5", "Alex Wilber", "AlexW@contoso.com", null, { accountEnabled: true }),
  // Disabled, as after the docs' "update user" example PATCH { "accountEnabled": false }.
  seed("6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0", "Conf Room Adams", "Adams@Contoso.com", null, { accountEnabled: false }),
  seed("24fcbca3-c3e2-48bf-9ffc-c7f81b81483d", "Diego Siciliani", "DiegoS@contoso.com", "CVP Finance"),
  seed("e8b753b5-4117-464e-9a08-713e1ff266b3", "Grady Archie", "GradyA@contoso.com", "Designer"),
  seed("5bde3e51-d13b-4db1-9948-fe4b109d11a7", "MOD Administrator", "admin@contoso.com", null),
  seed("48d31887-5fad-4d73-a9f5-3c356e68a038", "Megan Bowen", "MeganB@M365x214355.onmicrosoft.com", "Auditor"),
  seed("263a1289-8282-4bf7-91f7-550d9bba8c02", "Sara Davis", "SaraD@contoso.com", "Finance VP"),
];

/** Department and job title from the docs' contact example (Garth Fort, "Sales & Marketing"). */
export const USER_WITH_DEPARTMENT: UserRow = seed(
  "c5fe3e51-0000-4000-8000-000000000042",
  "Garth Fort",
  "garth@contoso.com",
  "Web Marketing Manager",
  { department: "Sales & Marketing", accountEnabled: true },
);

export const PRACTICE_ACCOUNT: AccountView = {
  id: "practice-admin",
  displayName: "MOD Administrator",
  username: "admin@contoso.com",
  tenantId: "dcd219dd-bc68-4b9b-bf0b-4a33a796be35",
  kind: "practice",
  cloud: "global",
  readOnly: false,
};

export const ORG_ACCOUNT: AccountView = {
  id: "org-megan",
  displayName: "Megan Bowen",
  username: "MeganB@M365x214355.onmicrosoft.com",
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  kind: "organization",
  cloud: "global",
  readOnly: false,
};

/** The practice tenant's admin, signed in with read permissions only. */
export const READ_ONLY_ACCOUNT: AccountView = {
  ...PRACTICE_ACCOUNT,
  id: "practice-admin.read-only",
  readOnly: true,
};

export const SIGNED_OUT: AppSnapshot = { accounts: [], activeAccountId: null, lastOrganization: null, notices: [] };

export function signedIn(active: AccountView, ...others: AccountView[]): AppSnapshot {
  return { accounts: [active, ...others], activeAccountId: active.id, lastOrganization: null, notices: [] };
}

const event = (occurredAt: string, kind: ActivityEvent["kind"], objectName: string, summary: string, extra: Partial<ActivityEvent> = {}): ActivityEvent => ({
  id: `${occurredAt}-${kind}-${objectName}`,
  occurredAt,
  kind,
  objectId: "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
  objectName,
  summary,
  changes: [],
  groupName: null,
  memberName: null,
  madeHere: false,
  ...extra,
});

/** Deliberately out of order: the page must show the newest first. */
export const ACTIVITY: ActivityEvent[] = [
  event("2026-11-26T08:00:00Z", "userCreated", "Grady Archie", "Grady Archie was created"),
  event("2026-11-26T10:42:00Z", "userUpdated", "Adele Vance", "Adele Vance was updated", {
    changes: [{ property: "department", old: "Sales", new: "Marketing" }],
  }),
  event("2026-11-26T09:30:00Z", "memberAdded", "HR Taskforce", "Megan Bowen was added to HR Taskforce", {
    groupName: "HR Taskforce",
    memberName: "Megan Bowen",
  }),
  event("2026-11-26T09:00:00Z", "groupDeleted", "Golf Discussion", "Golf Discussion was deleted"),
];

/** Groups of the practice tenant (seed-tenant.json), as the watch-list search returns them. */
export const SEED_GROUP_CHOICES: GroupChoice[] = [
  { id: "72052a9a-c466-4995-8210-95a1c1221995", name: "All Company" },
  { id: "024bbfa0-fe5a-4fce-9227-bd6ccf1324bb", name: "Best Group" },
  { id: "eac82bd3-931c-4d47-9e68-735595a8eb8a", name: "CEO Connection" },
  { id: "45b7d2e7-b882-4a80-ba97-10b7a63b8fa4", name: "Golf Assist" },
  { id: "d7797254-3084-44d0-99c9-a3b5ab149538", name: "Golf Discussion" },
  { id: "02bd9fd6-8f93-4758-87c3-1fb73740a315", name: "HR Taskforce" },
  { id: "b320ee12-b1cd-4cca-b648-a437be61c5cd", name: "Library Assist" },
];

/** What Rust sends for a new account (its default rules: every kind shown and announced, every minute, 180 days). */
export function defaultWatchSettings(): WatchSettings {
  return {
    pollIntervalSecs: 60,
    retentionDays: 180,
    kinds: (
      [
        "userCreated",
        "userUpdated",
        "userDeleted",
        "userRestored",
        "groupCreated",
        "groupUpdated",
        "groupDeleted",
        "groupRestored",
        "memberAdded",
        "memberRemoved",
      ] as const
    ).map((kind) => ({ kind, enabled: true, notify: true })),
    watchAllGroups: true,
    watchedGroups: [],
    memberType: "members",
    watchAllUsers: true,
    watchedUsers: [],
  };
}

/** The practice tenant's subscriptions (seed-tenant.json subscribedSkus: Microsoft's list example), as Rust sends them. */
export const LICENCES: LicenseRow[] = [
  {
    skuId: "c7df2760-2c81-4ef7-b578-5b5392b571df",
    skuPartNumber: "ENTERPRISEPREMIUM",
    name: "Office 365 E5",
    capabilityStatus: "Enabled",
    total: 25,
    consumed: 14,
    free: 11,
    appliesTo: "User",
    servicePlans: [
      { servicePlanId: "8c098270-9dd4-4350-9b30-ba4703f3b36b", servicePlanName: "ADALLOM_S_O365", label: "Office 365 Cloud App Security", appliesTo: "User" },
    ],
  },
  {
    skuId: "d17b27af-3f49-4822-99f9-56a661538792",
    skuPartNumber: "CRMSTANDARD",
    name: "Microsoft Dynamics CRM Online",
    capabilityStatus: "Suspended",
    total: 0,
    consumed: 14,
    free: 0,
    appliesTo: "User",
    servicePlans: [{ servicePlanId: "f9646fb2-e3b2-4309-95de-dc4833737456", servicePlanName: "CRMSTANDARD", label: "CRMSTANDARD", appliesTo: "User" }],
  },
];

/**
 * The organisation's domains as list_domains sends them (default first): the docs' contoso.com and the
 * initial onmicrosoft.com domain from Megan Bowen's sign-in name in the same examples.
 */
export const DOMAINS: DomainView[] = [
  { id: "contoso.com", isDefault: true, isVerified: true },
  { id: "M365x214355.onmicrosoft.com", isDefault: false, isVerified: true },
];

// Adele Vance as Read User returns her (seed-tenant.json: the docs' user example).
export const ADELE_DETAILS: UserDetails = {
  id: "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
  displayName: "Adele Vance",
  givenName: "Adele",
  surname: "Vance",
  userPrincipalName: "AdeleV@contoso.com",
  mail: "AdeleV@contoso.com",
  mailNickname: "AdeleV",
  accountEnabled: true,
  userType: "Member",
  ageGroup: null,
  consentProvidedForMinor: null,
  jobTitle: "Retail Manager",
  department: null,
  companyName: null,
  officeLocation: "18/2111",
  employeeId: null,
  employeeType: null,
  employeeHireDate: null,
  businessPhones: ["+1 425 555 0109"],
  mobilePhone: "+1 425 555 0109",
  faxNumber: null,
  streetAddress: null,
  city: null,
  state: null,
  postalCode: null,
  country: null,
  usageLocation: null,
  preferredLanguage: "en-US",
  createdDateTime: null,
  otherMails: [],
  proxyAddresses: [],
  imAddresses: [],
  onPremisesSyncEnabled: null,
  onPremisesImmutableId: null,
  assignedLicenses: [],
  assignedPlans: [],
  licenseAssignmentStates: [],
  aboutMe: null,
  birthday: null,
  interests: [],
  skills: [],
};
