"""Rasid's Kibana saved objects, built from code so ids, references and field names stay consistent.

`deploy/kibana/rasid.ndjson` is `rasid kibana export` with the default index names; `rasid kibana setup`
imports the same objects bound to the configured index names. Formats are Kibana 8 exports: data views
(`index-pattern`), saved searches, Lens XY charts by reference, and one dashboard (Kibana ≥ 8.11).
Data views point at the aliases, never `rasid-articles*`: after a reindex the old version is kept for a
while, and a wildcard would count every article twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rasid.settings import Settings

CORE_MIGRATION_VERSION = "8.8.0"
TYPE_MIGRATION_VERSION = {"index-pattern": "8.0.0", "search": "8.0.0", "lens": "8.9.0", "dashboard": "8.9.0"}
SEARCH_INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
LAYER = "layer1"
RECORDS = "___records___"  # Lens' pseudo-field for "count of documents"


@dataclass(frozen=True)
class DataView:
    id: str
    name: str
    time_field: str


ARTICLES = DataView("rasid-articles", "Rasid articles", "published_at")
THREATS = DataView("rasid-threats", "Rasid threat statements", "published_at")
ALERTS = DataView("rasid-alerts", "Rasid alerts", "created_at")
DATA_VIEWS = (ARTICLES, THREATS, ALERTS)


def _saved_object(type_: str, id_: str, attributes: dict[str, Any], references: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": id_,
        "type": type_,
        "attributes": attributes,
        "references": references,
        "coreMigrationVersion": CORE_MIGRATION_VERSION,
        "typeMigrationVersion": TYPE_MIGRATION_VERSION[type_],
        "managed": False,
    }


def data_view(view: DataView, index: str) -> dict[str, Any]:
    return _saved_object("index-pattern", view.id, {
        "title": index,  # the index pattern Kibana queries: the alias
        "name": view.name,
        "timeFieldName": view.time_field,
        "allowNoIndex": True,
    }, [])


def saved_search(id_: str, title: str, view: DataView, columns: list[str], query: str = "",
                 last: str | None = None, description: str = "") -> dict[str, Any]:
    source = {"query": {"query": query, "language": "kuery"}, "filter": [], "indexRefName": SEARCH_INDEX_REF}
    attributes: dict[str, Any] = {
        "title": title,
        "description": description,
        "columns": columns,
        "sort": [[view.time_field, "desc"]],
        "grid": {},
        "hideChart": False,
        "isTextBasedQuery": False,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source, ensure_ascii=False)},
    }
    if last:
        attributes.update(timeRestore=True, timeRange={"from": f"now-{last}", "to": "now"},
                          refreshInterval={"pause": False, "value": 60000})
    return _saved_object("search", id_, attributes,
                         [{"name": SEARCH_INDEX_REF, "type": "index-pattern", "id": view.id}])


def _date_column(field: str, label: str) -> dict[str, Any]:
    return {"label": label, "customLabel": True, "dataType": "date", "operationType": "date_histogram",
            "sourceField": field, "isBucketed": True, "scale": "interval",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def _terms_column(field: str, label: str, size: int) -> dict[str, Any]:
    return {"label": label, "customLabel": True, "dataType": "string", "operationType": "terms",
            "sourceField": field, "isBucketed": True, "scale": "ordinal",
            "params": {"size": size, "orderBy": {"type": "column", "columnId": "count"}, "orderDirection": "desc",
                       "otherBucket": False, "missingBucket": False, "parentFormat": {"id": "terms"}}}


def _count_column(label: str) -> dict[str, Any]:
    return {"label": label, "customLabel": True, "dataType": "number", "operationType": "count",
            "sourceField": RECORDS, "isBucketed": False, "scale": "ratio", "params": {"emptyAsNull": True}}


def lens_xy(id_: str, title: str, view: DataView, x: dict[str, Any], count_label: str,
            split: dict[str, Any] | None = None, series: str = "bar_stacked", query: str = "",
            description: str = "") -> dict[str, Any]:
    """A Lens bar chart: `x` buckets (dates or top terms), document counts, optionally split by top terms."""
    columns = {"x": x, "count": _count_column(count_label)}
    layer: dict[str, Any] = {"layerId": LAYER, "layerType": "data", "seriesType": series,
                             "xAccessor": "x", "accessors": ["count"]}
    if split is not None:
        columns["split"] = split
        layer["splitAccessor"] = "split"
    visibility = {"x": True, "yLeft": True, "yRight": True}
    state = {
        "datasourceStates": {"formBased": {"layers": {LAYER: {
            # Buckets first, then the metric: the order Lens itself writes.
            "columns": columns, "columnOrder": [c for c in ("x", "split", "count") if c in columns],
            "incompleteColumns": {}}}}},
        "visualization": {
            "legend": {"isVisible": split is not None, "position": "right"},
            "valueLabels": "hide",
            "fittingFunction": "None",
            "preferredSeriesType": series,
            "axisTitlesVisibilitySettings": visibility,
            "tickLabelsVisibilitySettings": visibility,
            "gridlinesVisibilitySettings": visibility,
            "layers": [layer],
        },
        "query": {"query": query, "language": "kuery"},
        "filters": [],
        "internalReferences": [],
        "adHocDataViews": {},
    }
    return _saved_object("lens", id_, {
        "title": title, "description": description, "visualizationType": "lnsXY", "state": state,
    }, [{"type": "index-pattern", "id": view.id, "name": f"indexpattern-datasource-layer-{LAYER}"}])


def top_terms(id_: str, title: str, view: DataView, field: str, label: str, size: int = 15,
              query: str = "") -> dict[str, Any]:
    return lens_xy(id_, title, view, _terms_column(field, label, size), "Articles" if view is ARTICLES else "Threats",
                   series="bar_horizontal", query=query)


def dashboard(id_: str, title: str, panels: list[tuple[dict[str, Any], int, int, int, int]],
              description: str = "") -> dict[str, Any]:
    """`panels`: (saved object, x, y, w, h) on Kibana's 48-column grid; each panel by reference."""
    panels_json: list[dict[str, Any]] = []
    references: list[dict[str, str]] = []
    for number, (target, x, y, w, h) in enumerate(panels, 1):
        panel_id = str(number)
        panels_json.append({
            "version": "8.8.0", "type": target["type"], "panelIndex": panel_id,
            "gridData": {"x": x, "y": y, "w": w, "h": h, "i": panel_id},
            "embeddableConfig": {"enhancements": {}}, "panelRefName": f"panel_{panel_id}",
        })
        references.append({"name": f"panel_{panel_id}", "type": target["type"], "id": target["id"]})
    return _saved_object("dashboard", id_, {
        "title": title,
        "description": description,
        "panelsJSON": json.dumps(panels_json),
        "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True,
                                   "syncTooltips": False, "hidePanelTitles": False}),
        "timeRestore": True,
        "timeFrom": "now-7d",
        "timeTo": "now",
        "refreshInterval": {"pause": False, "value": 60000},
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"},
                                                                  "filter": []})},
    }, references)


