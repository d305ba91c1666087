import {
  Avatar,
  Button,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { PersonAddRegular, SignOutRegular } from "@fluentui/react-icons";
import { type AccountView, useSignOut, useSwitchAccount } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";

const useStyles = makeStyles({
  trigger: { color: "inherit", maxWidth: "280px", minWidth: 0, columnGap: tokens.spacingHorizontalS },
  triggerText: { display: "flex", flexDirection: "column", alignItems: "flex-start", minWidth: 0, textAlign: "left" },
  name: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", maxWidth: "200px" },
  secondary: { fontWeight: tokens.fontWeightRegular, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", maxWidth: "220px" },
  error: { position: "fixed", top: "56px", right: tokens.spacingHorizontalL, zIndex: 10, maxWidth: "440px" },
  // Read by screen readers, not shown: the button's name is "Account: <name> <sign-in name>".
  offscreen: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
});

type Props = { accounts: AccountView[]; active: AccountView; onAddAccount: () => void };

function accountLabel(account: AccountView): string {
  const notes = [account.kind === "practice" ? "practice" : null, account.readOnly ? "read-only" : null].filter(Boolean);
  return notes.length > 0 ? `${account.displayName} (${notes.join(", ")})` : account.displayName;
}

/** "Sign out" → one item per account. */
function SignOutMenu({ accounts, onSignOut }: { accounts: AccountView[]; onSignOut: (accountId: string) => void }) {
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MenuItem icon={<SignOutRegular />}>Sign out</MenuItem>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {accounts.map((account) => (
            <MenuItem key={account.id} onClick={() => onSignOut(account.id)}>
              Sign out of {accountLabel(account)}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

/** A failed switch or sign-out, under the header until dismissed. */
function AccountError({ error, title, onDismiss }: { error: unknown; title: string; onDismiss: () => void }) {
  const styles = useStyles();
  return (
    <div className={styles.error}>
      <ErrorMessageBar
        error={error}
        title={title}
        action={
          <Button size="small" onClick={onDismiss}>
            Dismiss
          </Button>
        }
      />
    </div>
  );
}

/** The signed-in account in the header: switch between accounts, add one, sign out. */
export function AccountSwitcher({ accounts, active, onAddAccount }: Props) {
  const styles = useStyles();
  const switchAccount = useSwitchAccount();
  const signOut = useSignOut();
  const failure = switchAccount.error ?? signOut.error;
  return (
    <>
      <Menu
        checkedValues={{ account: [active.id] }}
        onCheckedValueChange={(_, data) => {
          const id = data.checkedItems[0];
          if (id && id !== active.id) switchAccount.mutate(id);
        }}
      >
        <MenuTrigger disableButtonEnhancement>
          <Button
            appearance="transparent"
            className={styles.trigger}
            // Named by what it shows, after a hidden "Account:" (no aria-label that could say less than the
            // button shows: axe's label-content-name-mismatch); the avatar is a person icon in the account's
            // colour, so no initials are shown that the name would not contain.
            icon={<Avatar idForColor={active.id} size={28} color="colorful" aria-hidden />}
          >
            <span className={styles.offscreen}>Account: </span>
            <span className={styles.triggerText}>
              <span className={styles.name}>{active.displayName}</span>
              <span className={styles.secondary}>
                {active.username}
                {active.readOnly ? " · read-only" : ""}
              </span>
            </span>
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuGroup>
              <MenuGroupHeader>Accounts</MenuGroupHeader>
              {accounts.map((account) => (
                <MenuItemRadio
                  key={account.id}
                  name="account"
                  value={account.id}
                  secondaryContent={account.username}
                >
                  {accountLabel(account)}
                </MenuItemRadio>
              ))}
            </MenuGroup>
            <MenuDivider />
            <MenuItem icon={<PersonAddRegular />} onClick={onAddAccount}>
              Add account
            </MenuItem>
            <SignOutMenu accounts={accounts} onSignOut={(id) => signOut.mutate(id)} />
          </MenuList>
        </MenuPopover>
      </Menu>
      {failure && (
        <AccountError
          error={failure}
          title={switchAccount.error ? "Couldn't switch account" : "Couldn't sign out"}
          onDismiss={() => {
            switchAccount.reset();
            signOut.reset();
          }}
        />
      )}
    </>
  );
}
