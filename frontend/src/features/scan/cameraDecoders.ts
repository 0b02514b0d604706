// The frame decoders of camera scanning: the browser's BarcodeDetector where it reads every
// format a store needs, else ZXing (imported on demand, so the main bundle stays small).
import { CAMERA_FORMATS, chooseEngine, detectorFormats } from "./cameraLogic";

/** Reads a barcode in the video's current frame; null when there is none. */
export interface FrameDecoder {
  decode(video: HTMLVideoElement): Promise<string | null>;
}

interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats?: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

function barcodeDetector(): BarcodeDetectorClass | undefined {
  return (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

/** The formats the browser's BarcodeDetector reads; null without one. */
async function nativeFormats(Detector: BarcodeDetectorClass | undefined): Promise<string[] | null> {
  if (!Detector?.getSupportedFormats) return null;
  try {
    return await Detector.getSupportedFormats();
  } catch {
    return null;
  }
}

export async function loadDecoder(): Promise<FrameDecoder> {
  const Detector = barcodeDetector();
  const supported = await nativeFormats(Detector);
  if (Detector && supported && chooseEngine(supported) === "native") {
    const detector = new Detector({ formats: detectorFormats(supported) });
    return { decode: async (video) => (await detector.detect(video))[0]?.rawValue ?? null };
  }
  const { createZxingDecoder } = await import("./cameraZxing");
  return createZxingDecoder(CAMERA_FORMATS);
}
