// The page: the dashboard element, the page's own words in the chosen
// language, and the service worker that lets it run offline.
import "./pelacak-dashboard.js";
import { translator } from "./i18n.js";

const board = document.querySelector("pelacak-dashboard");

function translatePage(lang) {
  const t = translator(lang);
  document.documentElement.lang = lang;
  document.title = t("page.title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}

board.addEventListener("langchange", (e) => translatePage(e.detail.lang));
translatePage(board.language);

// Relative to this page, so the app works from any sub-path.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  navigator.serviceWorker.register("sw.js").catch(() => {
    // Offline use is a bonus: the page works without it.
  });
}
