/** Register the app-shell service worker (public/sw.js, served at /sw.js) in production. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  if (navigator.webdriver) return; // automated browsers (tests) get the network as it is
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
  });
}
