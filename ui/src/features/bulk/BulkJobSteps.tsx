// The steps of a bulk job, each shown inside the job dialog: choose the group or licence, the preview
// (row by row, with each row's pre-flight answer; a row can be left out), the progress, the results.

import {
  Badge,
  Button,
  Checkbox,
  MessageBar,
  MessageBarBody,
  Field,
  ProgressBar,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { type GroupChoice, type JobProgress, type JobRow, saveCsv, useLicences } from "../../api";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { GroupPicker } from "../groups/GroupPicker";
import { ServicePlanChoice } from "../licences/ServicePlanChoice";
import { LicenceChoice, UsageLocation } from "../users/UserLicences";
import {
  type BulkAction,
  type ResultFilter,
  answerLabel,
  checkReason,
  matchesFilter,
  previewSentence,
  resultCounts,
  resultsCsv,
  statusLabel,
} from "./words";

const useStyles = makeStyles({
  rows: { maxHeight: "340px", overflowY: "auto", border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  narrow: { width: "48px" },
  number: { width: "56px" },
  answer: { width: "120px" },
  reason: { color: tokens.colorNeutralForeground2 },
  requestId: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  summary: { display: "flex", alignItems: "center", justifyContent: "space-between", columnGap: tokens.spacingHorizontalM },
});

export type Target = { groupId?: string; groupName?: string; skuId?: string; licenceName?: string; disabledPlans?: string[]; usageLocation?: string };

/** The group a membership job is about. */
export function GroupTarget({ action, onChange }: { action: BulkAction; onChange: (t: Target) => void }) {
  const [chosen, setChosen] = useState<GroupChoice[]>([]);
  return (
    <GroupPicker
      label={action === "addToGroup" ? "Group to add them to" : "Group to remove them from"}
      selected={chosen}
      onChange={(picked) => {
        const one = picked.slice(-1);
        setChosen(one);
        onChange(one[0] ? { groupId: one[0].id, groupName: one[0].name } : {});
      }}
    />
  );
}

/** The licence a licence job is about, and (to assign) the services to switch off. */
export function LicenceTarget({ action, target, onChange }: { action: BulkAction; target: Target; onChange: (t: Target) => void }) {
  const licences = useLicences();
  const offered = licences.data ?? [];
  const chosen = offered.find((l) => l.skuId === target.skuId);
  return (
    <>
      <LicenceChoice
        label={action === "assignLicence" ? "Licence to give them" : "Licence to take away"}
        offered={offered}
        skuId={target.skuId ?? ""}
        loading={licences.isPending}
        message={licences.isError ? `Couldn't read the licences: ${licences.error.message}` : undefined}
        onOpen={() => void licences.refetch()}
        onChoose={(skuId) => {
          const l = offered.find((x) => x.skuId === skuId);
          onChange(l ? { skuId: l.skuId, licenceName: l.name, disabledPlans: [] } : {});
        }}
      />
      {action === "assignLicence" && chosen && (
        <ServicePlanChoice plans={chosen.servicePlans} off={target.disabledPlans ?? []} onChange={(off) => onChange({ ...target, disabledPlans: off })} />
      )}
    </>
  );
}

/** The preview: the counts, then each row with its answer; rows that will change can be left out. */
export function PreviewStep({ action, rows, left, onToggle }: { action: BulkAction; rows: JobRow[]; left: ReadonlySet<number>; onToggle: (index: number) => void }) {
  const styles = useStyles();
  return (
    <>
      <Text weight="semibold" data-testid="bulk-preview-summary">
        {previewSentence(action, rows)}
      </Text>
      <Text>Nothing has been changed yet. Untick a row to leave it out.</Text>
      <div className={styles.rows}>
        <Table size="small" aria-label="Planned changes" data-testid="bulk-preview-rows">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.narrow}>Apply</TableHeaderCell>
              <TableHeaderCell className={styles.number}>Row</TableHeaderCell>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell className={styles.answer}>Check</TableHeaderCell>
              <TableHeaderCell>Why</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => {
              const answer = answerLabel(r.check);
              const will = r.check.answer === "willChange";
              return (
                <TableRow key={r.index} data-testid="bulk-preview-row">
                  <TableCell>
                    <Checkbox aria-label={`Apply to ${r.name}`} checked={will && !left.has(r.index)} disabled={!will} onChange={() => onToggle(r.index)} />
                  </TableCell>
                  <TableCell>{r.index}</TableCell>
                  <TableCell>{r.name}</TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={answer.color}>
                      {answer.text}
                    </Badge>
                  </TableCell>
                  <TableCell className={styles.reason}>{checkReason(r.check)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </>
  );
}

/** Assign licence: one usage location for the rows whose people have none; the preview is checked again with it. */
export function UsageLocationForRows({ count, pending, message, onCheck }: { count: number; pending: boolean; message?: string; onCheck: (location: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <>
      <Text>{`${count.toLocaleString()} ${count === 1 ? "person has" : "people have"} no usage location. Give one to set for them first, in the same job:`}</Text>
      <UsageLocation value={value} onChange={setValue} message={message} pending={pending} label="Check again with it" onSet={() => onCheck(value.trim())} />
    </>
  );
}

/** The undo of a job: the done rows it leaves out, and why. */
export function LeftOut({ reasons }: { reasons: readonly string[] }) {
  if (reasons.length === 0) return null;
  return (
    <MessageBar intent="warning" data-testid="bulk-left-out">
      <MessageBarBody>
        {`${reasons.length.toLocaleString()} done ${reasons.length === 1 ? "row is" : "rows are"} not part of this undo: `}
        {reasons.join(" ")}
      </MessageBarBody>
    </MessageBar>
  );
}

/** The progress bar and counts of a running job. */
export function ProgressStep({ progress, cancelling }: { progress: JobProgress | null; cancelling: boolean }) {
  const finished = progress ? progress.done + progress.skipped + progress.failed : 0;
  const total = progress?.toSend ?? 0;
  return (
    <Field
      label={cancelling ? "Stopping after the changes being sent now…" : "Making the changes"}
      hint={
        progress?.waitingSecs
          ? `Microsoft Graph asked to wait ${progress.waitingSecs} seconds; the job goes on by itself.`
          : progress
            ? `${finished.toLocaleString()} of ${total.toLocaleString()}: ${progress.done.toLocaleString()} done, ${progress.skipped.toLocaleString()} skipped, ${progress.failed.toLocaleString()} failed`
            : "Starting…"
      }
    >
      {/* Never indeterminate: its endless animation makes the app's motion skipping throw in WebKitGTK
          (Animation.finish() on an infinite animation), which blanked the window. */}
      <ProgressBar value={total > 0 ? finished / total : 0} thickness="large" data-testid="bulk-progress" />
    </Field>
  );
}

/** Each row's result, filterable: done / skipped / failed (with the reason and Graph's request id) / not sent. */
export function ResultsStep({ rows, fileName }: { rows: JobRow[]; fileName: string }) {
  const styles = useStyles();
  const [filter, setFilter] = useState<ResultFilter>("all");
  const counts = resultCounts(rows);
  const tabs: [ResultFilter, string][] = [
    ["all", "All"],
    ["done", "Done"],
    ["skipped", "Skipped"],
    ["failed", "Failed"],
    ["notSent", "Not sent"],
  ];
  return (
    <>
      <div className={styles.summary}>
        <Text weight="semibold" data-testid="bulk-results-summary">
          {`${counts.done.toLocaleString()} done, ${counts.skipped.toLocaleString()} skipped, ${counts.failed.toLocaleString()} failed${counts.notSent > 0 ? `, ${counts.notSent.toLocaleString()} not sent` : ""}.`}
        </Text>
        <ExportResults rows={rows} fileName={fileName} />
      </div>
      <TabList selectedValue={filter} onTabSelect={(_, d) => setFilter(d.value as ResultFilter)} aria-label="Show results">
        {tabs.map(([value, label]) => (
          <Tab key={value} value={value}>{`${label} (${counts[value].toLocaleString()})`}</Tab>
        ))}
      </TabList>
      <div className={styles.rows}>
        <Table size="small" aria-label="Results" data-testid="bulk-results-rows">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.number}>Row</TableHeaderCell>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell className={styles.answer}>Result</TableHeaderCell>
              <TableHeaderCell>Why</TableHeaderCell>
              <TableHeaderCell>Request id</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows
              .filter((r) => matchesFilter(r, filter))
              .map((r) => (
                <TableRow key={r.index} data-testid="bulk-result-row">
                  <TableCell>{r.index}</TableCell>
                  <TableCell>{r.name}</TableCell>
                  <TableCell>{statusLabel(r.status)}</TableCell>
                  <TableCell className={styles.reason}>{r.reason ?? ""}</TableCell>
                  <TableCell className={styles.requestId}>{r.requestId ?? ""}</TableCell>
                </TableRow>
              ))}
          </TableBody>
        </Table>
      </div>
    </>
  );
}

/** Saves every row's result (with the reason and request id) as a CSV file, through the system's save dialog. */
function ExportResults({ rows, fileName }: { rows: JobRow[]; fileName: string }) {
  const [state, setState] = useState<{ running: boolean; savedTo: string | null; error: unknown }>({ running: false, savedTo: null, error: null });
  const run = async () => {
    setState({ running: true, savedTo: null, error: null });
    try {
      const { header, rows: cells } = resultsCsv(rows);
      setState({ running: false, savedTo: await saveCsv(`${fileName}-${new Date().toISOString().slice(0, 10)}.csv`, header, cells), error: null });
    } catch (error) {
      setState({ running: false, savedTo: null, error });
    }
  };
  return (
    <>
      <Button disabled={state.running} onClick={() => void run()}>
        {state.running ? "Exporting…" : "Export results"}
      </Button>
      {state.savedTo && <Text data-testid="bulk-results-saved">{`Saved to ${state.savedTo}`}</Text>}
      {state.error !== null && <ErrorMessageBar error={state.error} title="Couldn't export the results" />}
    </>
  );
}
