// 草稿 A form marked data-draft="KEY" keeps what was typed on this device (localStorage)
// until it has been sent, so a grid worker whose network drops loses nothing: going
// back restores the form, and sending while offline is held with a message. A page that
// confirms the form was stored carries data-draft-clear="KEY" and the draft is removed.
(function () {
  "use strict";
  var PREFIX = "qf-draft:";
  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  var ls = store();
  if (!ls) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-draft-clear]"), function (el) {
    ls.removeItem(PREFIX + el.getAttribute("data-draft-clear"));
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = PREFIX + form.getAttribute("data-draft");
    var status = form.querySelector(".draft-status");
    function say(text) { if (status) { status.textContent = text; } }
    function kept(el) {
      return el.name && el.name !== "csrf" && el.type !== "hidden" && el.type !== "file" && el.type !== "password" && el.type !== "submit";
    }
    function save() {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (el) { if (kept(el)) { data[el.name] = el.value; } });
      try { ls.setItem(key, JSON.stringify(data)); say("草稿已保存在本机 · Draft saved on this device"); } catch (e) { /* storage full: nothing to do */ }
    }
    var saved = null;
    try { saved = JSON.parse(ls.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved) {
      var restored = false;
      Object.keys(saved).forEach(function (name) {
        var el = form.elements[name];
        if (el && kept(el) && !el.value && saved[name]) { el.value = saved[name]; restored = true; }
      });
      if (restored) { say("已恢复上次未提交的草稿 · Your unsent draft is back"); }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function (ev) {
      save();
      if (navigator.onLine === false) {
        ev.preventDefault();
        say("网络已断开：草稿已保存，联网后再提交 · Offline: your draft is kept, send it when you are back online");
      }
    });
  });
})();
