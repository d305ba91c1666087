import { Badge, Button, Dropdown, Field, Input, Option, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useCustomRequest } from "../../api";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessageBar } from "../../components/ErrorMessageBar";

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;
type Method = (typeof METHODS)[number];

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  row: { display: "flex", columnGap: tokens.spacingHorizontalS, alignItems: "flex-start" },
  method: { minWidth: "110px" },
  path: { flex: 1 },
  body: { fontFamily: tokens.fontFamilyMonospace, minHeight: "100px" },
  response: {
    margin: 0,
    maxHeight: "360px",
    overflow: "auto",
    padding: tokens.spacingHorizontalM,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: "pre-wrap",
    wordBreak: "break-all",
  },
  status: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS },
});

/** Custom API Action: any Microsoft Graph v1.0 request with the signed-in account. Changes ask first. */
export function GraphRequest() {
  const styles = useStyles();
  const send = useCustomRequest();
  const [method, setMethod] = useState<Method>("GET");
  const [path, setPath] = useState("/users?$top=5");
  const [body, setBody] = useState("");
  const [confirming, setConfirming] = useState(false);
  const pathError = path.trim() === "" ? "Enter a path, like /users?$top=5." : !path.trim().startsWith("/") ? "Start with /, like /users: requests go to Microsoft Graph v1.0 only." : undefined;
  const fieldError = send.isError && send.error.detail.kind === "validation" ? send.error.detail : null;

  const run = () =>
    send.mutate(
      { method, path: path.trim(), query: [], headers: [], body: method === "GET" || body.trim() === "" ? null : body },
      { onSettled: () => setConfirming(false) },
    );

  return (
    <div className={styles.root}>
      <div className={styles.row}>
        <Dropdown className={styles.method} aria-label="Method" value={method} selectedOptions={[method]} onOptionSelect={(_, d) => d.optionValue && setMethod(d.optionValue as Method)}>
          {METHODS.map((m) => (
            <Option key={m} value={m}>
              {m}
            </Option>
          ))}
        </Dropdown>
        <Field className={styles.path} validationMessage={pathError ?? (fieldError?.field === "path" ? fieldError.message : undefined)}>
          <Input aria-label="Path" value={path} onChange={(_, d) => setPath(d.value)} spellCheck={false} contentBefore={<Text size={200}>graph.microsoft.com/v1.0</Text>} />
        </Field>
        <Button appearance="primary" disabled={!!pathError || send.isPending} onClick={() => (method === "GET" ? run() : setConfirming(true))}>
          {send.isPending ? "Sending…" : "Send"}
        </Button>
      </div>
      {method !== "GET" && (
        <Field label="Body (JSON)" validationMessage={fieldError?.field === "body" ? fieldError.message : undefined}>
          <Textarea className={styles.body} value={body} onChange={(_, d) => setBody(d.value)} spellCheck={false} resize="vertical" />
        </Field>
      )}
      {send.isError && fieldError?.field !== "path" && fieldError?.field !== "body" && <ErrorMessageBar error={send.error} title="The request failed" />}
      {send.isSuccess && (
        <>
          <div className={styles.status}>
            <Badge appearance="tint" color={send.data.status < 300 ? "success" : send.data.status < 500 ? "warning" : "danger"}>
              {send.data.status}
            </Badge>
            <Text size={200}>
              {send.data.headers.find((h) => h.name.toLowerCase() === "request-id")?.value ?? ""}
            </Text>
            <CopyButton text={send.data.body} label="Copy response" />
          </div>
          <pre className={styles.response} aria-label="Response">{send.data.body || "(empty response)"}</pre>
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Send ${method} ${path.trim()}?`}
        confirmLabel={`Send ${method}`}
        destructive={method === "DELETE"}
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