def saved_objects(settings: Settings) -> list[dict[str, Any]]:
    """Every object, in dependency order (data views first, the dashboard last)."""
    views = [data_view(ARTICLES, settings.index_articles), data_view(THREATS, settings.index_threats),
             data_view(ALERTS, settings.index_alerts)]
    threats_24h = saved_search(
        "rasid-threats-last-24h", "Threats in the last 24 hours", THREATS,
        ["actor", "action", "target", "condition", "category", "severity", "source", "title"], last="24h",
        description="Every threat statement published in the last 24 hours, newest first.")
    searches = [
        threats_24h,
        saved_search("rasid-severe-threats", "Severe threats (severity 4–5), last 7 days", THREATS,
                     ["severity", "actor", "action", "target", "category", "source", "title"],
                     query="severity >= 4 and not negated : true", last="7d"),
        saved_search("rasid-articles-with-threats", "Articles reporting threats", ARTICLES,
                     ["source", "title", "threat_count", "max_severity", "entities.per", "entities.org", "entities.loc"],
                     query="threat_count > 0"),
        saved_search("rasid-alerts-last-24h", "Alerts in the last 24 hours", ALERTS,
                     ["rule_name", "severity", "title", "url"], last="24h"),
    ]
    per_source = lens_xy("rasid-articles-per-source", "Articles per source over time", ARTICLES,
                         _date_column("published_at", "Published"), "Articles",
                         split=_terms_column("source", "Source", 10))
    people = top_terms("rasid-top-persons", "Top persons", ARTICLES, "entities.per", "Person")
    orgs = top_terms("rasid-top-organisations", "Top organisations", ARTICLES, "entities.org", "Organisation")
    places = top_terms("rasid-top-places", "Top places", ARTICLES, "entities.loc", "Place")
    actors = top_terms("rasid-threats-by-actor", "Threats by actor", THREATS, "actor_names", "Actor")
    targets = top_terms("rasid-threats-by-target", "Threats by target", THREATS, "target_names", "Target")
    categories = top_terms("rasid-threats-by-category", "Threats by category", THREATS, "category", "Category", size=6)
    alert_timeline = lens_xy("rasid-alert-timeline", "Alert timeline", ALERTS,
                             _date_column("created_at", "Fired"), "Alerts",
                             split=_terms_column("rule_name", "Rule", 10))
    charts = [per_source, people, orgs, places, actors, targets, categories, alert_timeline]
    overview = dashboard("rasid-overview", "Rasid — Arabic news monitor", [
        (per_source, 0, 0, 48, 12),
        (people, 0, 12, 16, 15), (orgs, 16, 12, 16, 15), (places, 32, 12, 16, 15),
        (actors, 0, 27, 16, 15), (targets, 16, 27, 16, 15), (categories, 32, 27, 16, 15),
        (alert_timeline, 0, 42, 24, 15), (threats_24h, 24, 42, 24, 15),
    ], description="Articles, entities, threat statements and alerts indexed by Rasid.")
    return views + searches + charts + [overview]


def to_ndjson(objects: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n" for obj in objects)


def from_ndjson(text: str) -> list[dict[str, Any]]:
    """Parse an export; a line that is not a JSON object is an error naming the line."""
    objects = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: not JSON: {exc}") from exc
        if not isinstance(obj, dict) or "type" not in obj or "id" not in obj:
            raise ValueError(f"line {number}: not a saved object (needs 'type' and 'id')")
        objects.append(obj)
    return objects
