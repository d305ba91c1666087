import { screen } from "@testing-library/react";
import type userEvent from "@testing-library/user-event";
import type { DirectoryQuery, UserDetails } from "../api";
import { UsersPage } from "../pages/UsersPage";
import { copyPage } from "./copyPage";
import { DOMAINS, LICENCES, SEED_GROUP_CHOICES, SEED_USERS } from "./fixtures";
import { mockBackend, renderWithProviders } from "./render";

/** What the mocked `new_temporary_password` answers. */
export const TEMPORARY_PASSWORD = "Rq7#kP2!mZ9@xW4$";

/** The Users page with the first person of the table (Adele Vance) opened in the drawer. */
export async function openAdele(user: ReturnType<typeof userEvent.setup>) {
  renderWithProviders(<UsersPage />);
  await screen.findByText(/^8 users\b/);
  await user.click(screen.getAllByTestId("user-row")[0]!);
  return screen.findByRole("dialog", { name: "Adele Vance" });
}

/**
 * The Users page's backend for tests: the seed's people in the local copy, `person` as Read User returns them
 * (with one direct report), group search over the seed's groups, the seed's licences and domains. `handler`
 * answers first (undefined = the default answer). Returns the calls made.
 */
export function usersBackend(person: UserDetails, handler: (cmd: string, args: Record<string, unknown>) => unknown = () => undefined) {
  return mockBackend((cmd, args) => {
    const answer = handler(cmd, args);
    if (answer !== undefined) return answer;
    switch (cmd) {
      case "query_users":
        return copyPage(SEED_USERS, args.query as DirectoryQuery);
      case "get_user":
        return person;
      case "get_manager":
        return null;
      case "query_direct_reports":
        return copyPage(args.userId === person.id ? [SEED_USERS[2]!] : [], args.query as DirectoryQuery);
      case "search_watch_groups":
        return SEED_GROUP_CHOICES.filter((g) => g.name.toLowerCase().includes(String(args.text).toLowerCase()));
      case "user_groups":
      case "owned_groups":
      case "user_licenses":
      case "user_roles":
      case "list_directory_roles":
        return [];
      case "list_licenses":
        return LICENCES;
      case "list_domains":
        return DOMAINS;
      case "new_temporary_password":
        // As Rust's generator makes them: 16 characters, never containing the sign-in name.
        return TEMPORARY_PASSWORD;
      default:
        return null;
    }
  });
}
