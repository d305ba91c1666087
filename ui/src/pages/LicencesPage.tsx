import { Badge, Field, ProgressBar, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CertificateRegular } from "@fluentui/react-icons";
import { useMemo, useState } from "react";
import { type AppError, type LicenseRow, licenceHolderSource, useAssignLicence, useLicences } from "../api";
import { DataTable } from "../components/DataTable";
import { DetailsDrawer } from "../components/DetailsDrawer";
import { EmptyState } from "../components/EmptyState";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import type { Choice } from "../components/SearchPicker";
import { useWindowedTable } from "../components/useDataTable";
import { SelectionActions } from "../features/bulk/SelectionActions";
import { PERSON_CSV, byId, personColumns } from "../features/directory/memberColumns";
import { ServicePlanChoice } from "../features/licences/ServicePlanChoice";
import { UserPicker } from "../features/users/UserPicker";
import { plural } from "../lib/format";
import { WriteButton } from "../components/WriteAccess";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, flex: 1, minHeight: 0 },
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(300px, 1fr))", gap: tokens.spacingHorizontalM },
  card: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    textAlign: "left",
    font: "inherit",
    color: "inherit",
    cursor: "pointer",
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  title: { display: "flex", justifyContent: "space-between", alignItems: "flex-start", columnGap: tokens.spacingHorizontalS },
  secondary: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  plans: { margin: 0, paddingLeft: tokens.spacingHorizontalL, columns: 2, fontSize: tokens.fontSizeBase200 },
  plan: { breakInside: "avoid" },
  results: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
});

function seatsText(l: LicenseRow): string {
  if (l.total === 0) return `${l.consumed.toLocaleString()} assigned · no seats available`;
  return `${l.consumed.toLocaleString()} of ${l.total.toLocaleString()} used · ${l.free.toLocaleString()} free`;
}

function statusBadge(l: LicenseRow) {
  if (!l.capabilityStatus || l.capabilityStatus === "Enabled") return null;
  return (
    <Badge appearance="tint" color={l.capabilityStatus === "Warning" ? "warning" : "danger"} style={{ flexShrink: 0 }}>
      {l.capabilityStatus}
    </Badge>
  );
}

const NO_SORTS: ReadonlySet<string> = new Set();
const HOLDER_ACTIONS = ["removeLicence"] as const;

/** Who holds the licence (name and sign-in name), from the local copy; re-read after every change. */
function WhoHasIt({ licence }: { licence: LicenseRow }) {
  const styles = useStyles();
  const source = useMemo(() => licenceHolderSource(licence.skuId), [licence.skuId]);
  const holders = useWindowedTable({ source, columns: personColumns, getRowId: byId, sortable: NO_SORTS });
  return (
    <section className={styles.section} aria-labelledby="licence-holders">
      <Subtitle2 as="h3" id="licence-holders" className={styles.heading}>
        Who has it{holders.page && !holders.search.trim() ? ` (${holders.count.toLocaleString()})` : ""}
      </Subtitle2>
      <DataTable
        model={holders}
        ariaLabel={`People with ${licence.name}`}
        toolbarLabel="Who has it"
        rowHeight={48}
        maxHeight={320}
        testId="licence-holders-table"
        rowTestId="licence-holder-row"
        errorTitle="Couldn't load who has this licence"
        loadingLabel="Loading who has it…"
        search={{ label: "Search people with this licence", placeholder: "Search people with this licence" }}
        csv={{ fileName: "licence-holders", extra: PERSON_CSV }}
        selectable={{ rowLabel: (p) => p.displayName ?? p.userPrincipalName ?? p.id }}
        panel={
          <SelectionActions
            model={holders}
            actions={HOLDER_ACTIONS}
            idOf={(p) => p.id}
            noun="people"
            target={{ skuId: licence.skuId, licenceName: licence.name }}
            labels={{ removeLicence: `Remove ${licence.name}` }}
          />
        }
        empty={
          !holders.error && (
            <Text className={styles.secondary}>
              {holders.searching ? "Nobody with this licence matches your search." : "Nobody has this licence yet."}
            </Text>
          )
        }
      />
    </section>
  );
}

type Outcome = { person: Choice; message: string; ok: boolean };

