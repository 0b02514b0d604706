// A keyboard-wedge scanner "types" the barcode fast and ends with Enter. WedgeBuffer turns
// key events into barcodes: characters typed within `maxGapMs` of each other build up a code,
// Enter emits it when it is at least `minLength` long; a slow typist's keys reset the buffer
// (so typing in other fields is not taken for a scan).
export interface WedgeOptions {
  maxGapMs?: number;
  minLength?: number;
}

export class WedgeBuffer {
  private chars: string[] = [];
  private last = -Infinity;
  private readonly maxGapMs: number;
  private readonly minLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 50;
    this.minLength = options.minLength ?? 4;
  }

  /** Feed one key (KeyboardEvent.key) at time `now` (ms); returns a barcode on Enter. */
  push(key: string, now: number): string | null {
    if (key.length !== 1 && key !== "Enter" && key !== "Tab") return null; // Shift, arrows, …
    const gap = now - this.last;
    this.last = now;
    if (key === "Enter" || key === "Tab") {
      const code = this.chars.join("");
      this.chars = [];
      return code.length >= this.minLength && gap <= this.maxGapMs ? code : null;
    }
    if (gap > this.maxGapMs) this.chars = [];
    this.chars.push(key);
    return null;
  }

  reset(): void {
    this.chars = [];
    this.last = -Infinity;
  }
}

/** What a scan field received: trimmed, without control characters; empty → null. */
export function normalizeBarcode(raw: string): string | null {
  const code = raw.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return code ? code : null;
}

/**
 * Whether the scan field may take the focus back once a scan's lookup has answered: only when
 * the focus is still in it (or on no field at all, after a scan typed on the page). While the
 * lookup was pending the user may have moved on to a quantity or another field; taking the focus
 * from there would land the rest of their typing in the scan field.
 */
export function mayRefocusScan(active: Element | null, scanField: Element | null, body: Element | null): boolean {
  if (scanField === null) return false;
  return active === null || active === scanField || active === body;
}
