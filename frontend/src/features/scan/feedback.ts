// The cue of a scan: a short high beep when it worked, a low double beep when it did not.
let context: AudioContext | null = null;

function tone(frequency: number, start: number, duration: number): void {
  if (!context) return;
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.frequency.value = frequency;
  oscillator.type = "square";
  gain.gain.value = 0.05;
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(context.currentTime + start);
  oscillator.stop(context.currentTime + start + duration);
}

export function beep(ok: boolean): void {
  try {
    context ??= new AudioContext();
    if (ok) {
      tone(1760, 0, 0.08);
    } else {
      tone(220, 0, 0.15);
      tone(220, 0.2, 0.15);
    }
  } catch {
    // no audio (e.g. autoplay policy): the visual cue remains
  }
  if (!ok && "vibrate" in navigator) navigator.vibrate?.(200);
}
