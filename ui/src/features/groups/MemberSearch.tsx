import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Spinner,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from "@fluentui/react-components";
import { useState } from "react";
import { DRAWER_SECTION } from "../../components/drawerStyles";
import { type FoundMemberRow, type GroupDetails, type MemberRelation, type MemberSearch, useGroupMemberSearch } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { ShowRequest } from "../../components/ShowRequest";
import { plural } from "../../lib/format";
import { MEMBER_KIND, memberName } from "../directory/memberColumns";
import { RELATIONS, howTheyBelong } from "./memberSearch";

const useStyles = makeStyles({
  ...DRAWER_SECTION,
  grow: { flex: 1, minWidth: "160px" },
  cell: { overflowWrap: "anywhere" },
});

/** Who was found: name (and sign-in name), type, and how they belong to the group. */
function FoundTable({ found, name }: { found: FoundMemberRow[]; name: string }) {
  const styles = useStyles();
  return (
    <Table size="small" aria-label={`Found in ${name}`}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Type</TableHeaderCell>
          <TableHeaderCell>How they belong</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {found.map((f) => (
          <TableRow key={f.member.id} data-testid="member-search-row">
            <TableCell className={styles.cell}>
              <span>{memberName(f.member)}</span>
              {f.member.userPrincipalName && <div className={styles.secondary}>{f.member.userPrincipalName}</div>}
            </TableCell>
            <TableCell>{MEMBER_KIND[f.member.kind]}</TableCell>
            <TableCell>{howTheyBelong(f)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Search Group Members in Microsoft Graph: members (direct, or also through groups inside this one), owners or
 * both, with words to match a name or address (none: everyone). Read live, so it also sees nested members,
 * which the local copy's member list does not show.
 */
export function GroupMemberSearch({ group }: { group: GroupDetails }) {
  const styles = useStyles();
  const [text, setText] = useState("");
  const [relation, setRelation] = useState<MemberRelation>("members");
  const [nested, setNested] = useState(false);
  const [search, setSearch] = useState<MemberSearch | null>(null);
  const found = useGroupMemberSearch(group.id, search);
  const name = group.displayName ?? "this group";

  return (
    <section className={styles.section} aria-labelledby="group-member-search">
      <Subtitle2 as="h3" id="group-member-search" className={styles.heading}>
        Search members in Microsoft Graph
      </Subtitle2>
      <form
        className={styles.row}
        role="search"
        aria-label="Search group members in Microsoft Graph"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch({ text: text.trim() || null, relation, nested });
        }}
      >
        <Field label="Look at">
          <Dropdown
            value={RELATIONS.find((r) => r.value === relation)?.label ?? ""}
            selectedOptions={[relation]}
            onOptionSelect={(_, d) => setRelation((d.optionValue as MemberRelation | undefined) ?? "members")}
          >
            {RELATIONS.map((r) => (
              <Option key={r.value} value={r.value}>
                {r.label}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Name or email starts with" hint="Empty: everyone." className={styles.grow}>
          <Input value={text} onChange={(_, d) => setText(d.value)} placeholder="e.g. Adele" />
        </Field>
        <Button type="submit" appearance="primary">
          Search in Graph
        </Button>
        <Checkbox
          checked={nested}
          disabled={relation === "owners"}
          onChange={(_, d) => setNested(d.checked === true)}
          label="Include members of groups inside this group (owners are always direct)"
        />
      </form>
      <ShowRequest action={() => ({ action: "searchGroupMembers", groupId: group.id, search: { text: text.trim() || null, relation, nested } })} />
      {search && found.isFetching && <Spinner size="tiny" label="Searching in Microsoft Graph…" />}
      {search && found.isError && <ErrorMessageBar error={found.error} title="Microsoft Graph could not run the search" />}
      {search && found.isSuccess && !found.isFetching && (
        <Text className={styles.secondary} aria-live="polite">
          {found.data.length === 0 ? `Nobody in ${name} matches.` : `Found in Microsoft Graph: ${plural(found.data.length, "match", "matches")}.`}
        </Text>
      )}
      {search && found.isSuccess && found.data.length > 0 && <FoundTable found={found.data} name={name} />}
    </section>
  );
}