function AssignToPeople({ licence }: { licence: LicenseRow }) {
  const styles = useStyles();
  const assign = useAssignLicence();
  const [people, setPeople] = useState<Choice[]>([]);
  const [off, setOff] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const short = people.length > licence.free;

  const run = async () => {
    setRunning(true);
    const done: Outcome[] = [];
    // One person at a time, so each gets their own answer (a missing usage location stops only that person).
    for (const person of people) {
      try {
        const result = await assign.mutateAsync({ userId: person.id, skuId: licence.skuId, disabledPlans: off });
        done.push({ person, message: result.message, ok: true });
      } catch (error) {
        done.push({ person, message: (error as AppError).message, ok: false });
      }
      setOutcomes([...done]);
    }
    setPeople(done.filter((o) => !o.ok).map((o) => o.person));
    setRunning(false);
  };

  return (
    <section className={styles.section} aria-labelledby="licence-assign">
      <Subtitle2 as="h3" id="licence-assign" className={styles.heading}>
        Assign to people
      </Subtitle2>
      <Field label="People" hint="Choose several people; each gets the licence directly.">
        <UserPicker label="People to license" selected={people} onChange={setPeople} disabled={running} />
      </Field>
      <ServicePlanChoice plans={licence.servicePlans} off={off} onChange={setOff} disabled={running} />
      {people.length > 0 && (
        <Text role="status">
          {plural(people.length, "person", "people")} will get {licence.name}. Free seats: {licence.free.toLocaleString()} now,{" "}
          {Math.max(licence.free - people.length, 0).toLocaleString()} after.
          {short && ` Only ${plural(licence.free, "seat is", "seats are")} free: the last ones will be refused.`}
        </Text>
      )}
      <div>
        <WriteButton appearance="primary" disabled={people.length === 0 || running} onClick={() => void run()}>
          {running ? "Assigning…" : people.length > 1 ? `Assign to ${people.length} people` : "Assign"}
        </WriteButton>
      </div>
      {outcomes.length > 0 && (
        <ul className={styles.results} aria-label="Results">
          {outcomes.map((o) => (
            <li key={o.person.id}>
              <strong>{o.person.name}</strong>: <span className={o.ok ? styles.ok : styles.bad}>{o.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function LicencesPage() {
  const styles = useStyles();
  const licences = useLicences({ current: true });
  const [open, setOpen] = useState<string | null>(null);
  const chosen = licences.data?.find((l) => l.skuId === open) ?? null;
  return (
    <section className={styles.page}>
      <PageHeader title="Licences" description="Your organisation's subscriptions, how many seats are used, and who to give them to." />
      {licences.isError && <ErrorMessageBar error={licences.error} title="Couldn't load licences" />}
      {licences.isPending && <Spinner label="Loading licences…" />}
      {licences.isSuccess && licences.data.length === 0 && (
        <EmptyState icon={<CertificateRegular />} title="No subscriptions">
          This organisation has no licences to assign.
        </EmptyState>
      )}
      <div className={styles.grid}>
        {(licences.data ?? []).map((l) => (
          // Named by what it shows (product, status, part number, seats): an aria-label that says less
          // than the card would hide the rest from screen readers (axe: label-content-name-mismatch).
          <button key={l.skuId} type="button" className={styles.card} onClick={() => setOpen(l.skuId)} data-testid="licence-card">
            <span className={styles.title}>
              <Subtitle2>{l.name}</Subtitle2>
              {statusBadge(l)}
            </span>
            <span className={styles.secondary}>{l.skuPartNumber}</span>
            <ProgressBar
              value={l.total > 0 ? Math.min(l.consumed / l.total, 1) : 1}
              color={l.free <= 0 ? "error" : l.free / Math.max(l.total, 1) < 0.1 ? "warning" : "brand"}
              thickness="large"
              aria-hidden
            />
            <Text>{seatsText(l)}</Text>
          </button>
        ))}
      </div>
      <DetailsDrawer open={chosen !== null} title={chosen?.name ?? "Licence"} onClose={() => setOpen(null)}>
        {chosen && (
          <>
            <Text>
              {seatsText(chosen)} {statusBadge(chosen)}
            </Text>
            <AssignToPeople key={chosen.skuId} licence={chosen} />
            <WhoHasIt licence={chosen} />
            <section className={styles.section} aria-labelledby="licence-plans">
              <Subtitle2 as="h3" id="licence-plans" className={styles.heading}>
                What's included ({chosen.servicePlans.length})
              </Subtitle2>
              <ul className={styles.plans}>
                {chosen.servicePlans.map((p) => (
                  <li key={p.servicePlanId} className={styles.plan}>
                    {p.label}
                    {p.servicePlanName && p.servicePlanName !== p.label && <span className={styles.secondary}>{` · ${p.servicePlanName}`}</span>}
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </DetailsDrawer>
    </section>
  );
}
