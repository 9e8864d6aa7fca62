// Unit tree: the first click on ▸ lets htmx load the children; later clicks only fold and
// unfold what is already loaded (capture phase, so htmx does not fetch again).
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.expander");
  if (!button) return;
  var item = button.closest("li");
  var children = item.querySelector(":scope > .children");
  var open = item.getAttribute("aria-expanded") === "true";
  item.setAttribute("aria-expanded", open ? "false" : "true");
  button.textContent = open ? "▸" : "▾";
  if (open || children.dataset.loaded === "1") {
    children.hidden = open;
    event.stopPropagation();
    event.preventDefault();
  }
}, true);
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target.classList.contains("children")) event.target.dataset.loaded = "1";
});
