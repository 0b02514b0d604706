// The two languages say the same things: en.ts has exactly the keys of zh-CN.ts (tsc checks it
// too, through the `Messages` type), no text is empty, and a text's {{placeholders}} are the same
// in both, so a value the code passes shows in either language.
import { describe, expect, it } from "vitest";
import zhCN from "./zh-CN";
import en from "./en";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]))].sort();
}

const zh = leaves(zhCN);
const english = leaves(en);

describe("messages", () => {
  it("have the same keys in Chinese and English", () => {
    const onlyZh = [...zh.keys()].filter((key) => !english.has(key));
    const onlyEn = [...english.keys()].filter((key) => !zh.has(key));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
    expect(zh.size).toBeGreaterThan(500);
  });

  it("are never empty", () => {
    const empty = [...zh, ...english].filter(([, text]) => !text.trim()).map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    const differ = [...zh]
      .filter(([key, text]) => {
        const other = english.get(key) ?? "";
        // a plural form may leave out {{count}} ("one label" / "1 个"), the other forms may not
        const strip = (names: string[]) => (/_(zero|one|two)$/.test(key) ? names.filter((n) => n !== "count") : names);
        return strip(placeholders(text)).join() !== strip(placeholders(other)).join();
      })
      .map(([key]) => key);
    expect(differ).toEqual([]);
  });
});
