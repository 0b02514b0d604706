// The scan field: a keyboard-wedge scanner types the code + Enter here (the field keeps the
// focus); while the focus is elsewhere on the page, fast typing that ends with Enter is taken
// as a scan as well. Each scan gives a visual and a sound cue.
import { useEffect, useRef, useState } from "react";
import { Input, Select, Space, type InputRef } from "antd";
import { useQuery } from "@tanstack/react-query";
import { client, ok } from "../../api/http";
import { CameraScanButton } from "./CameraScan";
import { BarcodeOutlined, SearchOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { WedgeBuffer, mayRefocusScan, normalizeBarcode } from "./wedge";
import { beep } from "./feedback";

export type ScanResult = { ok: true; text: string } | { ok: false; text: string };

/** Add a line without a barcode: search SKUs by code, name or pinyin initials, pick one. */
function SkuSearch({ onPick, disabled }: { onPick: (code: string) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const text = search.trim();
  const skus = useQuery({
    queryKey: ["/api/v1/skus/", "add-line", text],
    queryFn: () => ok(client.GET("/api/v1/skus/", { params: { query: { search: text, page_size: 20 } } })),
    enabled: text.length > 0,
  });
  return (
    <Select<string>
      showSearch
      value={null}
      searchValue={search}
      filterOption={false}
      disabled={disabled}
      suffixIcon={<SearchOutlined />}
      placeholder={t("scan.search")}
      aria-label={t("scan.search")}
      data-testid="sku-search"
      style={{ width: "100%", marginTop: 6 }}
      loading={skus.isFetching}
      notFoundContent={text ? (skus.isFetching ? null : t("scan.noMatch")) : null}
      onSearch={setSearch}
      onChange={(code) => {
        setSearch("");
        if (code) onPick(code);
      }}
      options={(skus.data?.results ?? []).map((sku) => ({
        value: sku.code,
        label: `${sku.code} ${sku.name}${sku.spec ? ` ${sku.spec}` : ""}`,
      }))}
    />
  );
}

export function ScanInput({
  onScan,
  disabled,
  searchable = false,
}: {
  onScan: (barcode: string) => Promise<ScanResult>;
  disabled?: boolean;
  /** also offer a SKU search (lines of products without a barcode) */
  searchable?: boolean;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<ScanResult | null>(null);
  const [flash, setFlash] = useState(0);
  const input = useRef<InputRef>(null);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;

  // Scans are handled one after the other, in the order they came (a scanner is faster than
  // the network): each waits for the previous one's answer.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const pending = useRef(0);

  // After a scan the field takes the focus back for the next wedge scan, but only if the focus
  // is still there (or on no field): a quantity typed while the lookup was pending stays in its
  // field. Not after a camera scan, where focusing it would open a phone's keyboard over the
  // camera view.
  const process = async (code: string, refocus: boolean) => {
    try {
      const result = await onScanRef.current(code);
      setLast(result);
      beep(result.ok);
    } catch {
      setLast({ ok: false, text: t("scan.lookupFailed") });
      beep(false);
    } finally {
      pending.current -= 1;
      setBusy(pending.current > 0);
      setFlash((n) => n + 1);
      const field = input.current?.input ?? null;
      if (refocus && mayRefocusScan(document.activeElement, field, document.body)) input.current?.focus();
    }
  };

  const handle = (raw: string, refocus = true) => {
    const code = normalizeBarcode(raw);
    setValue("");
    if (!code) return;
    pending.current += 1;
    setBusy(true);
    queue.current = queue.current.then(() => process(code, refocus));
  };
  const handleRef = useRef(handle);
  handleRef.current = handle;

  useEffect(() => {
    const buffer = new WedgeBuffer();
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.closest("input, textarea, select, [contenteditable=true]") !== null)) {
        buffer.reset();
        return;
      }
      const code = buffer.push(event.key, event.timeStamp);
      if (code) {
        event.preventDefault();
        handleRef.current(code);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div>
      <Space.Compact style={{ width: "100%" }}>
      <Input
        ref={input}
        id="scan-input"
        size="large"
        autoFocus
        autoComplete="off"
        inputMode="text"
        prefix={<BarcodeOutlined />}
        placeholder={t("scan.placeholder")}
        aria-label={t("scan.label")}
        value={value}
        disabled={disabled}
        onChange={(event) => setValue(event.target.value)}
        onPressEnter={(event) => handle(event.currentTarget.value)}
        suffix={busy ? "…" : null}
      />
      <CameraScanButton onCode={(code) => handleRef.current(code, false)} />
      </Space.Compact>
      {searchable && <SkuSearch disabled={disabled} onPick={(code) => handleRef.current(code, false)} />}
      <div
        key={flash}
        role="status"
        aria-live="polite"
        data-testid="scan-status"
        data-ok={last ? String(last.ok) : ""}
        data-busy={busy ? "true" : "false"}
        className={last ? (last.ok ? "sl-scan-flash-ok" : "sl-scan-flash-bad") : undefined}
        style={{
          minHeight: 24,
          marginTop: 6,
          padding: "2px 8px",
          borderRadius: 4,
          color: last && !last.ok ? "#cf1322" : "#389e0d",
          fontWeight: 500,
        }}
      >
        {last?.text ?? ""}
      </div>
    </div>
  );
}
