// Keyboard shortcuts of the review queue: a = accept, r = reject, s = skip,
// n / p = next / previous pair. Keys typed into a form field are left alone.
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var t = event.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
  var el = document.querySelector('[data-key="' + event.key + '"]');
  if (!el) return;
  event.preventDefault();
  el.click();
});
