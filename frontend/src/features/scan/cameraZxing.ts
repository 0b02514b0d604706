// The ZXing decoder of camera scanning, for browsers without a usable BarcodeDetector (Chromium
// on Linux, Firefox, desktop Safari). Loaded on demand (its own chunk): only the 1D readers.
import { BrowserMultiFormatOneDReader } from "@zxing/browser";
import { BarcodeFormat, ChecksumException, DecodeHintType, FormatException, NotFoundException } from "@zxing/library";
import type { CameraFormat } from "./cameraLogic";
import type { FrameDecoder } from "./cameraDecoders";

const ZXING_FORMATS: Record<CameraFormat, BarcodeFormat> = {
  ean_13: BarcodeFormat.EAN_13,
  ean_8: BarcodeFormat.EAN_8,
  upc_a: BarcodeFormat.UPC_A,
  code_128: BarcodeFormat.CODE_128,
  upc_e: BarcodeFormat.UPC_E,
  code_39: BarcodeFormat.CODE_39,
};

/** Widest frame decoded: wider camera frames are scaled down (decoding time grows with it). */
const MAX_WIDTH = 1280;

export function createZxingDecoder(formats: readonly CameraFormat[]): FrameDecoder {
  // Without TRY_HARDER: some 15 rows around the middle of the frame are read (not hundreds), so a
  // frame decodes quickly on a phone; the next frame is a new try anyway.
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, formats.map((format) => ZXING_FORMATS[format])],
  ]);
  const reader = new BrowserMultiFormatOneDReader(hints);
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return {
    async decode(video) {
      if (!context || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !video.videoWidth) return null;
      const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      try {
        return reader.decodeFromCanvas(canvas).getText();
      } catch (error) {
        // no barcode in this frame, or one not read cleanly: try the next frame
        if (error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException) {
          return null;
        }
        throw error;
      }
    },
  };
}
