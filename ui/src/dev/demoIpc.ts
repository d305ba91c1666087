// DEV ONLY. Loaded by main.tsx only when `import.meta.env.DEV` and the page URL has `?demo=1`, so the UI
// can be looked at in a plain browser (screenshots) without the Rust side. Production builds drop it.
// Query parameters: state=welcome|signedin (default signedin), users=N (extra generated rows),
// activity=empty, signin=wait (sign-in waits for Cancel; otherwise it fails with AADSTS65001),
// page=<nav id> and setup=1 (read by main.tsx).
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  AccountView,
  ActivityEvent,
  AppSnapshot,
  DomainView,
  GroupChoice,
  GroupDetails,
  GroupRow,
  LicenseRow,
  MemberRow,
  RoleRow,
  UserDetails,
  UserRow,
  WatchSettings,
  WatchStatus,
  DirectoryQuery,
} from "../api";
import { copyPage } from "./copyPage";

// People from Microsoft's documentation examples (shared/graph/data/seed-tenant.json).
const SEED_USERS: UserRow[] = [
  ["87d349ed-44d7-43e1-9a83-5f2406dee5bd", "Adele Vance", "AdeleV@contoso.com", "Retail", "Retail Manager", true],
  ["db60ab61-caea-4889-a824-98de31ef31b5", "Alex Wilber", "AlexW@contoso.com", "Marketing", "Marketing Assistant", true],
  ["6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0", "Conf Room Adams", "Adams@Contoso.com", null, null, false],
  ["24fcbca3-c3e2-48bf-9ffc-c7f81b81483d", "Diego Siciliani", "DiegoS@contoso.com", "Finance", "CVP Finance", true],
  ["e8b753b5-4117-464e-9a08-713e1ff266b3", "Grady Archie", "GradyA@contoso.com", "R&D", "Designer", true],
  ["5bde3e51-d13b-4db1-9948-fe4b109d11a7", "MOD Administrator", "admin@contoso.com", null, null, true],
  ["48d31887-5fad-4d73-a9f5-3c356e68a038", "Megan Bowen", "MeganB@M365x214355.onmicrosoft.com", "Finance", "Auditor", true],
  ["263a1289-8282-4bf7-91f7-550d9bba8c02", "Sara Davis", "SaraD@contoso.com", "Finance", "Finance VP", null],
].map(([id, displayName, upn, department, jobTitle, accountEnabled]) => ({
  id: id as string,
  displayName: displayName as string,
  userPrincipalName: upn as string,
  mail: upn as string,
  department: department as string | null,
  jobTitle: jobTitle as string | null,
  accountEnabled: accountEnabled as boolean | null,
  city: null,
  country: null,
  officeLocation: null,
  employeeId: null,
  userType: "Member",
  mobilePhone: null,
  createdDateTime: null,
}));

const PRACTICE: AccountView = {
  id: "practice",
  displayName: "MOD Administrator",
  username: "admin@contoso.com",
  tenantId: "dcd219dd-bc68-4b9b-bf0b-4a33a796be35",
  kind: "practice",
  cloud: "global",
};

function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

function demoActivity(): ActivityEvent[] {
  const e = (
    minutes: number,
    kind: ActivityEvent["kind"],
    objectName: string,
    summary: string,
    extra: Partial<ActivityEvent> = {},
  ): ActivityEvent => ({
    id: `demo-${minutes}-${kind}`,
    occurredAt: minutesAgo(minutes),
    kind,
    objectId: "00000000-0000-0000-0000-000000000000",
    objectName,
    summary,
    madeHere: false,
    changes: [],
    groupName: null,
    memberName: null,
    ...extra,
  });
  return [
    e(1, "userUpdated", "Adele Vance", "Adele Vance was updated", {
      changes: [
        { property: "department", old: "Sales", new: "Retail" },
        { property: "jobTitle", old: null, new: "Retail Manager" },
      ],
    }),
    e(2, "memberAdded", "HR Taskforce", "Megan Bowen was added to HR Taskforce", { groupName: "HR Taskforce", memberName: "Megan Bowen" }),
    e(5, "userCreated", "Grady Archie", "Grady Archie was created"),
    e(9, "groupCreated", "Golf Assist", "Golf Assist was created"),
    e(14, "memberRemoved", "All Company", "Alex Wilber was removed from All Company", { groupName: "All Company", memberName: "Alex Wilber" }),
    e(30, "userDeleted", "Conf Room Adams", "Conf Room Adams was deleted"),
    e(31, "userRestored", "Conf Room Adams", "Conf Room Adams was restored"),
    e(60, "groupUpdated", "CEO Connection", "CEO Connection was updated", {
      changes: [{ property: "description", old: "CEO Connection", new: "Leadership updates" }],
    }),
    e(120, "groupDeleted", "Test", "Test was deleted"),
  ];
}

