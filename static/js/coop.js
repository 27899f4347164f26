// Progressive enhancement only: every page works without this file.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A <details data-coop-wide-open> (the header menu, the inbox filters) is a disclosure on a
// phone and always open on a wider screen. Browsers that cannot show a closed disclosure's
// content by CSS (no ::details-content) get it opened there by this script.
const wide = window.matchMedia("(min-width: 40.0625em)");
if (!CSS.supports("selector(::details-content)")) {
  for (const details of document.querySelectorAll("[data-coop-wide-open]")) {
    const startedOpen = details.open;
    const sync = () => { details.open = wide.matches || startedOpen; };
    sync();
    wide.addEventListener("change", sync);
  }
}

// Escape closes the open phone menu and puts the focus back on its button.
const menu = document.querySelector("[data-coop-menu]");
if (menu) {
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}
