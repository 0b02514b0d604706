/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Django serves the bundle: assets under /static/ (STATICFILES_DIRS includes dist/), and
// index.html, sw.js and the manifest at the site root (storeledger.web.views).
export default defineConfig({
  base: "/static/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // ZXing's modules only define classes; without its package saying so ("sideEffects"), its
      // 2D readers (QR, PDF417, Aztec, …) would stay in the camera chunk though never used.
      treeshake: { moduleSideEffects: (id: string) => !/node_modules[\\/]@zxing[\\/]/.test(id) },
      output: {
        codeSplitting: {
          groups: [
            { name: "echarts", test: /node_modules[\\/](echarts|zrender)/ },
            { name: "antd", test: /node_modules[\\/](antd|@ant-design|rc-[a-z-]+|@rc-component)/ },
            // camera scanning's ZXing fallback: loaded on demand only (features/scan/cameraDecoders.ts)
            { name: "zxing", test: /node_modules[\\/](@zxing|ts-custom-error)[\\/]/ },
            { name: "vendor", test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000", "/admin": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
