// A "columns" button: show or hide the columns of a table, remembered in localStorage.
import { useMemo, useState } from "react";
import { Button, Checkbox, Popover, Space } from "antd";
import { SettingOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { loadHiddenColumns, saveHiddenColumns, toggleColumn } from "./columnSettings";

export interface SettableColumn {
  key: string;
  title: string;
}

export function useColumnSettings(table: string, columns: readonly SettableColumn[]) {
  const keys = useMemo(() => columns.map((c) => c.key), [columns]);
  const [hidden, setHidden] = useState<string[]>(() => loadHiddenColumns(table, keys));
  const set = (key: string, visible: boolean) => {
    const next = toggleColumn(hidden, key, visible, keys);
    setHidden(next);
    saveHiddenColumns(table, next);
  };
  const control = (
    <ColumnSettingsButton columns={columns} hidden={hidden} onChange={set} />
  );
  return { isVisible: (key: string) => !hidden.includes(key), control };
}

function ColumnSettingsButton({
  columns,
  hidden,
  onChange,
}: {
  columns: readonly SettableColumn[];
  hidden: readonly string[];
  onChange: (key: string, visible: boolean) => void;
}) {
  const { t } = useTranslation();
  const content = (
    <Space direction="vertical" data-testid="column-settings-panel">
      {columns.map((c) => (
        <Checkbox
          key={c.key}
          data-testid={`column-toggle-${c.key}`}
          checked={!hidden.includes(c.key)}
          onChange={(event) => onChange(c.key, event.target.checked)}
        >
          {c.title}
        </Checkbox>
      ))}
    </Space>
  );
  return (
    <Popover trigger="click" placement="bottomRight" content={content} title={t("stockPages.columns")}>
      <Button icon={<SettingOutlined />} data-testid="column-settings">
        {t("stockPages.columns")}
      </Button>
    </Popover>
  );
}
