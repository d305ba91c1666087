// Import from CSV: choose what the file does (and download its template), choose the file (Rust opens
// the system's dialog and reads it), see every line checked — fix a bad line's cells and check it
// again, or skip it — then the good rows go to the bulk job dialog's preview, run and results.

import {
  Badge,
  Button,
  Input,
  Radio,
  RadioGroup,
  Field,
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
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { type FormEvent, useState } from "react";
import {
  type ImportCheck,
  type ImportKind,
  type ImportLine,
  closeImport,
  useFixImportRow,
  useOpenImportFile,
  usePlanImport,
  useSaveImportTemplate,
} from "../../api";
import { FormDialog } from "../../components/FormDialog";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";
import { useBulkJobs } from "../bulk/BulkJobs";
import { GroupTarget, type Target } from "../bulk/BulkJobSteps";
import { IMPORT_KINDS, KIND_HINT, KIND_LABEL, blockingLines, checkSentence, fixedCells, linesInOrder, problemText } from "./words";

const useStyles = makeStyles({
  surface: { maxWidth: "min(1040px, 94vw)", width: "1040px" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  rows: { maxHeight: "360px", overflowY: "auto", border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  line: { width: "48px" },
  secret: { width: "96px" },
  check: { width: "260px" },
  cell: { overflowWrap: "anywhere", verticalAlign: "top", paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS },
  problem: { display: "block", color: tokens.colorPaletteRedForeground1, marginTop: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalXS },
  actions: { display: "flex", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  cellInput: { minWidth: "120px", width: "100%" },
});

type Props = {
  open: boolean;
  onClose: () => void;
  /** What the dialog offers first (a group's members offer "add members"). */
  initialKind?: ImportKind;
  /** The group, when the page is about one. */
  group?: { id: string; name: string };
};

/** The import dialog: the kind and file, then the checked lines, then the bulk preview takes over. */
export function ImportDialog({ open, onClose, initialKind = "createUsers", group }: Props) {
  const styles = useStyles();
  const jobs = useBulkJobs();
  const [kind, setKind] = useState<ImportKind>(initialKind);
  const [target, setTarget] = useState<Target>(group ? { groupId: group.id, groupName: group.name } : {});
  const [check, setCheck] = useState<ImportCheck | null>(null);
  const [skipped, setSkipped] = useState<ReadonlySet<number>>(new Set());
  const opening = useOpenImportFile();
  const planning = usePlanImport();
  const needsGroup = kind === "addMembers" && !target.groupId;

  const close = () => {
    if (check) void closeImport(check.importId);
    setCheck(null);
    setSkipped(new Set());
    opening.reset();
    planning.reset();
    onClose();
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (check === null) {
      opening.mutate(kind, { onSuccess: (c) => c && setCheck(c) });
      return;
    }
    planning.mutate(
      { importId: check.importId, skipped: [...skipped], groupId: kind === "addMembers" ? (target.groupId ?? null) : null },
      {
        onSuccess: (plan) => {
          setCheck(null);
          setSkipped(new Set());
          onClose();
          jobs?.preview(plan);
        },
      },
    );
  };
  const blocked = check !== null && blockingLines(check, skipped).length > 0;
  const error = planning.error ?? opening.error;
  return (
    <FormDialog
      open={open}
      label="Import from CSV"
      title={check ? `Import from CSV: ${KIND_LABEL[check.kind]}` : "Import from CSV"}
      surfaceClassName={styles.surface}
      contentClassName={styles.content}
      onSubmit={onSubmit}
      onCancel={close}
      busy={opening.isPending || planning.isPending}
      submitText={check ? "Preview changes" : "Choose file…"}
      busyText={check ? "Checking with Microsoft Graph…" : "Reading the file…"}
      submitDisabled={check ? blocked : needsGroup}
      error={{ error, title: check ? "Couldn't prepare the changes" : "Couldn't read the file" }}
    >
      {check === null ? (
        <KindStep kind={kind} onKind={setKind} fixedGroup={group} onTarget={setTarget} />
      ) : (
        <CheckStep check={check} skipped={skipped} onCheck={setCheck} onSkipped={setSkipped} />
      )}
    </FormDialog>
  );
}

/** What the file does, its template, and (add members) the group. */
function KindStep({ kind, onKind, fixedGroup, onTarget }: { kind: ImportKind; onKind: (k: ImportKind) => void; fixedGroup?: { id: string; name: string }; onTarget: (t: Target) => void }) {
  const template = useSaveImportTemplate();
  return (
    <>
      <Field label="What does the file do?">
        <RadioGroup value={kind} onChange={(_, d) => onKind(d.value as ImportKind)} aria-label="What the file does">
          {IMPORT_KINDS.map((k) => (
            <Radio key={k} value={k} label={KIND_LABEL[k]} />
          ))}
        </RadioGroup>
      </Field>
      <Text>{KIND_HINT[kind]}</Text>
      <div>
        <Button icon={<ArrowDownloadRegular />} onClick={() => template.mutate(kind)} disabled={template.isPending} data-testid="import-template">
          {`Download the “${KIND_LABEL[kind]}” template`}
        </Button>
      </div>
      {template.data && <Text data-testid="import-template-saved">{`Template saved to ${template.data}. Fill it in (one line per person, keep the first line), save it as CSV, then choose it below.`}</Text>}
      {template.error && <ErrorMessageBar error={template.error} title="Couldn't save the template" />}
      {kind === "addMembers" && (fixedGroup ? <Text weight="semibold">{`Group: ${fixedGroup.name}`}</Text> : <GroupTarget action="addToGroup" onChange={onTarget} />)}
      <Text>Nothing is sent when you choose the file: every line is checked first, and you see what would change before anything does.</Text>
    </>
  );
}

/** Every line of the file with its check; a bad line can be fixed in place or skipped. */
function CheckStep({ check, skipped, onCheck, onSkipped }: { check: ImportCheck; skipped: ReadonlySet<number>; onCheck: (c: ImportCheck) => void; onSkipped: (s: ReadonlySet<number>) => void }) {
  const styles = useStyles();
  const toggle = (line: number) => onSkipped(skipped.has(line) ? new Set([...skipped].filter((l) => l !== line)) : new Set([...skipped, line]));
  return (
    <>
      <Text weight="semibold" data-testid="import-summary">
        {checkSentence(check, skipped)}
      </Text>
      <Text>Nothing has been sent. Fix a line here (Edit, then Check again) or skip it; the file itself is not changed.</Text>
      <div className={styles.rows}>
        <Table size="small" aria-label="Lines of the file" data-testid="import-lines">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.line}>Line</TableHeaderCell>
              {check.columns.map((c, i) => (
                <TableHeaderCell key={c} className={i === check.secretColumn ? styles.secret : undefined}>
                  {c}
                </TableHeaderCell>
              ))}
              <TableHeaderCell className={styles.check}>Check</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {linesInOrder(check).map((l) => (
              <LineRow key={l.line} check={check} line={l} skipped={skipped.has(l.line)} onSkip={() => toggle(l.line)} onCheck={onCheck} />
            ))}
          </TableBody>
        </Table>
      </div>
    </>
  );
}

/** One line: its cells (a bad line's can be edited and checked again) and its check. */
function LineRow({ check, line, skipped, onSkip, onCheck }: { check: ImportCheck; line: ImportLine; skipped: boolean; onSkip: () => void; onCheck: (c: ImportCheck) => void }) {
  const styles = useStyles();
  const [typed, setTyped] = useState<string[] | null>(null);
  const fix = useFixImportRow();
  const secret = check.secretColumn ?? null;
  const recheck = () =>
    typed &&
    fix.mutate(
      { importId: check.importId, line: line.line, cells: fixedCells(typed, secret) },
      {
        onSuccess: (c) => {
          setTyped(null);
          onCheck(c);
        },
      },
    );
  return (
    <TableRow data-testid="import-line" data-line={line.line}>
      <TableCell className={styles.cell}>{line.line}</TableCell>
      {line.cells.map((cell, i) => (
        <TableCell key={check.columns[i]} className={styles.cell}>
          {typed ? (
            <Input
              className={styles.cellInput}
              size="small"
              aria-label={`${check.columns[i]}, line ${line.line}`}
              type={i === secret ? "password" : "text"}
              placeholder={i === secret ? "Kept from the file; type to replace" : undefined}
              value={typed[i] ?? ""}
              onChange={(_, d) => setTyped(typed.map((t, j) => (j === i ? d.value : t)))}
            />
          ) : i === secret ? (
            "••••••"
          ) : (
            cell
          )}
        </TableCell>
      ))}
      <TableCell className={styles.cell}>
        {line.problem === null ? (
          <Badge appearance="tint" color="success">
            Ready
          </Badge>
        ) : (
          <div>
            <Badge appearance="tint" color={skipped ? "informative" : "danger"}>
              {skipped ? "Skipped" : `Problem on line ${line.line}`}
            </Badge>
            <Text as="p" className={styles.problem} data-testid="import-problem">
              {problemText(line)}
            </Text>
            {fix.error && <ErrorMessageBar error={fix.error} title="Couldn't check it again" />}
            <div className={styles.actions}>
              {typed ? (
                <Button size="small" appearance="primary" onClick={recheck} disabled={fix.isPending}>
                  Check again
                </Button>
              ) : (
                <Button size="small" onClick={() => setTyped(line.cells.map((c) => c ?? ""))} disabled={skipped}>
                  Edit
                </Button>
              )}
              <Button size="small" onClick={onSkip}>
                {skipped ? "Don't skip" : "Skip this line"}
              </Button>
            </div>
          </div>
        )}
      </TableCell>
    </TableRow>
  );
}
