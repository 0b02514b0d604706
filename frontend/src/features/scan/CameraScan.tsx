// Scan with the device's camera (the rear one on a phone): the browser's BarcodeDetector where it
// reads the store's formats, else ZXing (loaded on demand). The dialog keeps scanning until it is
// closed; each new code goes to `onCode` (the caller gives the cue and adds the line), a code held
// in view counts once. The camera stops when the dialog closes.
import { useEffect, useRef, useState } from "react";
import { Alert, Button, Modal, Typography } from "antd";
import { CameraOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { CAMERA_CONSTRAINTS, ReadDebouncer, cameraAvailability, cameraErrorKey, type CameraErrorKey } from "./cameraLogic";
import { loadDecoder } from "./cameraDecoders";

/** Time between two decoded frames (ms): quick enough to feel instant, light on a phone's CPU. */
const FRAME_INTERVAL_MS = 150;

function availability() {
  return cameraAvailability({
    secureContext: window.isSecureContext,
    getUserMedia: typeof navigator.mediaDevices?.getUserMedia === "function",
  });
}

function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** Opens the camera into the returned `video` element and decodes its frames until unmounted. */
function useCameraScanner(onCode: (code: string) => void) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<CameraErrorKey | null>(null);
  const [scanning, setScanning] = useState(false);
  const [lastCode, setLastCode] = useState<string | null>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    const debouncer = new ReadDebouncer();

    const start = async () => {
      const loading = loadDecoder(); // in parallel with the permission prompt
      loading.catch(() => undefined); // awaited below, after the camera
      stream = await navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS);
      if (stopped) {
        stopStream(stream); // closed while the browser asked for permission
        return;
      }
      const decoder = await loading;
      const element = video.current;
      if (stopped || !element) return;
      element.srcObject = stream;
      await element.play();
      setScanning(true);
      const tick = async () => {
        if (stopped) return;
        const code = await decoder.decode(element).catch(() => null); // a frame not ready: the next one
        if (code && !stopped && debouncer.accept(code, performance.now())) {
          setLastCode(code);
          onCodeRef.current(code);
        }
        if (!stopped) timer = window.setTimeout(() => void tick(), FRAME_INTERVAL_MS);
      };
      void tick();
    };
    start().catch((reason: unknown) => {
      if (!stopped) setError(cameraErrorKey(reason));
      stopStream(stream);
    });
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stopStream(stream);
    };
  }, []);

  return { video, error, scanning, lastCode };
}

function CameraView({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const { video, error, scanning, lastCode } = useCameraScanner(onCode);
  if (error) return <Alert type="error" showIcon message={t(error)} data-testid="camera-error" />;
  return (
    <>
      <video
        ref={video}
        muted
        playsInline
        data-testid="camera-video"
        style={{ width: "100%", maxHeight: "60vh", objectFit: "cover", borderRadius: 8, background: "#000" }}
      />
      <Typography.Paragraph type="secondary" style={{ margin: "8px 0 0" }} data-testid="camera-status">
        {lastCode ? t("camera.read", { code: lastCode }) : scanning ? t("camera.hint") : t("camera.starting")}
      </Typography.Paragraph>
    </>
  );
}

function CameraModal({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t("scan.camera")}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="camera-done">
          {t("camera.done")}
        </Button>
      }
    >
      {availability() === "insecure" ? (
        <Alert type="error" showIcon message={t("camera.insecure")} data-testid="camera-error" />
      ) : (
        <CameraView onCode={onCode} />
      )}
    </Modal>
  );
}

export function CameraScanButton({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (availability() === "none") return null;
  return (
    <>
      <Button
        icon={<CameraOutlined />}
        size="large"
        aria-label={t("scan.camera")}
        data-testid="camera-scan"
        onClick={() => setOpen(true)}
      />
      {open && <CameraModal onClose={() => setOpen(false)} onCode={onCode} />}
    </>
  );
}
