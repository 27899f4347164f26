// Progressive enhancement only: every page works without this file.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The header menu is a <details>: on a phone "Menu" opens it. Browsers that cannot show a
// closed disclosure's content by CSS (no ::details-content) get it opened on wide screens.
const menu = document.querySelector("[data-coop-menu]");
if (menu) {
  const wide = window.matchMedia("(min-width: 40.0625em)");
  if (!CSS.supports("selector(::details-content)")) {
    const sync = () => { menu.open = wide.matches; };
    sync();
    wide.addEventListener("change", sync);
  }
  // Escape closes the open phone menu and puts the focus back on its button.
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}
