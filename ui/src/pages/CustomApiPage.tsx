import {
  Badge,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import type { CustomResponse } from "../api";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { CopyButton } from "../components/CopyButton";
import { ErrorMessageBar } from "../components/ErrorMessageBar";
import { PageHeader } from "../components/PageHeader";
import { Section } from "../components/Section";
import { useCustomRequestSession } from "../features/custom/CustomRequestContext";
import { NameValueRows } from "../features/custom/NameValueRows";
import { type DraftErrors, type DraftField, FOLLOW_PAGE_LIMIT, METHODS, type Method, type RequestDraft, buildRequest, checkDraft } from "../features/custom/request";
import { WriteButton } from "../components/WriteAccess";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL, maxWidth: "1040px" },
  line: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-start", flexWrap: "wrap" },
  method: { minWidth: "120px" },
  path: { flex: 1, minWidth: "260px" },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  body: { fontFamily: tokens.fontFamilyMonospace, minHeight: "140px" },
  actions: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalM },
  status: { display: "flex", alignItems: "center", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
  support: { display: "flex", alignItems: "center", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  code: { fontFamily: tokens.fontFamilyMonospace, userSelect: "text", wordBreak: "break-all" },
  headers: { tableLayout: "auto" },
  headerValue: { fontFamily: tokens.fontFamilyMonospace, wordBreak: "break-all", userSelect: "text" },
  response: {
    margin: 0,
    maxHeight: "480px",
    overflow: "auto",
    padding: tokens.spacingHorizontalM,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: "pre-wrap",
    wordBreak: "break-all",
    userSelect: "text",
  },
});

const FIELDS: readonly DraftField[] = ["method", "path", "query", "headers", "body", "followPages"];

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "3 pages, 2,997 items" or the note that following stopped at the limit. */
function pagingLine(response: CustomResponse): string | null {
  const items = response.items === null ? null : plural(response.items, "item", "items");
  if (response.morePages) {
    return `Stopped after ${plural(response.pages, "page", "pages")} (${items ?? "no items"}): Microsoft Graph has more. The body ends with the link to the next page.`;
  }
  if (response.pages > 1) return `${plural(response.pages, "page", "pages")}, ${items ?? "no items"} in all.`;
  return items;
}

