// Live alert list: polls /api/alerts every 5 s and rebuilds the list with textContent only
// (alert titles are article text: never HTML). Without JavaScript the page refreshes itself.
"use strict";
(function () {
  const list = document.getElementById("alerts");
  const status = document.getElementById("alerts-status");
  if (!list) return;
  const source = list.dataset.source;
  let lastIds = "";

  function item(alert) {
    const li = document.createElement("li");
    li.className = "alert";
    const sev = document.createElement("span");
    sev.className = "sev sev-" + Number(alert.severity);
    sev.title = "الخطورة " + Number(alert.severity) + " من 5";
    sev.textContent = String(alert.severity);
    const rule = document.createElement("span");
    rule.className = "rule";
    rule.textContent = alert.rule_name;
    let title;
    if (alert.url) {  // the server sends only http(s) URLs, or null
      title = document.createElement("a");
      title.href = alert.url;
      title.rel = "noopener noreferrer nofollow";
      title.target = "_blank";
    } else {
      title = document.createElement("span");
    }
    title.className = "title";
    title.dir = "auto";
    title.textContent = alert.title || "(بلا عنوان)";
    const time = document.createElement("time");
    time.dateTime = alert.created_at;
    time.textContent = alert.created;
    li.append(sev, " ", rule, " ", title, " ", time);
    return li;
  }

  async function refresh() {
    try {
      const response = await fetch(source, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(response.status);
      const alerts = await response.json();
      const ids = alerts.map((a) => a.alert_id).join(",");
      if (ids !== lastIds) {
        lastIds = ids;
        if (alerts.length) {
          list.replaceChildren(...alerts.map(item));
        } else {
          const empty = document.createElement("li");
          empty.className = "empty";
          empty.textContent = "لا تنبيهات بعد.";
          list.replaceChildren(empty);
        }
      }
      status.textContent = "";
    } catch (error) {
      status.textContent = "تعذّر التحديث، ستُعاد المحاولة.";
    }
  }
  refresh();
  setInterval(refresh, 5000);
})();
