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

// Conditional reveal (the GOV.UK pattern): in a [data-coop-reveal] group, a radio with
// data-aria-controls shows the block it names only while it is chosen. Without this script
// every block is shown. No aria-expanded: a radio may not carry it.
for (const group of document.querySelectorAll("[data-coop-reveal]")) {
  const radios = [...group.querySelectorAll("input[type=radio]")];
  const sync = () => {
    for (const radio of radios) {
      const target = radio.dataset.ariaControls && document.getElementById(radio.dataset.ariaControls);
      if (!target) continue;
      radio.setAttribute("aria-controls", target.id);
      target.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  };
  for (const radio of radios) radio.addEventListener("change", sync);
  sync();
}

// A submit button marked data-prevent-double-click says "Bezig…" and takes no second press
// once its form is on its way (a double click, an impatient second tap). The server refuses a
// repeated form too (coop/core/once.py); this only spares the wait. The button is disabled a
// moment after the submit has begun, so its own name and value still go with the form.
const BUSY = "Bezig…";
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (!button || !button.matches("[data-prevent-double-click]")) return;
  if (button.dataset.coopBusy) {
    event.preventDefault();
    return;
  }
  button.dataset.coopBusy = "true";
  button.dataset.coopLabel = button.textContent;
  setTimeout(() => {
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
    button.textContent = BUSY;
  }, 0);
});

// Back to a page from the browser's cache: its buttons work again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const button of document.querySelectorAll("[data-coop-busy]")) {
    button.disabled = false;
    button.removeAttribute("aria-disabled");
    button.textContent = button.dataset.coopLabel;
    delete button.dataset.coopBusy;
  }
});