// Groups of the practice tenant (seed-tenant.json).
const SEED_GROUPS: GroupChoice[] = [
  ["72052a9a-c466-4995-8210-95a1c1221995", "All Company"],
  ["024bbfa0-fe5a-4fce-9227-bd6ccf1324bb", "Best Group"],
  ["eac82bd3-931c-4d47-9e68-735595a8eb8a", "CEO Connection"],
  ["45b7d2e7-b882-4a80-ba97-10b7a63b8fa4", "Golf Assist"],
  ["d7797254-3084-44d0-99c9-a3b5ab149538", "Golf Discussion"],
  ["02bd9fd6-8f93-4758-87c3-1fb73740a315", "HR Taskforce"],
  ["b320ee12-b1cd-4cca-b648-a437be61c5cd", "Library Assist"],
  ["46cc6179-19d0-473e-97ad-6ff84347bbbb", "SampleGroup"],
  ["bfa7033a-7367-4644-85f5-95aaf385cbd7", "Test"],
].map(([id, name]) => ({ id: id as string, name: name as string }));

const GROUP_ROWS: GroupRow[] = SEED_GROUPS.map((g, i) => ({
  id: g.id,
  displayName: g.name,
  description: g.name === "HR Taskforce" ? "Welcome to the HR Taskforce team." : g.name === "All Company" ? "This is the default group for everyone in the network" : null,
  mail: i === 1 ? null : `${g.name.replace(/\s/g, "")}@contoso.com`,
  mailNickname: g.name.replace(/\s/g, ""),
  kind: i === 1 || i === 4 ? "security" : "microsoft365",
  dynamic: i === 2,
  visibility: i === 1 || i === 4 ? null : "Private",
  createdDateTime: "2021-03-12T10:36:14Z",
}));

