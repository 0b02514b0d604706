// The decisions of camera scanning, apart from the browser: whether the camera can be offered,
// which decoder reads the frames (the browser's BarcodeDetector where it reads every format a
// store needs, else ZXing), what a failure to open the camera tells the user, and which reads
// count as a new scan.

/** The formats read, by their BarcodeDetector names; the first four are the ones a store needs. */
export const CAMERA_FORMATS = ["ean_13", "ean_8", "upc_a", "code_128", "upc_e", "code_39"] as const;
export type CameraFormat = (typeof CAMERA_FORMATS)[number];
export const REQUIRED_FORMATS: readonly CameraFormat[] = ["ean_13", "ean_8", "upc_a", "code_128"];

/** The rear camera, at a resolution that resolves the bars of a retail barcode. */
export const CAMERA_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
};

export type CameraEngine = "native" | "zxing";

/**
 * "native" when the browser has a BarcodeDetector that reads every required format
 * (`nativeFormats`: its supported formats, null without BarcodeDetector), else "zxing".
 */
export function chooseEngine(nativeFormats: readonly string[] | null): CameraEngine {
  if (!nativeFormats) return "zxing";
  return REQUIRED_FORMATS.every((format) => nativeFormats.includes(format)) ? "native" : "zxing";
}

/** The formats to ask the BarcodeDetector for: ours, as far as it supports them. */
export function detectorFormats(nativeFormats: readonly string[]): CameraFormat[] {
  return CAMERA_FORMATS.filter((format) => nativeFormats.includes(format));
}

/**
 * Whether the scan button is shown: "available" with getUserMedia; "insecure" on a plain-HTTP
 * page (browsers give no camera there: the button explains it); "none" otherwise (no button).
 */
export function cameraAvailability(env: { secureContext: boolean; getUserMedia: boolean }): "available" | "insecure" | "none" {
  if (env.getUserMedia) return "available";
  return env.secureContext ? "none" : "insecure";
}

export type CameraErrorKey = "scan.cameraDenied" | "camera.missing" | "camera.busy" | "camera.failed";

/** The i18n key of the message for an error of getUserMedia (a DOMException by name) or of loading the decoder. */
export function cameraErrorKey(error: unknown): CameraErrorKey {
  const name = typeof error === "object" && error !== null && "name" in error ? error.name : undefined;
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return "scan.cameraDenied";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "camera.missing";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "camera.busy";
    default:
      return "camera.failed";
  }
}

/**
 * Turns the stream of reads (several a second while a barcode is in view) into scans: a code
 * is a new scan unless it is the code last read and was still in view `quietMs` ago. Holding a
 * barcode in front of the camera scans it once; taking it away and showing it again (or showing
 * the next item of the same product) scans it again.
 */
export class ReadDebouncer {
  private code: string | null = null;
  private lastSeen = -Infinity;

  constructor(private readonly quietMs = 1500) {}

  /** A read of `code` at `now` (ms); true when it is a new scan. */
  accept(code: string, now: number): boolean {
    const repeat = code === this.code && now - this.lastSeen < this.quietMs;
    this.code = code;
    this.lastSeen = now;
    return !repeat;
  }
}
