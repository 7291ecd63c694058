// Sortable tables: click a header of a table.sortable to sort its rows by that column (again to
// reverse). Numbers sort as numbers (a cell's data-sort, else its text); no framework.
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    if (v === null) v = cell.textContent.trim();
    var n = parseFloat(v.replace(/[,\s]/g, ""));
    return isNaN(n) || !/^-?[\d.,\s]+/.test(v) ? { n: null, s: v } : { n: n, s: v };
  }
  function sort(table, col, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x.n !== null && y.n !== null) return (x.n - y.n) * dir;
      if (x.n !== null) return -1;
      if (y.n !== null) return 1;
      return x.s.localeCompare(y.s, "zh") * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var head = table.tHead ? table.tHead.rows[0] : null;
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, col) {
      if (th.classList.contains("nosort")) return;
      th.setAttribute("tabindex", "0");
      th.setAttribute("title", "点击排序 click to sort");
      th.addEventListener("click", function () { sort(table, col, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(table, col, th); });
    });
  });
})();
