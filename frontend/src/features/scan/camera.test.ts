import { describe, expect, it } from "vitest";
import {
  CAMERA_CONSTRAINTS,
  ReadDebouncer,
  cameraAvailability,
  cameraErrorKey,
  chooseEngine,
  detectorFormats,
} from "./cameraLogic";

describe("camera engine", () => {
  it("uses ZXing without a BarcodeDetector", () => {
    expect(chooseEngine(null)).toBe("zxing");
  });
  it("uses ZXing when the BarcodeDetector lacks a store format", () => {
    expect(chooseEngine(["qr_code", "ean_13", "ean_8", "upc_a"])).toBe("zxing");
    expect(chooseEngine([])).toBe("zxing");
  });
  it("uses the BarcodeDetector when it reads EAN-13, EAN-8, UPC-A and Code 128", () => {
    expect(chooseEngine(["code_128", "ean_8", "ean_13", "upc_a", "qr_code"])).toBe("native");
  });
  it("asks the BarcodeDetector only for our formats it supports", () => {
    expect(detectorFormats(["qr_code", "upc_a", "ean_13", "code_128", "ean_8", "upc_e"])).toEqual([
      "ean_13",
      "ean_8",
      "upc_a",
      "code_128",
      "upc_e",
    ]);
  });
  it("asks for the rear camera without sound", () => {
    expect(CAMERA_CONSTRAINTS.audio).toBe(false);
    expect(CAMERA_CONSTRAINTS.video).toMatchObject({ facingMode: { ideal: "environment" } });
  });
});

describe("camera availability and errors", () => {
  it("offers the camera with getUserMedia, explains plain HTTP, else hides it", () => {
    expect(cameraAvailability({ secureContext: true, getUserMedia: true })).toBe("available");
    expect(cameraAvailability({ secureContext: false, getUserMedia: false })).toBe("insecure");
    expect(cameraAvailability({ secureContext: true, getUserMedia: false })).toBe("none");
  });
  it("names the reason the camera did not open", () => {
    const error = (name: string) => new DOMException("message", name);
    expect(cameraErrorKey(error("NotAllowedError"))).toBe("scan.cameraDenied");
    expect(cameraErrorKey(error("SecurityError"))).toBe("scan.cameraDenied");
    expect(cameraErrorKey(error("NotFoundError"))).toBe("camera.missing");
    expect(cameraErrorKey(error("OverconstrainedError"))).toBe("camera.missing");
    expect(cameraErrorKey(error("NotReadableError"))).toBe("camera.busy");
    expect(cameraErrorKey(new TypeError("Failed to fetch dynamically imported module"))).toBe("camera.failed");
    expect(cameraErrorKey("nonsense")).toBe("camera.failed");
  });
});

describe("camera read debouncing", () => {
  it("scans a code held in view once", () => {
    const debouncer = new ReadDebouncer(1500);
    const times = Array.from({ length: 40 }, (_, i) => i * 150); // 6 s, a read every 150 ms
    const scans = times.filter((t) => debouncer.accept("6901234567892", t));
    expect(scans).toEqual([0]);
  });
  it("scans the same code again after it was out of view", () => {
    const debouncer = new ReadDebouncer(1500);
    expect(debouncer.accept("6901234567892", 0)).toBe(true);
    expect(debouncer.accept("6901234567892", 1499)).toBe(false);
    expect(debouncer.accept("6901234567892", 3000)).toBe(true);
  });
  it("scans another code at once", () => {
    const debouncer = new ReadDebouncer(1500);
    expect(debouncer.accept("6901234567892", 0)).toBe(true);
    expect(debouncer.accept("96385074", 100)).toBe(true);
    expect(debouncer.accept("6901234567892", 200)).toBe(true);
  });
});
