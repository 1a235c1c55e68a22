"""deploy/kibana/rasid.ndjson: parses, every reference resolves, every field exists in the index templates."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from rasid.kibana.saved_objects import from_ndjson
from rasid.sinks.index_templates import alert_mappings, article_mappings, threat_mappings

NDJSON = Path(__file__).resolve().parents[2] / "deploy" / "kibana" / "rasid.ndjson"
# Which template's mappings each data view queries (both analysis variants map the same fields).
MAPPINGS = {
    "rasid-articles": article_mappings("rasid_arabic", "rasid_arabic_exact"),
    "rasid-threats": threat_mappings("rasid_arabic", "rasid_arabic_exact"),
    "rasid-alerts": alert_mappings("rasid_arabic", "rasid_arabic_exact"),
}
KQL_FIELD = re.compile(r"(?<![\w.\"'])([A-Za-z_][\w.]*)\s*(?:>=|<=|>|<|:)")


def field_types(mappings: dict[str, Any]) -> dict[str, str]:
    """Dotted path -> type, subfields included; disabled objects have no searchable fields inside."""
    types: dict[str, str] = {}

    def walk(properties: dict[str, Any], prefix: str) -> None:
        for name, body in properties.items():
            path = prefix + name
            if "properties" in body:
                walk(body["properties"], path + ".")
            else:
                types[path] = body.get("type", "object")
            walk(body.get("fields", {}), path + ".")

    walk(mappings["properties"], "")
    return types


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    return from_ndjson(NDJSON.read_text(encoding="utf-8"))


def by_type(objects: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["type"] == type_]


def data_view_of(obj: dict[str, Any], ref_name: str) -> str:
    return next(r["id"] for r in obj["references"] if r["name"] == ref_name)


def test_every_line_is_a_kibana_8_saved_object(objects: list[dict[str, Any]]) -> None:
    assert {o["type"] for o in objects} == {"index-pattern", "search", "lens", "dashboard"}
    for obj in objects:
        assert set(obj) >= {"id", "type", "attributes", "references", "coreMigrationVersion", "typeMigrationVersion"}
        assert obj["attributes"]["title"]
    keys = [(o["type"], o["id"]) for o in objects]
    assert len(keys) == len(set(keys))


def test_every_reference_resolves_to_an_object_in_the_file(objects: list[dict[str, Any]]) -> None:
    known = {(o["type"], o["id"]) for o in objects}
    for obj in objects:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in known, f"{obj['type']} {obj['id']} → {ref}"


def test_searches_name_their_data_view_through_a_reference(objects: list[dict[str, Any]]) -> None:
    for search in by_type(objects, "search"):
        source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        assert data_view_of(search, source["indexRefName"]) in MAPPINGS


def test_lens_layers_and_dashboard_panels_have_their_references(objects: list[dict[str, Any]]) -> None:
    for lens in by_type(objects, "lens"):
        layers = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
        for layer_id, layer in layers.items():
            assert data_view_of(lens, f"indexpattern-datasource-layer-{layer_id}") in MAPPINGS
            assert sorted(layer["columnOrder"]) == sorted(layer["columns"])
            bucketed = [layer["columns"][c]["isBucketed"] for c in layer["columnOrder"]]
            assert bucketed == sorted(bucketed, reverse=True)  # buckets before metrics
        accessors = lens["attributes"]["state"]["visualization"]["layers"]
        for vis_layer in accessors:
            columns = layers[vis_layer["layerId"]]["columns"]
            used = [vis_layer["xAccessor"], *vis_layer["accessors"], vis_layer.get("splitAccessor")]
            assert all(column in columns for column in used if column)
    (dashboard,) = by_type(objects, "dashboard")
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in dashboard["references"]}
    assert len(panels) == len(refs) == 9
    for panel in panels:
        assert refs[panel["panelRefName"]]["type"] == panel["type"]
        grid = panel["gridData"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= 48  # Kibana's grid is 48 columns wide
    shown = {refs[p["panelRefName"]]["id"] for p in panels}
    assert {o["id"] for o in by_type(objects, "lens")} <= shown


def test_every_field_kibana_uses_exists_in_the_index_template_with_a_fitting_type(objects: list[dict[str, Any]]) -> None:
    types = {view: field_types(mappings) for view, mappings in MAPPINGS.items()}
    for view in by_type(objects, "index-pattern"):
        assert types[view["id"]][view["attributes"]["timeFieldName"]] == "date"
    for search in by_type(objects, "search"):
        source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        fields = types[data_view_of(search, source["indexRefName"])]
        used = search["attributes"]["columns"] + [f for f, _ in search["attributes"]["sort"]]
        used += KQL_FIELD.findall(source["query"]["query"])
        assert [f for f in used if f not in fields] == [], search["id"]
    for lens in by_type(objects, "lens"):
        for layer_id, layer in lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].items():
            fields = types[data_view_of(lens, f"indexpattern-datasource-layer-{layer_id}")]
            for column in layer["columns"].values():
                if column["operationType"] == "date_histogram":
                    assert fields[column["sourceField"]] == "date", lens["id"]
                elif column["operationType"] == "terms":
                    # Aggregations need doc values: keyword, not analysed text.
                    assert fields[column["sourceField"]] == "keyword", lens["id"]
                else:
                    assert column["sourceField"] == "___records___"
        query = lens["attributes"]["state"]["query"]["query"]
        assert all(f in fields for f in KQL_FIELD.findall(query))


def test_the_field_check_catches_a_field_the_templates_do_not_have(objects: list[dict[str, Any]]) -> None:
    types = field_types(MAPPINGS["rasid-threats"])
    assert "actor" in types and "actor_span.text" in types
    assert "entities.per" not in types and "threat_count" not in types
    assert KQL_FIELD.findall("severity >= 4 and not negated : true") == ["severity", "negated"]
