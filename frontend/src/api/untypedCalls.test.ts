// Every request goes through the path-typed client (frontend/README.md, "The typed client"), so a
// renamed path, parameter or field breaks `tsc`. The untyped `request(...)` wrapper is gone; this
// fails when one (or a call of one) comes back in any source file.
import { describe, expect, it } from "vitest";

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
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const found = code.match(/(?<![\w.$])request\s*[<(]/g)?.length ?? 0;
    if (found) out[file] = found;
  }
  return out;
}

describe("untyped API calls", () => {
  it("are none", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100); // the glob did read the sources
    expect(sources["/src/api/useList.ts"]).toContain("client.GET("); // with their text
    expect(untypedCalls(sources)).toEqual({});
  });

  it("notices a new untyped call (positive control)", () => {
    const found = untypedCalls({
      "/src/pages/x/New.tsx": 'const a = await request<Row>("GET", url); // request(\n/** request( */ requestOther(1);',
      "/src/api/http.ts": "export async function request<T>(method: string) {}\nonRequest({ request }) {}",
    });
    expect(found).toEqual({ "pages/x/New.tsx": 1, "api/http.ts": 1 });
  });
});
