// Scan with the phone's camera where the browser has the BarcodeDetector API (Chrome on
// Android, Safari 17+); elsewhere the button is not shown and the scanner/keyboard is used.
import { useEffect, useRef, useState } from "react";
import { Alert, Button, Modal } from "antd";
import { CameraOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorClass | null {
  const candidate = (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  return candidate && "mediaDevices" in navigator ? candidate : null;
}

const FORMATS = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "code_39", "qr_code"];

function CameraModal({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const Detector = detectorClass();
    if (!Detector) return undefined;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const detector = new Detector({ formats: FORMATS });
    const tick = async () => {
      if (stopped || !video.current) return;
      try {
        const found = await detector.detect(video.current);
        const code = found[0]?.rawValue;
        if (code) {
          onCode(code);
          return;
        }
      } catch {
        // the frame was not ready; try the next one
      }
      timer = window.setTimeout(() => void tick(), 200);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        void tick();
      })
      .catch(() => setError(t("scan.cameraDenied")));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onCode, t]);

  return (
    <Modal open title={t("scan.camera")} onCancel={onClose} footer={null} destroyOnHidden>
      {error ? (
        <Alert type="error" showIcon message={error} />
      ) : (
        <video ref={video} muted playsInline style={{ width: "100%", borderRadius: 8, background: "#000" }} />
      )}
    </Modal>
  );
}

export function CameraScanButton({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!detectorClass()) return null;
  return (
    <>
      <Button icon={<CameraOutlined />} size="large" aria-label={t("scan.camera")} onClick={() => setOpen(true)} />
      {open && (
        <CameraModal
          onClose={() => setOpen(false)}
          onCode={(code) => {
            setOpen(false);
            onCode(code);
          }}
        />
      )}
    </>
  );
}
