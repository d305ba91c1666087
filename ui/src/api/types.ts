// Friendly names for the generated contract. tauri-specta exports each type twice: `_Serialize` is what
// Rust sends (every field present, `null` when empty), `_Deserialize` is what Rust accepts. The UI reads
// the first and sends the second.
import type * as Gen from "../bindings.gen";

export type AccountKind = Gen.ProfileKind;
export type AccountView = Gen.AccountView;
export type CloudName = Gen.Cloud;
export type OrganizationProfile = Gen.OrganizationProfile;
/** What `signIn` takes: the organization form (tenant, client id, cloud). */
export type SignInRequest = Gen.OrganizationProfile;
export type AppSnapshot = Gen.AppSnapshot_Serialize;
export type UserRow = Gen.UserRow_Serialize;
export type EventKind = Gen.EventKind;
export type PropertyChange = Gen.PropertyChange_Serialize;
export type ActivityEvent = Gen.ActivityEvent_Serialize;
export type ActivityQuery = Gen.ActivityQuery_Deserialize;
export type WatchState = Gen.WatchState;
export type WatchStatus = Gen.WatchStatus_Serialize;
export type IpcError = Gen.IpcError_Serialize;
export type DirectoryChangedPayload = Gen.DirectoryChanged_Serialize;
export type SessionChangedPayload = Gen.SessionChanged_Serialize;
export type WatchStatusChangedPayload = Gen.WatchStatusChanged_Serialize;
export type WatchSettings = Gen.WatchSettings;
export type KindSetting = Gen.KindSetting;
export type GroupChoice = Gen.GroupChoice;
export type PersonChoice = Gen.PersonChoice;
export type MemberType = Gen.MemberType;

// Directory actions (users and groups).
export type Done = Gen.Done;
/** A person as Graph returns them (`msgraph::User`): what Read User and the drawer show. */
export type UserDetails = Gen.User_Serialize;
/** The profile properties Create and Update User set (`msgraph::UserProfile`): absent = unchanged, null = cleared. */
export type UserProfileChange = Gen.UserProfile_Deserialize;
/** What the New user form sends: the account (`msgraph::NewUser`), and a manager, groups and a licence to give at once. */
export type NewUserRequest = Gen.NewUserRequest_Deserialize;
/** Update User's changes (`msgraph::UserUpdate`): only what is present is sent. */
export type UserUpdate = Gen.UserUpdate_Deserialize;
/** What Create User did, step by step, with the sentence to show. */
export type CreatedUser = Gen.CreatedUserView_Serialize;
export type CreateStep = Gen.Step;
/** Where Create User's chain is while it runs (the `newUserProgress` event). */
export type NewUserProgress = Gen.Progress;
/** A reset password, shown once. */
export type PasswordReset = Gen.PasswordResetView;
export type ManagerView = Gen.ManagerView_Serialize;
export type SearchForm = Gen.SearchForm_Deserialize;
export type GroupKind = Gen.GroupKindView;
export type GroupRow = Gen.GroupRow_Serialize;
export type GroupDetails = Gen.GroupDetails_Serialize;
export type NewGroupForm = Gen.NewGroupForm_Deserialize;
export type MembershipRuleCheck = Gen.MembershipRuleCheck;
export type NewGroupKind = Gen.NewGroupKind;
export type GroupPatch = Gen.GroupPatch_Deserialize;
export type GroupVisibilityChoice = Gen.GroupVisibilityChoice;
export type CreatedGroup = Gen.CreatedGroup_Serialize;
export type MemberKind = Gen.MemberKind;
export type MemberRow = Gen.MemberRow_Serialize;
export type AddMembersResult = Gen.AddMembersResult;
/** Search Group Members' form: words, members/owners/both, nested or direct. */
export type MemberSearch = Gen.MemberSearch_Deserialize;
export type MemberRelation = Gen.Relation;
export type FoundMemberRow = Gen.FoundMemberRow_Serialize;

// The local copy (windows of the mirror).
export type DirectoryQuery = Gen.ListQuery_Deserialize;
export type LocalCriterion = Gen.Criterion;
export type CriterionOp = Gen.MatchOp;
export type UserPage = Gen.UserPage_Serialize;
export type GroupPage = Gen.GroupPage_Serialize;
export type MemberPage = Gen.MemberPage_Serialize;
export type SyncProgress = Gen.SyncProgress;
export type PracticeSize = Gen.PracticeSize;

// Licences, roles, guests, custom requests.
export type LicenseRow = Gen.LicenseRow_Serialize;
export type ServicePlan = Gen.ServicePlanView_Serialize;
export type UserLicenseRow = Gen.UserLicenseRow_Serialize;
export type LicenseChangeResult = Gen.LicenseChangeResult_Serialize;
export type RoleRow = Gen.RoleRow_Serialize;
export type UserRoleRow = Gen.UserRoleRow_Serialize;
/** An administrative unit: a scope a role can be given in. */
export type ScopeRow = Gen.ScopeRow_Serialize;
export type GuestForm = Gen.GuestForm_Deserialize;
export type InvitedGuest = Gen.InvitedGuestView_Serialize;
export type CustomRequestForm = Gen.CustomRequestForm_Deserialize;
export type CustomResponse = Gen.CustomResponseView_Serialize;
export type NameValue = Gen.NameValue;
export type DomainView = Gen.DomainView;

// Device-code sign-in and Outlook contacts.
export type DeviceCodeShown = Gen.DeviceCodeShown_Serialize;
export type GraphWait = Gen.GraphWait_Serialize;
export type ContactFolder = Gen.ContactFolderView_Serialize;
export type ContactRow = Gen.ContactRow_Serialize;
/** Every property of the Create Contact card (`msgraph::ContactInput`), as the form sends it. */
export type ContactInput = Gen.ContactInput_Deserialize;
export type PhysicalAddress = Gen.PhysicalAddress_Deserialize;
export type ContactResultSet = Gen.ResultSet;
export type ContactSearchResult = Gen.ContactSearchView_Serialize;
