// Filters of the stock pages kept in the URL (?at=&warehouse=&sku=…), so a view can be
// bookmarked, shared and reloaded.
import { useSearchParams } from "react-router";

export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const number = (key: string): number | undefined => {
    const value = Number(params.get(key));
    return params.get(key) && Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const text = (key: string): string | undefined => params.get(key) || undefined;
  const set = (changes: Record<string, string | number | boolean | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "" || value === false) next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next, { replace: true });
  };
  return { number, text, set, flag: (key: string) => params.get(key) === "true" };
}