// seed-tenant.json subscribedSkus with names from sku-reference.tsv.
const DEMO_LICENCES: LicenseRow[] = [
  { skuId: "c7df2760-2c81-4ef7-b578-5b5392b571df", skuPartNumber: "ENTERPRISEPREMIUM", name: "Office 365 E5", capabilityStatus: "Enabled", total: 25, consumed: 14, free: 11, appliesTo: "User", servicePlans: [{ servicePlanId: "8c098270-9dd4-4350-9b30-ba4703f3b36b", servicePlanName: "ADALLOM_S_O365" }, { servicePlanId: "efb87545-963c-4e0d-99df-69c6916d9eb0", servicePlanName: "EXCHANGE_S_ENTERPRISE" }] },
  { skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900", skuPartNumber: "ENTERPRISEPACK", name: "Office 365 E3", capabilityStatus: "Enabled", total: 20, consumed: 20, free: 0, appliesTo: "User", servicePlans: [] },
  { skuId: "d17b27af-3f49-4822-99f9-56a661538792", skuPartNumber: "CRMSTANDARD", name: "Microsoft Dynamics CRM Online", capabilityStatus: "Suspended", total: 0, consumed: 14, free: 0, appliesTo: "User", servicePlans: [{ servicePlanId: "f9646fb2-e3b2-4309-95de-dc4833737456", servicePlanName: "CRMSTANDARD" }] },
];

const DEMO_ROLES: RoleRow[] = [
  ["62e90394-69f5-4237-9190-012177145e10", "Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.", true, true],
  ["fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins.", true, true],
  ["729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", "Can reset passwords for non-administrators and Helpdesk Administrators.", true, false],
  ["4d6ac14f-3453-41d0-bef9-a3e0c569773a", "License Administrator", "Can manage product licenses on users and groups.", false, false],
  ["f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader", "Can read everything that a Global Administrator can, but not update anything.", true, false],
  ["fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator", "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.", false, false],
].map(([roleTemplateId, displayName, description, privileged, activated]) => ({ roleTemplateId, displayName, description, privileged, activated }) as RoleRow);

// The docs' contoso.com (default) and the initial onmicrosoft.com domain from Megan Bowen's sign-in name.
const DEMO_DOMAINS: DomainView[] = [
  { id: "contoso.com", isDefault: true, isVerified: true },
  { id: "M365x214355.onmicrosoft.com", isDefault: false, isVerified: true },
];

function asMember(u: UserRow): MemberRow {
  return { id: u.id, kind: "user", displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.mail, jobTitle: u.jobTitle, department: u.department };
}

function userDetails(u: UserRow): UserDetails {
  return {
    id: u.id, displayName: u.displayName, givenName: null, surname: null, userPrincipalName: u.userPrincipalName, mail: u.mail,
    mailNickname: u.userPrincipalName?.split("@")[0] ?? null, accountEnabled: u.accountEnabled, userType: "Member", jobTitle: u.jobTitle,
    department: u.department, companyName: null, officeLocation: u.displayName === "Adele Vance" ? "18/2111" : null, employeeId: null,
    businessPhone: u.displayName === "Adele Vance" ? "+1 425 555 0109" : null, mobilePhone: null, streetAddress: null, city: null, state: null,
    postalCode: null, country: null, usageLocation: u.displayName === "Adele Vance" ? null : "US", preferredLanguage: "en-US",
    createdDateTime: "2021-03-12T10:36:14Z", otherMails: [], proxyAddresses: [], onPremisesSyncEnabled: null,
    licenseSkuIds: [],
  };
}

/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- Tauri rejects commands with the plain IpcError object, not an Error */
export function installDemoIpc(params: URLSearchParams): void {
  let signedIn = params.get("state") !== "welcome";
  let cancelPending = () => undefined as void;
  const extra = Math.min(Number(params.get("users") ?? 0) || 0, 200_000);
  const users = [...SEED_USERS];
  for (let i = 1; i <= extra; i++) {
    const n = String(i).padStart(6, "0");
    users.push({
      id: `demo-${n}`,
      displayName: `Demo User ${n}`,
      userPrincipalName: `demo.user.${n}@contoso.com`,
      mail: null,
      department: ["Finance", "Retail", "Marketing", "R&D"][i % 4] ?? null,
      jobTitle: null,
      accountEnabled: i % 7 !== 0,
      city: ["Redmond", "London", "Stockholm"][i % 3] ?? null,
      country: null,
      officeLocation: null,
      employeeId: null,
      userType: "Member",
      mobilePhone: null,
      createdDateTime: null,
    });
  }
  const activity = params.get("activity") === "empty" ? [] : demoActivity();
  const status = (): WatchStatus => ({
    state: "watching",
    lastChecked: minutesAgo(0.2),
    nextCheck: minutesAgo(-0.8),
    syncing: null,
    message: null,
  });
  const snapshot = (): AppSnapshot => ({
    accounts: signedIn ? [PRACTICE] : [],
    activeAccountId: signedIn ? PRACTICE.id : null,
    lastOrganization: { tenant: "contoso.onmicrosoft.com", clientId: "", cloud: "global" },
  });

  let watchSettings: WatchSettings = {
    pollIntervalSecs: 60,
    retentionDays: 180,
    kinds: (
      ["userCreated", "userUpdated", "userDeleted", "userRestored", "groupCreated", "groupUpdated", "groupDeleted", "groupRestored", "memberAdded", "memberRemoved"] as const
    ).map((kind) => ({ kind, enabled: kind !== "groupRestored", notify: kind.startsWith("member") })),
    watchAllGroups: params.get("groups") !== "only",
    watchedGroups: params.get("groups") === "only" ? SEED_GROUPS.slice(3, 6) : [],
    memberType: "members",
    watchAllUsers: true,
    watchedUsers: [],
  };
  let startAtLogin = true;
  // Who holds each licence and role; assigning and unassigning change them, so the drawers refresh visibly.
  const byName = (name: string) => users.find((u) => u.displayName === name);
  const licenceHolders = new Map<string, UserRow[]>([
    [DEMO_LICENCES[0]!.skuId, ["Megan Bowen", "Diego Siciliani", "Sara Davis", "Grady Archie"].map(byName).filter((u): u is UserRow => !!u)],
    [DEMO_LICENCES[1]!.skuId, ["Alex Wilber", "MOD Administrator"].map(byName).filter((u): u is UserRow => !!u)],
  ]);
  const roleHolders = new Map<string, MemberRow[]>([
    [DEMO_ROLES[0]!.roleTemplateId, ["MOD Administrator"].map(byName).filter((u): u is UserRow => !!u).map(asMember)],
    [
      DEMO_ROLES[1]!.roleTemplateId,
      [
        ...["Megan Bowen"].map(byName).filter((u): u is UserRow => !!u).map(asMember),
        { id: SEED_GROUPS[0]!.id, kind: "group", displayName: SEED_GROUPS[0]!.name, userPrincipalName: null, mail: null, jobTitle: null, department: null },
      ],
    ],
  ]);
  const roleName = (id: unknown) => DEMO_ROLES.find((r) => r.roleTemplateId === id)?.displayName ?? "that";

  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      switch (cmd) {
        case "get_app_state":
          return snapshot();
        case "open_practice_tenant":
          signedIn = true;
          return PRACTICE;
        case "sign_in":
          if (params.get("signin") === "wait") {
            return new Promise((_, reject) => {
              cancelPending = () => reject({ kind: "cancelled", message: "Sign-in was cancelled." });
            });
          }
          return Promise.reject({
            kind: "signIn",
            message: "Your organization hasn't approved Entra Desk yet.",
            nextStep: "Ask an administrator to grant admin consent, then sign in again.",
            code: "AADSTS65001",
            traceId: "0b5f0a4e-5c0e-4b1e-9a53-3c1b2b7e4d00",
            adminConsentUrl: "https://login.microsoftonline.com/organizations/adminconsent",
          });
        case "sign_in_with_code":
          // The code comes from Microsoft's device-code documentation example.
          window.setTimeout(() => {
            void emit("device-code-shown", {
              userCode: "FJ8RCGXKP",
              verificationUri: "https://microsoft.com/devicelogin",
              expiresInSecs: 900,
              message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJ8RCGXKP to authenticate.",
            });
          }, 300);
          return new Promise((_, reject) => {
            cancelPending = () => reject({ kind: "cancelled", message: "Sign-in was cancelled." });
          });
        case "list_contact_folders":
          return [
            { id: "demo-folder-contacts", displayName: "Contacts", parentFolderId: null, childFolders: [] },
            { id: "demo-folder-suppliers", displayName: "Suppliers", parentFolderId: null, childFolders: [{ id: "demo-folder-printing", displayName: "Printing", parentFolderId: "demo-folder-suppliers", childFolders: [] }] },
          ];
        case "search_contacts":
          // Microsoft's Create Contact documentation example.
          return [{ id: "demo-contact-1", parentFolderId: null, displayName: "Pavel Bansky", givenName: "Pavel", surname: "Bansky", emails: ["pavelb@contoso.com"], companyName: null, jobTitle: null, businessPhones: ["+1 732 555 0102"], mobilePhone: null }];
        case "reset_practice_tenant": // the demo has one organisation, whatever size is asked
          return new Promise((resolve) => window.setTimeout(() => resolve(null), 600));
        case "cancel_sign_in":
          cancelPending();
          return null;
        case "switch_account":
          return PRACTICE;
        case "sign_out":
          signedIn = false;
          return null;
        case "query_users":
          return copyPage(users, args.query as DirectoryQuery);
        case "find_person": {
          const key = (typeof args.key === "string" ? args.key : "").trim().toLowerCase();
          return users.find((u) => [u.id, u.userPrincipalName, u.mail].some((v) => v?.toLowerCase() === key)) ?? null;
        }
        case "list_activity":
          return activity;
        case "get_watch_status":
          return status();
        case "get_watch_settings":
          return watchSettings;
        case "set_watch_settings": {
          const next = args.settings as WatchSettings;
          if (next.pollIntervalSecs < 15) {
            return Promise.reject({ kind: "validation", message: "Check the directory every 15 seconds to 24 hours (86,400 seconds).", field: "pollIntervalSecs" });
          }
          watchSettings = next;
          return watchSettings;
        }
        case "search_watch_groups": {
          const text = (typeof args.text === "string" ? args.text : "").toLowerCase();
          return SEED_GROUPS.filter((g) => g.name.toLowerCase().includes(text));
        }
        case "check_now":
          return null;
        case "get_user": {
          const u = users.find((x) => x.id === args.key);
          return u ? userDetails(u) : Promise.reject({ kind: "notFound", message: "That user does not exist.", code: "Request_ResourceNotFound", requestId: "7b4d3b2e-0000-4000-8000-000000000001" });
        }
        case "get_manager":
          return args.key === SEED_USERS[0]?.id ? { id: SEED_USERS[3]?.id, displayName: "Diego Siciliani", userPrincipalName: "DiegoS@contoso.com", mail: null, jobTitle: "CVP Finance", department: "Finance", officeLocation: null, businessPhone: null, mobilePhone: null, isContact: false } : null;
        case "user_groups":
          return GROUP_ROWS.slice(0, 3);
        case "user_licenses":
          return args.userId === SEED_USERS[0]?.id ? [] : [{ skuId: DEMO_LICENCES[0]?.skuId, name: "Office 365 E5", skuPartNumber: "ENTERPRISEPREMIUM", disabledPlans: [], assignedByGroup: null, error: null }];
        case "user_roles":
          return [];
        case "list_licenses":
          return DEMO_LICENCES;
        case "list_directory_roles":
          return DEMO_ROLES;
        case "query_license_holders":
          return copyPage(licenceHolders.get(String(args.skuId)) ?? [], args.query as DirectoryQuery);
        case "query_group_owners":
          return copyPage(GROUP_ROWS.length > 0 ? users.slice(0, 1).map(asMember) : [], args.query as DirectoryQuery);
        case "query_direct_reports":
          return copyPage(args.userId === SEED_USERS[3]?.id ? users.slice(0, 1) : [], args.query as DirectoryQuery);
        case "owned_groups":
          return [];
        case "query_role_holders":
          return copyPage(roleHolders.get(String(args.roleTemplateId)) ?? [], args.query as DirectoryQuery, { asOf: new Date().toISOString() });
        case "refresh_role_holders":
          return false;
        case "list_domains":
          return DEMO_DOMAINS;
        case "assign_role": {
          const u = users.find((x) => x.id === args.userId);
          if (!u) return Promise.reject({ kind: "notFound", message: "That user does not exist.", code: "Request_ResourceNotFound", requestId: "7b4d3b2e-0000-4000-8000-000000000002" });
          const held = roleHolders.get(String(args.roleTemplateId)) ?? [];
          if (held.some((m) => m.id === u.id)) return { message: `${u.displayName} already has the ${roleName(args.roleTemplateId)} role; nothing was changed.` };
          roleHolders.set(String(args.roleTemplateId), [...held, asMember(u)]);
          return { message: `${u.displayName} now has the ${roleName(args.roleTemplateId)} role.` };
        }
        case "unassign_role": {
          const held = roleHolders.get(String(args.roleTemplateId)) ?? [];
          const who = held.find((m) => m.id === args.userId)?.displayName ?? users.find((x) => x.id === args.userId)?.displayName ?? "That person";
          roleHolders.set(String(args.roleTemplateId), held.filter((m) => m.id !== args.userId));
          return { message: `${who} no longer has the ${roleName(args.roleTemplateId)} role.` };
        }
        case "assign_license": {
          const u = users.find((x) => x.id === args.userId);
          const sku = DEMO_LICENCES.find((l) => l.skuId === args.skuId);
          if (u && sku && u.displayName !== "Adele Vance") {
            const held = licenceHolders.get(sku.skuId) ?? [];
            if (!held.some((h) => h.id === u.id)) licenceHolders.set(sku.skuId, [...held, u]);
            return { message: `${u.displayName} now has ${sku.name}.`, licenses: [] };
          }
          return Promise.reject({ kind: "validation", field: "usageLocation", message: "Adele Vance has no usage location. Microsoft requires the country where a person uses their licence before one can be assigned: set Usage location on Adele Vance's profile (for example US or GB), then assign the licence." });
        }
        case "query_groups":
          return copyPage(GROUP_ROWS, args.query as DirectoryQuery);
        case "get_group": {
          const g = GROUP_ROWS.find((x) => x.id === args.key) ?? GROUP_ROWS[0]!;
          const d: GroupDetails = { ...g, membershipRule: g.dynamic ? '(user.department -eq "Finance")' : null, classification: null, renewedDateTime: null, isAssignableToRole: null, onPremisesSyncEnabled: null, proxyAddresses: [], allowExternalSenders: null, autoSubscribeNewMembers: null, hideFromAddressLists: null, hideFromOutlookClients: null };
          return d;
        }
        case "query_group_members": {
          const members: MemberRow[] = users.slice(0, 6).map((u) => ({ id: u.id, kind: "user", displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.mail, jobTitle: u.jobTitle, department: u.department }));
          return copyPage(members, args.query as DirectoryQuery);
        }
        case "get_start_at_login":
          return startAtLogin;
        case "set_start_at_login":
          startAtLogin = Boolean(args.enabled);
          return startAtLogin;
        default:
          return Promise.reject({ kind: "internal", message: `The demo has no answer for ${cmd}.` });
      }
    },
    { shouldMockEvents: true },
  );
}
