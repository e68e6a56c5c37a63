(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  var count = document.getElementById("shown-count");
  function chosen(name) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"),
      function (box) { if (box.checked) { out[box.value] = true; } });
    return out;
  }
  function apply() {
    var verdicts = chosen("verdict");
    var channels = chosen("channel");
    var list = form.elements.namedItem("list").value;
    var words = form.elements.namedItem("q").value.trim().toLowerCase();
    var shown = 0;
    cards.forEach(function (card) {
      var keep = verdicts[card.dataset.verdict] === true &&
        channels[card.dataset.channel] === true &&
        (list === "" || card.dataset.list === list) &&
        (words === "" || card.dataset.name.indexOf(words) !== -1);
      if (card.hidden === keep) { card.hidden = !keep; }  // touch only what changes
      if (keep) { shown += 1; }
    });
    count.textContent = shown + " of " + cards.length + " shown";
  }
  // Printing shows every card open, folded or not; the folds come back afterwards.
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.filter.call(
      document.querySelectorAll("article.card > details:not([open])"), function (d) {
        d.open = true;
        return true;
      });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (d) { d.open = false; });
    folded = [];
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("show-all").addEventListener("click", function () {
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"),
      function (box) { box.checked = true; });
    form.elements.namedItem("list").value = "";
    form.elements.namedItem("q").value = "";
    apply();
  });
  form.hidden = false;
  count.textContent = cards.length + " of " + cards.length + " shown";
}());
