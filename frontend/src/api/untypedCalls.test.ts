// Every request goes through the path-typed client (frontend/README.md, "The typed client"), so a
// renamed path, parameter or field breaks `tsc`. This fails when an untyped `request(...)` call
// appears outside the allow-list below, or when an allowed file gets more of them.
import { describe, expect, it } from "vitest";

// file (from src/) -> how many untyped calls it may keep, and why it cannot use `client` yet
const ALLOWED: Record<string, { calls: number; why: string }> = {
  "api/useList.ts": { calls: 2, why: "the list hooks: the path is a ListPath generic, rows typed from it" },
  "features/drafts/DraftForm.tsx": {
    calls: 2,
    why: "shared draft form: the header is a form whose fields are a render prop (untyped values); needs the form generic over the path's request body",
  },
  "pages/master/MasterDataPage.tsx": {
    calls: 4,
    why: "one page for every master-data list: the path is a prop and each definition's form values are untyped; needs the definitions typed by their request bodies",
  },
};

const sources = import.meta.glob(["/src/**/*.ts", "/src/**/*.tsx", "!/src/**/*.test.ts", "!/src/api/schema.d.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** Untyped calls per file: `request(` or `request<` not preceded by a letter (not `fetchRequest(`). */
export function untypedCalls(files: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [path, text] of Object.entries(files)) {
    const file = path.replace(/^\/src\//, "");
    if (file === "api/http.ts") continue; // where `request` is defined
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const found = code.match(/(?<![\w.$])request\s*[<(]/g)?.length ?? 0;
    if (found) out[file] = found;
  }
  return out;
}

describe("untyped API calls", () => {
  it("stay inside the allow-list", () => {
    const found = untypedCalls(sources);
    expect(Object.keys(sources).length).toBeGreaterThan(100); // the glob did read the sources
    expect(found["api/useList.ts"]).toBe(2); // and counts the calls in them
    const over = Object.entries(found)
      .filter(([file, calls]) => calls > (ALLOWED[file]?.calls ?? 0))
      .map(([file, calls]) => `${file}: ${calls}`);
    expect(over).toEqual([]);
  });

  it("notices a new untyped call (positive control)", () => {
    const found = untypedCalls({
      "/src/pages/x/New.tsx": 'const a = await request<Row>("GET", url); // request(\n/** request( */ requestOther(1);',
    });
    expect(found).toEqual({ "pages/x/New.tsx": 1 });
  });
});