function ResponseView({ response }: { response: CustomResponse }) {
  const styles = useStyles();
  const requestId = response.headers.find((h) => h.name.toLowerCase() === "request-id")?.value;
  const paging = pagingLine(response);
  const headersText = response.headers.map((h) => `${h.name}: ${h.value}`).join("\n");
  return (
    <Section id="custom-response" title="Response">
      <div className={styles.status}>
        <Badge size="large" appearance="tint" color={response.status < 300 ? "success" : "warning"} aria-label="Status">
          {response.status}
        </Badge>
        <Text>{response.statusText}</Text>
      </div>
      {paging && <Text role="status">{paging}</Text>}
      {requestId && (
        <div className={styles.support}>
          <Text size={200}>Request ID (for support):</Text>
          <Text size={200} className={styles.code} aria-label="Request ID">
            {requestId}
          </Text>
          <CopyButton text={requestId} label="Copy request ID" />
        </div>
      )}
      <Field label="Headers">
        <div>
          <Table size="extra-small" aria-label="Response headers" className={styles.headers}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Value</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {response.headers.map((h) => (
                <TableRow key={h.name}>
                  <TableCell>{h.name}</TableCell>
                  <TableCell className={styles.headerValue}>{h.value}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <CopyButton text={headersText} label="Copy headers" />
        </div>
      </Field>
      <Field label="Body">
        <div>
          <pre className={styles.response} aria-label="Response body">
            {response.body || "(empty: Microsoft Graph sent no body)"}
          </pre>
          {response.body && <CopyButton text={response.body} label="Copy body" />}
        </div>
      </Field>
    </Section>
  );
}

/** What the request's parts share: the draft, the message of each field, and how to change it. */
type PartProps = {
  draft: RequestDraft;
  fieldOf: (field: DraftField) => string | undefined;
  update: (change: Partial<RequestDraft>) => void;
};

/** The method and the path, on one line. */
function MethodAndPath({ draft, fieldOf, update }: PartProps) {
  const styles = useStyles();
  return (
    <div className={styles.line}>
      <Field label="Method" validationMessage={fieldOf("method")}>
        <Dropdown
          className={styles.method}
          value={draft.method}
          selectedOptions={[draft.method]}
          onOptionSelect={(_, d) => d.optionValue && update({ method: d.optionValue as Method })}
        >
          {METHODS.map((m) => (
            <Option key={m} value={m}>
              {m}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field
        className={styles.path}
        label="Path"
        hint="Relative to the signed-in Microsoft Graph v1.0 endpoint, e.g. /users/AdeleV@contoso.com or /groups?$top=5."
        validationMessage={fieldOf("path")}
      >
        <Input className={styles.mono} value={draft.path} spellCheck={false} contentBefore={<Text size={200}>v1.0</Text>} onChange={(_, d) => update({ path: d.value })} />
      </Field>
    </div>
  );
}

/** A GET may follow Graph's next pages; any other method may carry a JSON body. */
function PagesOrBody({ draft, fieldOf, update }: PartProps) {
  const styles = useStyles();
  return draft.method === "GET" ? (
    <Field validationMessage={fieldOf("followPages")}>
      <Checkbox
        checked={draft.followPages}
        onChange={(_, d) => update({ followPages: d.checked === true })}
        label={`Follow next pages (up to ${FOLLOW_PAGE_LIMIT} pages): for a list, fetch the pages Graph links with @odata.nextLink and show them together.`}
      />
    </Field>
  ) : (
    <Field label="Body (JSON)" hint="Checked as you type; sent with Content-Type: application/json." validationMessage={fieldOf("body")}>
      <Textarea
        className={styles.body}
        value={draft.body}
        placeholder={'{\n  "jobTitle": "Sales Lead"\n}'}
        spellCheck={false}
        resize="vertical"
        onChange={(_, d) => update({ body: d.value })}
      />
    </Field>
  );
}

/** Send: a GET only reads; any other method can change something, which a read-only sign-in may not. */
function SendButton({ method, pending, onSend }: { method: Method; pending: boolean; onSend: () => void }) {
  const label = pending ? "Sending…" : "Send";
  return method === "GET" ? (
    <Button appearance="primary" disabled={pending} onClick={onSend}>
      {label}
    </Button>
  ) : (
    <WriteButton appearance="primary" disabled={pending} onClick={onSend}>
      {label}
    </WriteButton>
  );
}

/**
 * Custom API Action (cards.md 1.9): any Microsoft Graph v1.0 request as the signed-in account, for what
 * the other pages don't cover. What was typed and the last answer stay for the session (CustomRequestProvider).
 */
export function CustomApiPage() {
  const styles = useStyles();
  const { draft, setDraft, send } = useCustomRequestSession();
  const [confirming, setConfirming] = useState(false);
  // Messages appear once the person has tried to send, or as they type in a field that already has text.
  const [tried, setTried] = useState(false);
  const errors: DraftErrors = checkDraft(draft);
  const server = send.isError && send.error.detail.kind === "validation" ? send.error.detail : null;
  const fieldOf = (field: DraftField): string | undefined =>
    (tried || field === "body" || field === "headers" ? errors[field] : undefined) ?? (server?.field === field ? server.message : undefined);
  // A field Rust names is shown next to that field; anything else as a banner.
  const placed = FIELDS.some((field) => field === server?.field);
  const hasErrors = Object.keys(errors).length > 0;

  const update = (change: Partial<typeof draft>) => {
    if (send.isError) send.reset();
    setDraft((d) => ({ ...d, ...change }));
  };
  const run = () => send.mutate(buildRequest(draft), { onSettled: () => setConfirming(false) });
  const onSend = () => {
    setTried(true);
    if (hasErrors) return;
    if (draft.method === "GET") run();
    else setConfirming(true);
  };

  return (
    <div className={styles.page}>
      <PageHeader
        title="Custom API request"
        description="Send any Microsoft Graph v1.0 request as the signed-in account and see Graph's answer: for tasks the other pages don't cover, and for support."
      />
      <Section id="custom-request" title="Request">
        <MethodAndPath draft={draft} fieldOf={fieldOf} update={update} />
        <NameValueRows
          label="Query parameters"
          noun="query parameter"
          hint="Added after ? and encoded for you, e.g. $select = id,displayName."
          namePlaceholder="$select"
          valuePlaceholder="id,displayName"
          rows={draft.query}
          error={fieldOf("query")}
          onChange={(query) => update({ query })}
        />
        <NameValueRows
          label="Headers"
          noun="header"
          hint="e.g. ConsistencyLevel = eventual. Entra Desk adds your sign-in (Authorization) itself, and Content-Type: application/json when there is a body."
          namePlaceholder="ConsistencyLevel"
          valuePlaceholder="eventual"
          rows={draft.headers}
          error={fieldOf("headers")}
          onChange={(headers) => update({ headers })}
        />
        <PagesOrBody draft={draft} fieldOf={fieldOf} update={update} />
        <div className={styles.actions}>
          <SendButton method={draft.method} pending={send.isPending} onSend={onSend} />
          {tried && hasErrors && <Text role="alert">Fix what is marked above, then send again.</Text>}
        </div>
      </Section>
      {send.isError && !placed && <ErrorMessageBar error={send.error} />}
      {send.isSuccess && <ResponseView response={send.data} />}
      <ConfirmDialog
        open={confirming}
        title={`Send ${draft.method} ${draft.path.trim()}?`}
        confirmLabel={`Send ${draft.method}`}
        destructive={draft.method === "DELETE"}
        pending={send.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={run}
      >
        <Text>
          This request can change your directory, with your permissions, and can't be undone from here. Entra Desk sends it
          exactly as written.
        </Text>
      </ConfirmDialog>
    </div>
  );
}
